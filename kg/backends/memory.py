"""The memory back end: a graph in an in-memory Oxigraph store (the bundled graph, a copy).

:class:`MemoryBackend` answers every method of :class:`~kg.backends.Backend` with SPARQL and
Oxigraph's index scans; the on-disk store (:mod:`kg.backends.store`) and the endpoint
(:mod:`kg.backends.endpoint`) build on it. It knows nothing above the back ends: the bundled
graph is built and cached by :mod:`kg.curate.bundle`, and the operations a researcher calls
on a graph (``timeline``, ``show``, ``export``, ``validate``, ``stats``) are :mod:`kg.graph`'s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from kg.errors import QueryError
from kg.namespaces import RDF, RDFS, SEM
from kg.sparql import SelectResult, check_offline, parse_param, resolve, serialize_rdf, syntax_message

if TYPE_CHECKING:
    from kg.backends.selection import IndexedEvent, Selection

#: What selecting an event already gives (its class, label and begin), left out of its facts.
DATED_AND_NAMED = (RDF + "type", RDFS + "label", SEM + "hasEarliestBeginTimeStamp", SEM + "hasLatestBeginTimeStamp")
#: Any graph class, for methods that return the graph itself (``with open_store(p) as g``).
_Graph = TypeVar("_Graph", bound="MemoryBackend")


def solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """The answer of a ``SELECT`` (pyoxigraph's ``query`` returns any of the three forms)."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected the solutions of a SELECT, not {type(result).__name__}")
    return result


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in a stable order (graph, subject, predicate, object), for byte-stable output."""
    return sorted(set(quads), key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


class MemoryBackend:
    """A graph in an Oxigraph store, as a :class:`~kg.backends.Backend`.

    >>> import pyoxigraph as ox
    >>> g = MemoryBackend(ox.Store(), union=False)
    >>> g.query("ASK { ?s ?p ?o }")
    False
    """

    def __init__(
        self,
        store: ox.Store | None,
        data_dir: Path | None = None,
        label: str = "",
        fingerprint: str = "",
        union: bool | None = True,
    ):
        self._store = store
        self.data_dir = data_dir
        self.label = label
        #: SHA-256 of the graph's sorted N-Quads, the data fingerprint the site and the pages
        #: cite ("" for stores, whose event index token names their data instead).
        self.fingerprint = fingerprint
        self._union = union

    @classmethod
    def from_nquads(cls: type[_Graph], nquads: bytes, data_dir: Path | None = None) -> _Graph:
        """The graph of an N-Quads document (the bundled graph's cache), its fingerprint the
        document's SHA-256."""
        store = ox.Store()
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        label = str(data_dir) if data_dir is not None else ""
        return cls(store, data_dir, label, hashlib.sha256(nquads).hexdigest())

    @property
    def store(self) -> ox.Store:
        """The Oxigraph store the graph answers from; a graph closed or behind an endpoint has none."""
        if self._store is None:
            raise QueryError(f"{self.label or 'the graph'} has no Oxigraph store (closed, or behind an endpoint)")
        return self._store

    def close(self) -> None:
        """Nothing to release for a graph in memory (a store releases its files)."""

    def __enter__(self: _Graph) -> _Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def union(self) -> bool:
        """Whether queries see the union of all graphs (the bundled graph keeps its ontology
        and data in two named graphs) or only the default graph (a store of triples: much
        faster on Oxigraph, which need not merge graphs). Stores decide by their content."""
        if self._union is None:
            from kg.backends.index_graph import uses_named_graphs

            return uses_named_graphs(self.store)
        return self._union

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label or 'store'}: {len(self)} quads>"

    # ------------------------------------------------------------------ SPARQL

    def query(self, sparql: str, params: dict[str, Any] | None = None) -> Any:
        """Run SPARQL 1.1 (a query text or a library name) with safely bound parameters.

        Returns a :class:`~kg.sparql.SelectResult` for ``SELECT``, a list of pyoxigraph
        triples for ``CONSTRUCT``/``DESCRIBE`` and a ``bool`` for ``ASK``. Parameter values
        are RDF terms or strings (parsed by :func:`kg.sparql.parse_param`). The project's
        prefixes (``sem:``, ``schema:``, ``hk:``, …) are predeclared.
        """
        from kg.backends.lookup import bind_names
        from kg.namespaces import PREFIXES

        text, named = resolve(sparql)
        check_offline(text)
        params = bind_names(self, named, params)  # a parameter that names a resource: its IRI
        substitutions = {}
        missing = [p for p in named.required_params if p not in (params or {})] if named is not None else []
        if named is not None and missing:
            raise QueryError(
                f"query {named.name!r} needs "
                + " ".join(f"--param {p}=…" for p in missing)
                + f" ({'; '.join(f'{n}: {d}' for n, d in named.params if n in missing)})"
            )
        for name, value in (params or {}).items():
            if named is not None and name not in named.param_names:
                raise QueryError(
                    f"query {named.name!r} has no parameter {name!r} "
                    f"(its parameters: {', '.join(named.param_names) or 'none'})"
                )
            term = parse_param(value) if isinstance(value, str) else value
            substitutions[ox.Variable(name)] = term
        try:
            result = self.store.query(
                text, prefixes=PREFIXES, use_default_graph_as_union=self.union, substitutions=substitutions
            )
        except SyntaxError as exc:
            raise QueryError(syntax_message(exc, text)) from None
        except RuntimeError as exc:
            if "SELECT projection" in str(exc):
                raise QueryError(
                    f"{exc}: a bound parameter must be one of the SELECT variables "
                    "(parameters are substituted safely, SPARQL SEP-0007)"
                ) from None
            raise QueryError(f"query failed: {exc}") from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None
        if isinstance(result, ox.QuerySolutions):
            solutions = SelectResult.from_solutions(result)
            return solutions.without(named.param_names) if named else solutions
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return list(result)

    def select(self, sparql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a ``SELECT`` as dictionaries of plain Python values."""
        return self.query(sparql, params).dicts()

    # ------------------------------------------------------------------ selecting and describing

    def events(
        self,
        start: str | None = None,
        end: str | None = None,
        actor: str | None = None,
        type: str | None = None,  # noqa: A002 - the CLI option's name
    ) -> list[IndexedEvent]:
        """The events a timeline with these filters shows, undescribed: the names resolved
        (:func:`kg.backends.selection.resolve`), then :meth:`select_events`."""
        from kg.backends.selection import resolve

        return self.select_events(resolve(self, start, end, actor, type))

    def select_events(self, selection: Selection) -> list[IndexedEvent]:
        """The events of a resolved selection, by SPARQL (:mod:`kg.backends.sparql_events`)."""
        from kg.backends.sparql_events import select_events

        return select_events(self, selection)

    def date_index(self):
        """``(earliest begin, latest earliest begin, widest begin span in days)`` of the events,
        from the store's index graph or computed; ``None`` for a graph without events."""
        import datetime as dt

        if not hasattr(self, "_date_index"):
            from kg.backends.index_graph import INDEX_QUERIES, duration_days

            rows = self.select(
                "SELECT ?min ?max ?span WHERE { GRAPH <https://w3id.org/hk-timeline-kg/graph/index> {"
                " ?g hk:minEarliestBegin ?min ; hk:maxEarliestBegin ?max ; hk:maxBeginSpanDays ?span } }"
            ) or self.select(INDEX_QUERIES["dates"])
            row = rows[0] if rows else {}
            if row.get("min") is None:
                self._date_index = None
            else:
                span = row["span"] if isinstance(row["span"], int) else duration_days(str(row["span"]))
                self._date_index = (dt.date.fromisoformat(row["min"]), dt.date.fromisoformat(row["max"]), span)
        return self._date_index

    def facts(self, subjects: list[str]) -> list[tuple[str, str, Any]]:
        """``(subject, predicate IRI, object term)`` of every triple about ``subjects`` (IRIs).

        Direct index scans, several times faster than a SPARQL ``VALUES`` join on a large store.
        """
        graph = None if self.union else ox.DefaultGraph()
        out = []
        for iri in subjects:
            node = ox.NamedNode(iri)
            out += [(iri, q.predicate.value, q.object) for q in self.store.quads_for_pattern(node, None, None, graph)]
        return out

    def fact_values(self, subjects: list[str], skip: Iterable[str] = ()) -> list[tuple[str, str, str]]:
        """``(subject, predicate IRI, object value)`` of every triple about ``subjects`` whose
        predicate is not in ``skip`` (see :func:`kg.backends.sparql_events.fact_values`)."""
        from kg.backends.sparql_events import fact_values

        return fact_values(self, subjects, skip)

    def event_facts(self, events: list[str], predicates: Collection[str]) -> list[tuple[str, str, str]]:
        """``(event, predicate IRI, value)`` of the events' facts by ``predicates``: what a
        timeline shows of each event (a store answers from its event index)."""
        wanted = set(predicates)
        return [f for f in self.fact_values(events, skip=DATED_AND_NAMED) if f[1] in wanted]

    def labels(self, nodes: list[str]) -> dict[str, str]:
        """The ``rdfs:label`` (else ``skos:prefLabel``) of each of ``nodes`` (IRIs) that has one."""
        from kg.backends.sparql_events import labels

        return labels(self, nodes)

    def linked_events(
        self, node: str, limit: int, counted: Collection[str] = ()
    ) -> dict[str, tuple[int, list[IndexedEvent]]]:
        """For each predicate by which events link to ``node`` (IRI): how many events, and the
        first ``limit`` of them in timeline order, but only counted for the predicates of
        ``counted`` (see :func:`kg.backends.sparql_events.linked_events`)."""
        from kg.backends.sparql_events import linked_events

        return linked_events(self, node, limit, counted)

    def quads(self) -> Iterable[ox.Quad]:
        """All quads, sorted."""
        return sorted_quads(self.store)

    def triples(self) -> Iterable[ox.Triple]:
        """All triples of all graphs, merged (the default-graph view of the exports)."""
        return [ox.Triple(q.subject, q.predicate, q.object) for q in self.store]

    def dump(self, out: Any, fmt: str) -> None:
        """Every triple (``fmt`` "nt", all graphs merged) or quad ("nq") to the binary file
        ``out``, sorted: byte-stable for the same data."""
        if fmt == "nt":
            triples = sorted(set(self.triples()), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
            ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)
        else:
            ox.serialize(self.quads(), out, format=ox.RdfFormat.N_QUADS)

    def to_rdflib(self) -> Any:
        """An ``rdflib.Dataset`` copy (ontology and data as named graphs), for rdflib tools."""
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(data=serialize_rdf(self.quads(), ox.RdfFormat.N_QUADS), format="nquads")
        return ds
