"""Bulk loading of RDF files into an on-disk store (:func:`load_files`, ``kg load``), with
the store's event index read from the same text while Oxigraph loads it.

Oxigraph's own parsers (``Store.bulk_load``) are an order of magnitude faster than feeding
triples through rdflib; line-based files are loaded in pieces, which bounds memory.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kg.backends.event_index import EventIndex
from kg.backends.index_builder import IndexBuilder, ontology_roles, store_roles
from kg.backends.index_graph import invalidate_index
from kg.backends.pieces import lines_in_file, pieces, plan, scoped
from kg.backends.store import StoreBackend, ensure_ontology, reindex
from kg.errors import DataError, UsageError
from kg.namespaces import SEM

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


#: Line-based files are loaded in pieces of this many bytes, :data:`IN_FLIGHT` at a time,
#: which bounds memory: Oxigraph's bulk loader holds up to a million quads per thread (1.5 GB
#: for 2.4M triples loaded at once; 0.2 GB in two 8 MB pieces at a time). One call on a piece
#: under a million quads parses it and then writes it, on one core; two calls at a time keep
#: both cores busy and load faster than one call on the whole file (see benchmarks/store.py).
CHUNK_BYTES = 8 * 1024 * 1024
#: Pieces loaded at the same time (pyoxigraph's loader runs without holding the GIL).
IN_FLIGHT = 2
_LINE_FORMATS = {ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS}


def load_files(
    target: StoreBackend,
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
    memory stays bounded whatever the file's size: Oxigraph's loader takes a piece as text
    unless a blank node it names is named in another piece too; those pieces are parsed
    with their labels kept (one scope per file, so a node cut across two pieces stays one).
    The event index is read from the same text while Oxigraph loads it. ``progress`` is
    called with the number of bytes read as loading goes. A syntax error raises
    :class:`~kg.errors.DataError` naming the file.
    """
    from concurrent.futures import ThreadPoolExecutor

    store = target.store
    paths = [Path(f) for f in files]
    formats = [rdf_format(path) for path in paths]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"no such file: {str(path)!r}")
    # The event index is read from line-based text as it loads; other formats, or a store
    # whose index is already out of step, are scanned once loaded (reindex).
    indexed = all(fmt in _LINE_FORMATS for fmt in formats) and (
        isinstance(target, StoreBackend) and (target.event_index is not None or not _has_events(store))
    )
    roles = tuple(sorted(set(ontology_roles()) | store_roles(store))) if indexed else ()
    base = target.event_index
    # Big inputs are indexed in a process of their own: both the loader (open pieces) and
    # the indexer run Python per quad or line, and on threads they would take turns on one
    # interpreter's lock; small ones on a thread, which starts free.
    total = sum(path.stat().st_size for path in paths)
    apart = indexed and total >= _PROCESS_BYTES
    builder = IndexBuilder(target.location, base, roles) if indexed and not apart else None
    base_token = base.token if apart and base is not None else None
    invalidate_index(store)  # until the index is rebuilt, it no longer matches the store
    target.event_index = None
    # Blank nodes cut across pieces keep their labels: as they are in a file loaded first
    # into an empty store (no other node can share one), in a scope of its own in the others.
    fresh = next(iter(store.quads_for_pattern(None, None, None, None)), None) is None
    with ThreadPoolExecutor(1) as loader, ThreadPoolExecutor(1, initializer=_background) as indexer:
        jobs = []
        for n, (path, fmt) in enumerate(zip(paths, formats, strict=True)):
            to_graph = None if fmt in _QUAD_FORMATS or graph is None else ox.NamedNode(graph)
            piece_bytes = chunk_bytes if fmt in _LINE_FORMATS else 0
            scope = "" if fresh and n == 0 else uuid.uuid4().hex
            jobs.append(loader.submit(_load_file, store, path, fmt, to_graph, piece_bytes, progress, scope))
        if total >= COMPACT_BYTES:
            jobs.append(loader.submit(_compact, store, list(jobs)))
        if apart:
            index = _index_apart(target.location, base_token, roles, paths, jobs)
        else:
            indexing = indexer.submit(_index_files, builder, paths, jobs) if builder is not None else None
            for job in jobs:
                job.result()
            index = indexing.result() if indexing is not None else None
    ensure_ontology(store)
    reindex(target, index)
    return total


#: Inputs of at least this many bytes are indexed in a process of their own.
_PROCESS_BYTES = 64 * 1024 * 1024
#: The indexer reads in pieces of this many bytes: what one piece's statements take as Python
#: objects (~4x the text) adds to the index's own memory, ~700 MB at a million events.
_INDEX_PIECE_BYTES = 4 * 1024 * 1024


