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

import pyoxigraph as ox

from kg.errors import DataError, UsageError
from kg.namespaces import GRAPH_DATA, HK, OWL, RDF

#: File extension -> Oxigraph format, for every RDF format the project exports.
RDF_EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD, ".n3": ox.RdfFormat.N3,
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
    return KnowledgeGraph(store, None, str(path))


def ensure_ontology(store: ox.Store) -> None:
    """Load schema/ontology.ttl into the ontology graph of a store that holds no copy of it
    (in any graph: an export of the project loaded as triples already carries it)."""
    from kg import paths
    from kg.build import read_ontology

    header = ox.Quad(ox.NamedNode(HK), ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Ontology"), None)
    if next(store.quads_for_pattern(header.subject, header.predicate, header.object, None), None) is None:
        store.bulk_extend(read_ontology(paths.schema_dir()))
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


def load_files(
    store: ox.Store,
    files: Iterable[str | os.PathLike],
    *,
    graph: str | None = GRAPH_DATA,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Bulk-load RDF files into ``store``; returns the number of bytes read.

    Triples of N-Triples, Turtle, RDF/XML and JSON-LD files go into ``graph`` (the data
    graph by default); TriG and N-Quads keep their own graphs. ``progress`` is called with
    the number of bytes read as loading goes. A syntax error raises
    :class:`~kg.errors.DataError` naming the file and position.
    """
    total = 0
    for f in files:
        path = Path(f)
        fmt = rdf_format(path)
        if not path.is_file():
            raise UsageError(f"no such file: {str(path)!r}")
        to_graph = None if fmt in _QUAD_FORMATS or graph is None else ox.NamedNode(graph)
        with path.open("rb") as fh:
            source = _CountingReader(fh, progress) if progress else fh
            try:
                store.bulk_load(input=source, format=fmt, to_graph=to_graph)
            except SyntaxError as exc:
                raise DataError([f"{path}: {fmt.name} syntax error: {exc}"]) from None
        total += path.stat().st_size
    ensure_ontology(store)
    store.flush()
    return total
