"""The bundled graph: ``data/`` built into RDF once, cached as N-Quads, loaded into memory.

The first load after a change to ``data/``, ``schema/`` or the build code parses the YAML and
writes an N-Quads cache file; later loads read that file straight into an in-memory Oxigraph
store (:class:`~kg.backends.memory.MemoryBackend`), which keeps ``kg timeline`` and
``kg query`` faster than importing rdflib.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg import atomic, paths
from kg.backends.memory import MemoryBackend, sorted_quads
from kg.sparql import serialize_rdf

_Graph = TypeVar("_Graph", bound=MemoryBackend)

# Code whose change alters the built graph, and so the cache key.
_BUILD_CODE = (
    "curate/build.py",
    "curate/statements.py",
    "curate/terms.py",
    "curate/records.py",
    "curate/specs.py",
    "curate/yaml_read.py",
    "curate/dates.py",
    "curate/bundle.py",
    "namespaces.py",
    "paths.py",  # read_ontology
)


def fingerprint(data_dir: Path, schema_dir: Path) -> str:
    """SHA-256 over the contents of the data, the schema and the build code."""
    h = hashlib.sha256()
    files = [("code", paths.PACKAGE_DIR / name) for name in _BUILD_CODE]
    for label, root in (("data", data_dir), ("schema", schema_dir)):
        files += [(label, p) for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".yaml", ".yml", ".ttl")]
    for label, path in files:
        rel = path.name if label == "code" else path.relative_to(data_dir if label == "data" else schema_dir).as_posix()
        h.update(f"{label}/{rel}\0".encode())
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def build_nquads(data_dir: Path, schema_dir: Path) -> bytes:
    """Parse and check the YAML, build the graph, and return it as sorted N-Quads."""
    from kg.curate.build import build_quads
    from kg.curate.records import load_records

    dataset = load_records(data_dir)
    quads = build_quads(dataset, paths.read_ontology(schema_dir))
    return serialize_rdf(sorted_quads(quads), ox.RdfFormat.N_QUADS)


def load(
    data: str | os.PathLike | None = None,
    *,
    cache: bool = True,
    kind: type[_Graph] = MemoryBackend,  # type: ignore[assignment]
) -> _Graph:
    """The graph of a data directory (default: the bundled data, or ``$KG_DATA``) as a
    ``kind`` (:func:`kg.load` asks for a :class:`kg.KnowledgeGraph`).

    The graph is built once and cached; the cache is rebuilt when the data, the schema or the
    build code change. Raises :class:`~kg.errors.DataError` when the data has mistakes.

    >>> g = load()
    >>> len(g) > 1000
    True
    """
    data_dir = paths.data_dir(data).resolve()
    schema_dir = paths.schema_dir()
    if not data_dir.is_dir():
        from kg.errors import DataError

        raise DataError([f"{data_dir}: no such data directory"])
    if not cache:
        return kind.from_nquads(build_nquads(data_dir, schema_dir), data_dir)
    key = fingerprint(data_dir, schema_dir)
    where = hashlib.sha256(str(data_dir).encode()).hexdigest()[:12]
    nquads = _cached_nquads(paths.cache_dir(), f"graph-{where}-{key[:24]}")
    if nquads is None:
        nquads = build_nquads(data_dir, schema_dir)
        _write_cache(paths.cache_dir(), f"graph-{where}-{key[:24]}", f"graph-{where}-", nquads)
    return kind.from_nquads(nquads, data_dir)


def _cached_nquads(directory: Path, stem: str) -> bytes | None:
    """The cache file ``STEM-SHA.nq`` whose content has the SHA-256 its name says; a damaged
    one (cut, emptied, edited, overwritten) is removed with a warning and ``None`` returned,
    so that the graph is rebuilt rather than trusted."""
    import sys

    for path in sorted(directory.glob(f"{stem}-*.nq")):
        try:
            data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest()[:32] == path.stem.rsplit("-", 1)[-1]:
            return data
        print(f"warning: the graph cache {path} is damaged: rebuilding it", file=sys.stderr)
        path.unlink(missing_ok=True)
    return None


def _write_cache(directory: Path, stem: str, family: str, nquads: bytes) -> None:
    """Write the cache atomically under a name holding its SHA-256, then remove the caches of
    older data. Processes that build at once write the same bytes under the same name, and
    none removes a file of the current data, so none pulls a cache from under another."""
    import sys

    target = directory / f"{stem}-{hashlib.sha256(nquads).hexdigest()[:32]}.nq"
    try:
        atomic.write_bytes(target, nquads)
    except OSError as exc:  # a read-only or full disk: the graph is built, only not kept
        print(f"warning: cannot write the graph cache {target}: {exc.strerror or exc}", file=sys.stderr)
        return
    for old in directory.glob(f"{family}*.nq"):
        if not old.name.startswith(stem + "-"):
            old.unlink(missing_ok=True)
