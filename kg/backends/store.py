"""Persistent on-disk stores (Oxigraph) and bulk loading of RDF files into them.

A store directory is an Oxigraph (RocksDB) database. Every command of ``kg`` works on it
through ``kg --store PATH``: Oxigraph executes SPARQL natively, so nothing is copied into
memory. Loading uses Oxigraph's own parsers (``Store.bulk_load``), which are an order of
magnitude faster than feeding it through rdflib.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph as ox

from kg.backends.memory import KnowledgeGraph, solutions
from kg.errors import DataError, UsageError
from kg.namespaces import GRAPH_DATA, GRAPH_INDEX, HK, OWL, RDF, SEM, XSD

if TYPE_CHECKING:
    from kg.backends.event_index import EventIndex, IndexBuilder
    from kg.backends.selection import IndexedEvent, Selection

#: File extension -> Oxigraph format, for every RDF format the project exports.
RDF_EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}
_QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG}


def rdf_format(path: str | os.PathLike) -> ox.RdfFormat:
    """The RDF format of a file, from its extension (a ``.gz`` suffix is not supported)."""
    suffix = Path(path).suffix.lower()
    if suffix not in RDF_EXTENSIONS:
        known = ", ".join(sorted(RDF_EXTENSIONS))
        raise UsageError(f"cannot tell the RDF format of {str(path)!r} (known extensions: {known})")
    return RDF_EXTENSIONS[suffix]


def open_store(path: str | os.PathLike, *, create: bool = False, read_only: bool = False) -> StoreGraph:
    """The on-disk store at ``path`` as a :class:`StoreGraph`; ``with open_store(p) as g:``
    releases it at the end of the block.

    With ``create``, a missing directory becomes a new store holding the project's ontology
    (so that role and event-type labels resolve). Raises :class:`~kg.errors.UsageError` for a
    missing store when ``create`` is false.
    """
    path = Path(path)
    exists = path.is_dir() and any(path.iterdir())
    if not exists and not create:
        raise UsageError(f"no store at {str(path)!r}: create one with `kg load FILE --store {path}`")
    try:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise UsageError(f"cannot open the store at {str(path)!r}: {exc}") from None
    return StoreGraph(store, path)


class StoreGraph(KnowledgeGraph):
    """An on-disk Oxigraph store and its event index (:mod:`kg.backends.event_index`): date
    ranges and actors are selected from the index, everything else runs on Oxigraph."""

    def __init__(self, store: ox.Store, location: Path):
        super().__init__(store, None, str(location), union=None)
        #: The store's directory.
        self.location = location

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


def uses_named_graphs(store: ox.Store) -> bool:
    """Whether the store keeps data in named graphs (loaded from TriG or N-Quads), so that
    queries must see their union; the index graph does not count."""
    return any(g.value != GRAPH_INDEX for g in store.named_graphs())


def ensure_ontology(store: ox.Store) -> None:
    """Load schema/ontology.ttl into the ontology graph of a store that holds no copy of it
    (in any graph: an export of the project loaded as triples already carries it)."""
    from kg import paths
    from kg.curate.build import read_ontology

    header = ox.Quad(ox.NamedNode(HK), ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Ontology"), None)
    if next(store.quads_for_pattern(header.subject, header.predicate, header.object, None), None) is None:
        quads = read_ontology(paths.schema_dir())
        if not uses_named_graphs(store):  # a store of triples keeps everything in its default graph
            quads = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
        store.bulk_extend(quads)
        store.flush()


class _CountingReader:
    """A binary file wrapper that reports the bytes read, for a progress bar."""

    def __init__(self, fh, on_read: Callable[[int], None]):
        self._fh = fh
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._on_read(len(data))
        return data

    def readinto(self, buffer) -> int:
        n = self._fh.readinto(buffer)
        self._on_read(n or 0)
        return n


#: Line-based files are loaded in pieces of this many bytes, which bounds memory: Oxigraph's
#: bulk loader holds a whole input in memory (1.4 GB for 2.2M triples at once, 0.3 GB in
#: 32 MB pieces) at the price of some speed (see benchmarks/store.py).
CHUNK_BYTES = 32 * 1024 * 1024
_LINE_FORMATS = {ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS}


def _pieces(fh, size: int):
    """Line-aligned pieces of about ``size`` bytes."""
    while True:
        piece = fh.read(size)
        if not piece:
            return
        piece += fh.readline()
        yield piece


def load_files(
    target: StoreGraph,
    files: Iterable[str | os.PathLike],
    *,
    graph: str | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> int:
    """Bulk-load RDF files into the store of ``target`` (from :func:`open_store`) and bring its
    index graph and event index up to date; returns the number of bytes read.

    Triples of N-Triples, Turtle, RDF/XML and JSON-LD files go into ``graph`` (by default the
    default graph, the fastest to query); TriG and N-Quads keep their own graphs. N-Triples
    and N-Quads are loaded in line-aligned pieces of ``chunk_bytes`` (0: all at once), so
    memory stays bounded whatever the file's size; pieces that name blank nodes are parsed
    with their labels kept (one scope per file, so a node cut across two pieces stays one);
    the event index is read from the same text while Oxigraph loads it. ``progress`` is called with the number of bytes
    read as loading goes. A syntax error raises :class:`~kg.errors.DataError` naming the file.
    """
    from concurrent.futures import ThreadPoolExecutor

    from kg.backends.event_index import IndexBuilder

    store = target.store
    paths = [Path(f) for f in files]
    formats = [rdf_format(path) for path in paths]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"no such file: {str(path)!r}")
    builder = None
    if isinstance(target, StoreGraph) and (target.event_index is not None or not _has_events(store)):
        builder = IndexBuilder(target.location, target.event_index)
    invalidate_index(store)  # until the index is rebuilt, it no longer matches the store
    target.event_index = None
    # Oxigraph loads the files on a thread of its own (it releases the GIL) while another
    # reads the index's facts from the same text and writes the index, at a lower priority so
    # that it takes the cores Oxigraph leaves idle rather than slowing the load.
    with ThreadPoolExecutor(1) as loader, ThreadPoolExecutor(1, initializer=_background) as indexer:
        jobs = []
        for path, fmt in zip(paths, formats, strict=True):
            to_graph = None if fmt in _QUAD_FORMATS or graph is None else ox.NamedNode(graph)
            lines = fmt in _LINE_FORMATS
            jobs.append(loader.submit(_load_file, store, path, fmt, to_graph, chunk_bytes if lines else 0, progress))
            if not lines:
                builder = None  # indexed by a scan of the store once loaded
        indexing = indexer.submit(_index_files, builder, paths, jobs) if builder is not None else None
        for job in jobs:
            job.result()
        index = indexing.result() if indexing is not None else None
    ensure_ontology(store)
    reindex(target, index)
    return sum(path.stat().st_size for path in paths)


def _background() -> None:
    """Lower the priority of the calling thread (Linux; elsewhere, nothing)."""
    import contextlib
    import threading

    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def _index_files(builder: IndexBuilder, paths: list[Path], jobs: list) -> EventIndex | None:
    """Read the event index's facts from line-based RDF files and write it (``None`` if a
    load job failed meanwhile: the store then holds an unknown part of the files)."""
    for path in paths:
        with path.open("rb") as fh:
            for piece in _pieces(fh, CHUNK_BYTES):
                if _failed(jobs):
                    return None
                builder.add_ntriples(piece)
    return None if _failed(jobs) else builder.commit(uuid.uuid4().hex)


def _failed(jobs: list) -> bool:
    return any(job.done() and job.exception() is not None for job in jobs)


def _load_file(store: ox.Store, path: Path, fmt: ox.RdfFormat, to_graph, chunk_bytes: int, progress) -> None:
    with path.open("rb") as fh:
        try:
            if chunk_bytes:
                scope = uuid.uuid4().hex  # this file's blank nodes, kept apart from any other's
                for piece in _pieces(fh, chunk_bytes):
                    if b"_:" in piece:
                        store.bulk_extend(
                            _scoped(ox.parse(piece, format=fmt, rename_blank_nodes=False), scope, to_graph)
                        )
                    else:
                        store.bulk_load(input=piece, format=fmt, to_graph=to_graph)
                    if progress:
                        progress(len(piece))
            else:
                # pyoxigraph reads any object with read(); its stubs ask for a typing.IO
                source = cast(IO[bytes], _CountingReader(fh, progress)) if progress else fh
                store.bulk_load(input=source, format=fmt, to_graph=to_graph)
        except SyntaxError as exc:
            raise DataError([f"{path}: {fmt.name} syntax error: {exc}"]) from None


def _scoped(quads: Iterable[ox.Quad], scope: str, to_graph) -> Iterator[ox.Quad]:
    """The quads of one piece of a file with its blank nodes named ``scope`` + their label:
    the same label is the same node in every piece of the file (Oxigraph's loaders would give
    each piece a scope of its own), and a node of no other file."""
    blank = ox.BlankNode
    for q in quads:
        s, o, g = q.subject, q.object, q.graph_name
        if to_graph is None and type(s) is not blank and type(o) is not blank and type(g) is not blank:
            yield q
            continue
        if to_graph is not None:
            g = to_graph
        elif type(g) is blank:
            g = blank(scope + g.value)
        if type(s) is blank:
            s = blank(scope + s.value)
        if type(o) is blank:
            o = blank(scope + o.value)
        yield ox.Quad(s, q.predicate, o, g)


def _has_events(store: ox.Store) -> bool:
    begin = ox.NamedNode(SEM + "hasEarliestBeginTimeStamp")
    return next(store.quads_for_pattern(None, begin, None), None) is not None


_TOKEN = HK + "eventIndexToken"


def index_token(store: ox.Store) -> str | None:
    """The token of the event index that matches the store's data (see :mod:`kg.backends.event_index`)."""
    found = next(
        store.quads_for_pattern(ox.NamedNode(GRAPH_DATA), ox.NamedNode(_TOKEN), None, ox.NamedNode(GRAPH_INDEX)), None
    )
    return found.object.value if found is not None and isinstance(found.object, ox.Literal) else None


