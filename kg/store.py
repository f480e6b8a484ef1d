"""Persistent on-disk stores (Oxigraph) and bulk loading of RDF files into them.

A store directory is an Oxigraph (RocksDB) database. Every command of ``kg`` works on it
through ``kg --store PATH``: Oxigraph executes SPARQL natively, so nothing is copied into
memory. Loading uses Oxigraph's own parsers (``Store.bulk_load``), which are an order of
magnitude faster than feeding it through rdflib.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import DataError, UsageError
from kg.namespaces import GRAPH_DATA, GRAPH_INDEX, HK, OWL, RDF, SEM, XSD

if TYPE_CHECKING:
    from kg.event_index import IndexBuilder
    from kg.graph import KnowledgeGraph

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


def open_store(path: str | os.PathLike, *, create: bool = False, read_only: bool = False):
    """A :class:`~kg.graph.KnowledgeGraph` over the on-disk store at ``path``.

    With ``create``, a missing directory becomes a new store holding the project's ontology
    (so that role and event-type labels resolve). Raises :class:`~kg.errors.UsageError` for a
    missing store when ``create`` is false.
    """
    from kg.graph import KnowledgeGraph

    path = Path(path)
    exists = path.is_dir() and any(path.iterdir())
    if not exists and not create:
        raise UsageError(f"no store at {str(path)!r}: create one with `kg load FILE --store {path}`")
    try:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise UsageError(f"cannot open the store at {str(path)!r}: {exc}") from None
    return KnowledgeGraph(store, None, str(path), union=None, location=path)


def uses_named_graphs(store: ox.Store) -> bool:
    """Whether the store keeps data in named graphs (loaded from TriG or N-Quads), so that
    queries must see their union; the index graph does not count."""
    return any(g.value != GRAPH_INDEX for g in store.named_graphs())


def ensure_ontology(store: ox.Store) -> None:
    """Load schema/ontology.ttl into the ontology graph of a store that holds no copy of it
    (in any graph: an export of the project loaded as triples already carries it)."""
    from kg import paths
    from kg.build import read_ontology

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


def _has_blank_nodes(path: Path) -> bool:
    """Whether a line-based file names blank nodes (which pieces loaded apart would split)."""
    with path.open("rb") as fh:
        tail = b""
        for block in iter(lambda: fh.read(CHUNK_BYTES), b""):
            if b"_:" in tail + block:
                return True
            tail = block[-1:]
    return False


def _pieces(fh, size: int):
    """Line-aligned pieces of about ``size`` bytes."""
    while True:
        piece = fh.read(size)
        if not piece:
            return
        piece += fh.readline()
        yield piece


def load_files(
    target: KnowledgeGraph,
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
    and N-Quads without blank nodes are loaded in line-aligned pieces of ``chunk_bytes``
    (0: all at once), so memory stays bounded whatever the file's size, and the event index
    reads each piece while Oxigraph loads it. ``progress`` is called with the number of bytes
    read as loading goes. A syntax error raises :class:`~kg.errors.DataError` naming the file.
    """
    from concurrent.futures import ThreadPoolExecutor

    from kg.event_index import IndexBuilder

    store = target.store
    paths = [Path(f) for f in files]
    formats = [rdf_format(path) for path in paths]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"no such file: {str(path)!r}")
    builder = None
    if target.location is not None and (target.event_index is not None or not _has_events(store)):
        builder = IndexBuilder(target.location, target.event_index)
    invalidate_index(store)  # until the index is rebuilt, it no longer matches the store
    target.event_index = None
    total = 0
    with ThreadPoolExecutor(1) as loader:
        for path, fmt in zip(paths, formats, strict=True):
            to_graph = None if fmt in _QUAD_FORMATS or graph is None else ox.NamedNode(graph)
            with path.open("rb") as fh:
                try:
                    if chunk_bytes and fmt in _LINE_FORMATS and not _has_blank_nodes(path):
                        for piece in _pieces(fh, chunk_bytes):
                            # Oxigraph parses on another core while the index reads the text.
                            job = loader.submit(store.bulk_load, input=piece, format=fmt, to_graph=to_graph)
                            if builder is not None:
                                builder.add_ntriples(piece)
                            job.result()
                            if progress:
                                progress(len(piece))
                    else:
                        builder = None  # indexed by a scan of the store afterwards
                        source = _CountingReader(fh, progress) if progress else fh
                        store.bulk_load(input=source, format=fmt, to_graph=to_graph)
                except SyntaxError as exc:
                    raise DataError([f"{path}: {fmt.name} syntax error: {exc}"]) from None
            total += path.stat().st_size
    ensure_ontology(store)
    reindex(target, builder)
    return total