def _index_apart(
    location: Path, base: str | None, roles: tuple[str, ...], paths: list[Path], jobs: list
) -> EventIndex | None:
    """Index ``paths`` in a child process (``python -m kg.backends.loading``: a fresh
    interpreter, whatever the parent runs in), on top of the index whose token is ``base``,
    while ``jobs`` load them; the index once both are done, ``None`` if the child failed (the
    store is then scanned instead). A failed load stops the child and removes what it staged."""
    import json
    import subprocess
    import sys

    token = uuid.uuid4().hex
    task = json.dumps([str(location), base, list(roles), [str(p) for p in paths], token, os.getpid()])
    child = subprocess.Popen(
        [sys.executable, "-m", "kg.backends.loading", task],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for job in jobs:
            job.result()
    except BaseException:
        child.kill()
        child.wait()
        _remove_staged(location)
        raise
    if child.wait() != 0:
        _remove_staged(location)
        return None
    return EventIndex.open(location, token)


def _index_child(location: str, base: str | None, roles: list[str], paths: list[str], token: str, parent: int) -> None:
    """(the child process of :func:`_index_apart`) Write the event index of the line-based
    files ``paths`` under ``token``, on top of the store's index whose token is ``base``; end
    with the process ``parent`` (``kg load`` killed, even by SIGKILL, leaves no indexer behind).

    At the loader's priority: the index's last step waits for all of the text, so a lower
    priority only starved the indexer while the pieces loaded and made the load wait for it."""
    _end_with(parent)
    previous = EventIndex.open(location, base) if base else None
    builder = IndexBuilder(location, previous, tuple(roles))
    for path in paths:
        with open(path, "rb") as fh:
            for piece in pieces(fh, _INDEX_PIECE_BYTES):
                builder.add_ntriples(piece)
    builder.commit(token).close()


def _end_with(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` ends (Linux's ``PR_SET_PDEATHSIG``;
    elsewhere, nothing), and end now if it already has."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:
        raise SystemExit(1)


def _remove_staged(location: Path) -> None:
    from kg.backends.event_index import FILENAME

    for suffix in (".tmp", ".staging"):
        (Path(location) / (FILENAME + suffix)).unlink(missing_ok=True)


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
            for piece in pieces(fh, _INDEX_PIECE_BYTES):
                if _failed(jobs):
                    builder.discard()
                    return None
                builder.add_ntriples(piece)
    if _failed(jobs):
        builder.discard()
        return None
    return builder.commit(uuid.uuid4().hex)


def _failed(jobs: list) -> bool:
    return any(job.done() and job.exception() is not None for job in jobs)


def _load_file(
    store: ox.Store, path: Path, fmt: ox.RdfFormat, to_graph, chunk_bytes: int, progress, scope: str
) -> None:
    """Load one file, in pieces of ``chunk_bytes`` (0: at once). A piece whose blank nodes
    no other piece names goes to Oxigraph's loader as text; in the others, blank nodes keep
    their labels, prefixed with ``scope`` (none: as they are), so that a node cut across two
    pieces stays one node (parsed by Oxigraph, but handed over quad by quad)."""
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    def one(piece: bytes, closed: bool) -> None:
        if closed:  # Oxigraph's loader, parsing in Rust
            store.bulk_load(input=piece, format=fmt, to_graph=to_graph)
        elif scope or to_graph is not None:
            store.bulk_extend(scoped(ox.parse(piece, format=fmt, rename_blank_nodes=False), scope, to_graph))
        else:  # labels kept as they are: Oxigraph's parser feeds its loader
            store.bulk_extend(ox.parse(piece, format=fmt, rename_blank_nodes=False))

    with path.open("rb") as fh:
        try:
            if chunk_bytes:
                # IN_FLIGHT pieces at a time; the order they land in does not matter (a store
                # is a set of quads, and each blank node label has a single scope per file)
                with ThreadPoolExecutor(IN_FLIGHT) as pool:
                    running: deque[tuple[Future, int, int]] = deque()
                    lines = 0  # in the pieces before this one: an error's line is counted from there
                    for length, closed in plan(path, chunk_bytes):
                        if len(running) >= IN_FLIGHT:
                            _landed(running, progress)
                        piece = fh.read(length)
                        running.append((pool.submit(one, piece, closed), length, lines))
                        lines += piece.count(b"\n")
                    while running:
                        _landed(running, progress)
            else:
                # pyoxigraph reads any object with read(); its stubs ask for a typing.IO
                source = cast(IO[bytes], _CountingReader(fh, progress)) if progress else fh
                store.bulk_load(input=source, format=fmt, to_graph=to_graph)
        except SyntaxError as exc:
            raise DataError([f"{path}: {fmt.name} syntax error: {exc}"]) from None


def _landed(running, progress) -> None:
    """Wait for the oldest piece in flight and report its bytes; its syntax error is raised
    here, with the lines of the file (Oxigraph counts them from the start of the piece)."""
    job, length, before = running.popleft()
    try:
        job.result()
    except SyntaxError as exc:
        raise SyntaxError(lines_in_file(str(exc.msg or exc), before)) from None
    if progress:
        progress(length)


#: Loads of at least this many bytes compact the store once loaded (:func:`_compact`).
COMPACT_BYTES = 64 * 1024 * 1024


def _compact(store: ox.Store, jobs: list) -> None:
    """Compact the store once its files are loaded (while the event index is still being
    written): each piece's bulk load leaves sorted files of its own, which every later
    lookup must merge; compacted, the quotes of a week's 10,000 nodes on a million events
    are read in 0.5 s instead of 2.3 s, for 39 s more of loading. Only after a load of
    :data:`COMPACT_BYTES` or more: compaction rewrites the whole store, so a few rows added
    to a big one would cost the time and the disk space of a copy of it (the staged copy
    of ``kg load`` and ``kg import`` no longer shares the store's files)."""
    if not _failed(jobs):
        store.optimize()


def _has_events(store: ox.Store) -> bool:
    begin = ox.NamedNode(SEM + "hasEarliestBeginTimeStamp")
    return next(store.quads_for_pattern(None, begin, None), None) is not None


if __name__ == "__main__":  # the indexing process of _index_apart
    import json
    import sys

    _index_child(*json.loads(sys.argv[1]))