def invalidate_index(store: ox.Store) -> None:
    """Mark the event index out of step with the store, before the store changes."""
    token = ox.NamedNode(_TOKEN)
    for quad in list(store.quads_for_pattern(ox.NamedNode(GRAPH_DATA), token, None, ox.NamedNode(GRAPH_INDEX))):
        store.remove(quad)
    store.flush()


INDEX_QUERIES = {
    "dates": """
        SELECT (MIN(?eb) AS ?min) (MAX(?eb) AS ?max) (MAX(?lb - ?eb) AS ?span) WHERE {
          ?e <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp> ?eb ;
             <http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestBeginTimeStamp> ?lb .
        }""",
    "actors": """
        SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?e <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> ?a } GROUP BY ?a""",
}


def duration_days(duration: str) -> int:
    """Whole days of an ``xsd:dayTimeDuration`` such as ``P365D`` or ``PT0S``.

    >>> duration_days("P40D"), duration_days("PT0S")
    (40, 0)
    """
    import re

    match = re.match(r"^-?P(?:(\d+)D)?", duration)
    return int(match.group(1) or 0) if match else 0


def reindex(target: KnowledgeGraph, index: EventIndex | None = None) -> int:
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
    from kg.backends.event_index import IndexBuilder

    store = target.store
    index_graph = ox.NamedNode(GRAPH_INDEX)
    if store.contains_named_graph(index_graph):
        store.remove_graph(index_graph)
    subject, quads = ox.NamedNode(GRAPH_DATA), []
    if not isinstance(target, StoreGraph):
        target.__dict__.pop("_date_index", None)  # computed afresh: the index graph is gone
        dates, counts, token = target.date_index(), _actor_counts(store), None
    else:
        if index is None:
            builder = IndexBuilder(target.location)
            builder.add_store(store)
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
        quads.append(ox.Quad(subject, ox.NamedNode(_TOKEN), ox.Literal(token), index_graph))
    store.bulk_extend(quads)
    store.flush()
    return len(index) if index is not None else 0


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def _actor_counts(store: ox.Store) -> list[tuple[str, int]]:
    union = uses_named_graphs(store)
    rows = solutions(store.query(INDEX_QUERIES["actors"], use_default_graph_as_union=union))
    return [(row["a"].value, int(row["n"].value)) for row in rows if isinstance(row["a"], ox.NamedNode)]
