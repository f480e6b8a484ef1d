"""``kg serve``: the graph over the SPARQL 1.1 Protocol, by Oxigraph's own HTTP server.

The server is the ``oxigraph`` program (PyPI package ``oxigraph``, the ``serve`` extra). It
answers ``/query`` (SPARQL 1.1 Protocol, content negotiation for JSON, XML, CSV and TSV
results and Turtle, N-Triples, JSON-LD graphs), ``/store`` (Graph Store Protocol, read-only
unless ``--writable``) and serves its query page (YASGUI, bundled in the binary) at ``/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from kg import paths
from kg.errors import UsageError


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server program, from this environment or the PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise UsageError("the SPARQL server needs the `oxigraph` program: pip install 'hk-timeline-kg[serve]'")
    return found


def materialise(graph) -> Path:
    """An on-disk store holding ``graph`` (the cached bundled graph), for the server to open.

    Kept in the cache directory, keyed like the N-Quads cache, so it is built once per data
    version.
    """
    location = paths.cache_dir() / f"store-{graph.fingerprint[:24]}"
    marker = location / ".kg-complete"
    if not marker.exists():
        shutil.rmtree(location, ignore_errors=True)
        store = ox.Store(str(location))
        store.bulk_extend(graph.store)
        store.flush()
        del store
        marker.touch()
    return location


def command(
    location: str | os.PathLike,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: int = 30,
    writable: bool = False,
    union: bool = True,
) -> list[str]:
    """The command line that serves the store at ``location``; ``union`` makes the default
    graph of queries the union of all graphs (for stores that keep data in named graphs)."""
    mode = "serve" if writable else "serve-read-only"
    cmd = [oxigraph_binary(), mode, "--location", str(location), "--bind", f"{host}:{port}"]
    return cmd + (["--union-default-graph"] if union else []) + ["--timeout-s", str(timeout)]


def start(location: str | os.PathLike, **options) -> subprocess.Popen:
    """Start the server in the background; the caller stops it (``proc.terminate()``)."""
    return subprocess.Popen(command(location, **options), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