def _has_events(store: ox.Store) -> bool:
    begin = ox.NamedNode(SEM + "hasEarliestBeginTimeStamp")
    return next(store.quads_for_pattern(None, begin, None), None) is not None


_TOKEN = HK + "eventIndexToken"


def index_token(store: ox.Store) -> str | None:
    """The token of the event index that matches the store's data (see :mod:`kg.event_index`)."""
    found = next(
        store.quads_for_pattern(ox.NamedNode(GRAPH_DATA), ox.NamedNode(_TOKEN), None, ox.NamedNode(GRAPH_INDEX)), None
    )
    return found.object.value if found is not None else None


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


def reindex(target: KnowledgeGraph, builder: IndexBuilder | None = None) -> None:
    """Recompute the store's index graph and its event index (:mod:`kg.event_index`).

    The index graph holds the date range and widest begin uncertainty of the events (so that
    date ranges become lookups over a list of days, also for SPARQL clients of ``kg serve``)
    and each actor's event count (so "top actors" reads a few thousand triples instead of every
    event), with the token of the event index that matches the data. ``kg load`` and
    ``kg import`` call it with the ``builder`` that read their files; without one the store is
    scanned (``kg reindex``, after changing a store by other means). A graph without a
    directory (in memory) gets its index graph from SPARQL aggregates and no event index.
    """
    import uuid

    from kg.event_index import IndexBuilder

    store = target.store
    index = ox.NamedNode(GRAPH_INDEX)
    if store.contains_named_graph(index):
        store.remove_graph(index)
    subject, quads = ox.NamedNode(GRAPH_DATA), []
    if target.location is None:
        dates, counts, token = _aggregates(store), _actor_counts(store), None
    else:
        if builder is None:
            builder = IndexBuilder(target.location)
            builder.add_store(store)
        token = uuid.uuid4().hex
        events = builder.commit(token)
        dates, counts = events.date_range(), events.actor_counts()
        target.event_index = events
    if dates is not None:
        low, high, span = dates
        day = ox.NamedNode(XSD + "date")
        quads += [
            ox.Quad(subject, ox.NamedNode(HK + "minEarliestBegin"), ox.Literal(low.isoformat(), datatype=day), index),
            ox.Quad(subject, ox.NamedNode(HK + "maxEarliestBegin"), ox.Literal(high.isoformat(), datatype=day), index),
            ox.Quad(subject, ox.NamedNode(HK + "maxBeginSpanDays"), _integer(span), index),
        ]
    count = ox.NamedNode(HK + "eventCount")
    quads += [ox.Quad(ox.NamedNode(actor), count, _integer(n), index) for actor, n in counts]
    if token is not None:
        quads.append(ox.Quad(subject, ox.NamedNode(_TOKEN), ox.Literal(token), index))
    store.bulk_extend(quads)
    store.flush()


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def _aggregates(store: ox.Store):
    import datetime as dt

    for row in store.query(INDEX_QUERIES["dates"], use_default_graph_as_union=uses_named_graphs(store)):
        if row["min"] is None:
            return None
        span = duration_days(row["span"].value) if row["span"] is not None else 0
        return dt.date.fromisoformat(row["min"].value), dt.date.fromisoformat(row["max"].value), span
    return None


def _actor_counts(store: ox.Store) -> list[tuple[str, int]]:
    union = uses_named_graphs(store)
    rows = store.query(INDEX_QUERIES["actors"], use_default_graph_as_union=union)
    return [(row["a"].value, int(row["n"].value)) for row in rows if isinstance(row["a"], ox.NamedNode)]
