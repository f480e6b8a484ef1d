"""Persistent on-disk stores (Oxigraph) with their event index and index graph.

A store directory is an Oxigraph (RocksDB) database. Every command of ``kg`` works on it
through ``kg --store PATH``: Oxigraph executes SPARQL natively, so nothing is copied into
memory; selecting and describing events reads the event index (:mod:`kg.backends.event_index`).
Loading files into a store is :mod:`kg.backends.loading`.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from kg.backends.index_graph import INDEX_QUERIES, index_token, uses_named_graphs
from kg.backends.memory import MemoryBackend, solutions
from kg.errors import UsageError
from kg.namespaces import GRAPH_DATA, GRAPH_INDEX, HK, OWL, RDF, SEM, XSD

if TYPE_CHECKING:
    from kg.backends.event_index import EventIndex
    from kg.backends.selection import IndexedEvent, Selection


_Store = TypeVar("_Store", bound="StoreBackend")


def open_store(path: str | os.PathLike, *, create: bool = False, read_only: bool = False) -> StoreBackend:
    """The on-disk store at ``path`` (:meth:`StoreBackend.open`); ``with open_store(p) as g:``
    releases it at the end of the block."""
    return StoreBackend.open(path, create=create, read_only=read_only)


class StoreBackend(MemoryBackend):
    """An on-disk Oxigraph store and its event index (:mod:`kg.backends.event_index`): date
    ranges and actors are selected from the index, everything else runs on Oxigraph."""

    def __init__(self, store: ox.Store, location: Path):
        super().__init__(store, None, str(location), union=None)
        #: The store's directory.
        self.location = location

    @classmethod
    def open(cls: type[_Store], path: str | os.PathLike, *, create: bool = False, read_only: bool = False) -> _Store:
        """The on-disk store at ``path``. With ``create``, a missing directory becomes a new
        store. Raises :class:`~kg.errors.UsageError` for a missing store when ``create`` is
        false, or one that cannot be opened (locked by a writer)."""
        path = Path(path)
        exists = path.is_dir() and any(path.iterdir())
        if not exists and not create:
            raise UsageError(f"no store at {str(path)!r}: create one with `kg load FILE --store {path}`")
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            raise UsageError(f"cannot open the store at {str(path)!r}: {exc}") from None
        return cls(store, path)

    @property
    def event_index(self) -> EventIndex | None:
        """The store's event index when it matches the store's data (its token is the one
        of the store's index graph); ``None`` otherwise."""
        if not hasattr(self, "_event_index"):
            from kg.backends.event_index import EventIndex

            token = index_token(self.store)
            self._event_index = EventIndex.open(self.location, token) if token else None
        return self._event_index

    @event_index.setter
    def event_index(self, index: EventIndex | None) -> None:
        self._event_index = index
        self.__dict__.pop("_date_index", None)

    def date_index(self):
        if not hasattr(self, "_date_index") and self.event_index is not None:
            self._date_index = self.event_index.date_range()
        return super().date_index()

    def select_events(self, selection: Selection) -> list[IndexedEvent]:
        """From the event index when the selection names dates or actors (B-tree searches);
        by SPARQL otherwise, or when the index is out of step with the store."""
        index = self.event_index
        if index is None or not (selection.dates or selection.actors is not None):
            return super().select_events(selection)
        found = index.select(selection.dates.start, selection.dates.end, selection.actors)
        if selection.types is None:
            return found
        kept, kind = set(selection.types), ox.NamedNode(SEM + "eventType")
        return [
            e
            for e in found
            if any(
                isinstance(q.object, ox.NamedNode) and q.object.value in kept
                for q in self.store.quads_for_pattern(ox.NamedNode(e.iri), kind, None)
            )
        ]

    def _describing(self) -> EventIndex | None:
        index = self.event_index
        return index if index is not None and index.describes else None

    def event_facts(self, events: list[str], predicates: Collection[str]) -> list[tuple[str, str, str]]:
        """From the event index's description tables when they keep every one of
        ``predicates`` (integer rows, no term decoded by Oxigraph); by SPARQL otherwise (an
        index written by an older ``kg``, a role predicate the index does not know) and for
        events the index does not hold."""
        index = self._describing()
        if index is None or not set(predicates) <= index.predicates().keys():
            return super().event_facts(events, predicates)
        ids = index.event_ids(events)
        missing = [e for e in events if e not in ids]
        found = index.event_facts(ids, predicates)
        return found + (super().event_facts(missing, predicates) if missing else [])

    def labels(self, nodes: list[str]) -> dict[str, str]:
        """The labels the event index keeps for the nodes events link to; the others' (the
        ontology's event types, say) by SPARQL."""
        index = self._describing()
        found = index.node_labels(nodes) if index is not None else {}
        rest = [n for n in nodes if n not in found]
        return found | super().labels(rest) if rest else found

    def linked_events(
        self, node: str, limit: int, counted: Collection[str] = ()
    ) -> dict[str, tuple[int, list[IndexedEvent]]]:
        """The links by the predicates the event index keeps from its B-trees (an actor's
        24,654 events are counted, not read); those by any other predicate by SPARQL. An
        index without descriptions still gives an actor's events."""
        from kg.backends.sparql_events import linked_events

        index = self.event_index
        if index is None:
            return super().linked_events(node, limit, counted)
        if not index.describes:
            actor = SEM + "hasActor"
            found = linked_events(self, node, limit, counted, skip=[actor])
            events = index.select(actors=[node])
            return found | ({actor: (len(events), events[:limit])} if events else {})
        found = index.linked_events(node, limit, counted)
        return found | linked_events(self, node, limit, counted, skip=index.predicates())

    def summary(self) -> dict[str, int]:
        """Counts of the events and of those without a date, a type or an actor (see
        :meth:`kg.backends.event_index.EventIndex.summary`); all 0 without an event index."""
        index = self.event_index
        return (
            index.summary()
            if index is not None
            else dict.fromkeys(("events", "undated", "untyped", "without_actor"), 0)
        )

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, streamed in the store's index order (the same for the same data)."""
        return iter(self.store)

    def triples(self) -> Iterator[ox.Triple]:
        """Every triple of every graph (the index graph left out), streamed."""
        index = ox.NamedNode(GRAPH_INDEX)
        return (ox.Triple(q.subject, q.predicate, q.object) for q in self.store if q.graph_name != index)

    def dump(self, out, fmt: str) -> None:
        """Oxigraph's own dump, streamed in constant memory: N-Triples merge the graphs (the
        index graph left out), N-Quads keep them."""
        if fmt == "nq":
            self.store.dump(out, format=ox.RdfFormat.N_QUADS)
            return
        self.store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        for name in sorted(self.store.named_graphs(), key=str):
            if name.value != GRAPH_INDEX:
                self.store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=name)

    def close(self) -> None:
        """Release the store (its RocksDB lock and files) and its event index."""
        index = self.__dict__.get("_event_index")
        if index is not None:
            index.close()
        self.__dict__.pop("_event_index", None)
        self._store = None  # the last reference: Oxigraph closes the database


def ensure_ontology(store: ox.Store) -> None:
    """Load schema/ontology.ttl into the ontology graph of a store that holds no copy of it
    (in any graph: an export of the project loaded as triples already carries it)."""
    from kg import paths

    header = ox.Quad(ox.NamedNode(HK), ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Ontology"), None)
    if next(store.quads_for_pattern(header.subject, header.predicate, header.object, None), None) is None:
        quads = paths.read_ontology()
        if not uses_named_graphs(store):  # a store of triples keeps everything in its default graph
            quads = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
        store.bulk_extend(quads)
        store.flush()


def reindex(target: MemoryBackend, index: EventIndex | None = None) -> int:
    """Recompute the store's index graph and its event index (:mod:`kg.backends.event_index`).

    The index graph holds the date range and widest begin uncertainty of the events (so that
    date ranges become lookups over a list of days, also for SPARQL clients of ``kg serve``)
    and each actor's event count (so "top actors" reads a few thousand triples instead of every
    event), with the token of the event index that matches the data. ``kg load`` and
    ``kg import`` call it with the ``index`` they wrote from their files; without one the
    store is scanned (``kg reindex``, after changing a store by other means). A graph without a
    directory (in memory) gets its index graph from SPARQL aggregates and no event index.
    Returns the number of events in the event index.
    """
    from kg.backends.index_builder import IndexBuilder, ontology_roles, store_roles

    store = target.store
    index_graph = ox.NamedNode(GRAPH_INDEX)
    if store.contains_named_graph(index_graph):
        store.remove_graph(index_graph)
    subject, quads = ox.NamedNode(GRAPH_DATA), []
    token_predicate = ox.NamedNode(HK + "eventIndexToken")
    if not isinstance(target, StoreBackend):
        target.__dict__.pop("_date_index", None)  # computed afresh: the index graph is gone
        dates, counts, token = target.date_index(), _actor_counts(store), None
    else:
        if index is None:
            builder = IndexBuilder(target.location, roles=tuple(sorted(set(ontology_roles()) | store_roles(store))))
            builder.add_store(store)
            import uuid

            index = builder.commit(uuid.uuid4().hex)
        dates, counts, token = index.date_range(), index.actor_counts(), index.token
        target.event_index = index
    if dates is not None:
        low, high, span = dates
        day = ox.NamedNode(XSD + "date")
        quads += [
            ox.Quad(
                subject, ox.NamedNode(HK + "minEarliestBegin"), ox.Literal(low.isoformat(), datatype=day), index_graph
            ),
            ox.Quad(
                subject, ox.NamedNode(HK + "maxEarliestBegin"), ox.Literal(high.isoformat(), datatype=day), index_graph
            ),
            ox.Quad(subject, ox.NamedNode(HK + "maxBeginSpanDays"), _integer(span), index_graph),
        ]
    count = ox.NamedNode(HK + "eventCount")
    quads += [ox.Quad(ox.NamedNode(actor), count, _integer(n), index_graph) for actor, n in counts]
    if token is not None:
        quads.append(ox.Quad(subject, token_predicate, ox.Literal(token), index_graph))
    store.bulk_extend(quads)
    store.flush()
    return len(index) if index is not None else 0


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def _actor_counts(store: ox.Store) -> list[tuple[str, int]]:
    union = uses_named_graphs(store)
    rows = solutions(store.query(INDEX_QUERIES["actors"], use_default_graph_as_union=union))
    return [(row["a"].value, int(row["n"].value)) for row in rows if isinstance(row["a"], ox.NamedNode)]
