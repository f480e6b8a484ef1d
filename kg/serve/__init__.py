"""``kg serve``: the graph over the SPARQL 1.1 Protocol, safe to expose.

A small Python front (:mod:`kg.serve.http_front`) answers every request: it refuses
``SERVICE`` (the server would send requests for any client), oversized or deeply nested
requests, and runs each query in a worker process (:mod:`kg.backends.query_workers`) that a
timeout or a memory bound really stops. The query page (``/``) and the resources' pages
(``/id/...``) are kg's own (:mod:`kg.site.server`), not Oxigraph's YASGUI, which calls
prefix.cc. Updates (``--writable``) and the Graph Store Protocol (``/store``) are passed to the
``oxigraph`` program (PyPI package ``oxigraph``, the ``serve`` extra), which listens on the
loopback interface only and dies with ``kg serve``, even under ``kill -9``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
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
    location: str | os.PathLike, *, port: int, timeout: int = 30, writable: bool = False, union: bool = True
) -> list[str]:
    """The command line of Oxigraph's server over the store at ``location``, on a loopback
    ``port``; ``union`` makes the default graph of queries the union of all graphs."""
    mode = "serve" if writable else "serve-read-only"
    cmd = [oxigraph_binary(), mode, "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    return cmd + (["--union-default-graph"] if union else []) + ["--timeout-s", str(timeout)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _backend(location: str | os.PathLike, **options) -> tuple[subprocess.Popen, int]:
    from kg.backends.query_workers import die_with_parent

    port = _free_port()
    # started from the main thread: PR_SET_PDEATHSIG follows the thread that forks
    proc = subprocess.Popen(
        command(location, port=port, **options),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=die_with_parent,  # noqa: PLW1509 - before any thread is started
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:  # it creates a missing store
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise UsageError(f"Oxigraph's server did not start on the store at {str(location)!r}")


def run(
    location: str | os.PathLike,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: int = 30,
    writable: bool = False,
    union: bool = True,
    workers: int = 2,
    memory_mb: int = 2048,
    ready: threading.Event | None = None,
) -> None:
    """Serve the store at ``location`` until interrupted (``KeyboardInterrupt``), then stop
    every process it started; their store is closed when this returns."""
    from kg.backends.query_workers import Pool
    from kg.serve.http_front import Server

    backend, backend_port = _backend(location, timeout=timeout, writable=writable, union=union)
    pool = Pool(str(location), union, size=workers, timeout=timeout, memory_mb=memory_mb)
    server = None
    try:
        pool.start()
        try:
            server = Server((host, port), pool, ("127.0.0.1", backend_port))
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        threading.Thread(target=server.serve_forever, daemon=True).start()
        if ready is not None:
            ready.set()
        while True:
            pool.supervise_once()
            if backend.poll() is not None:  # Oxigraph's server died: start another
                backend, backend_port = _backend(location, timeout=timeout, writable=writable, union=union)
                server.backend = ("127.0.0.1", backend_port)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        pool.close()
        backend.terminate()
        try:
            backend.wait(timeout=30)
        except subprocess.TimeoutExpired:
            backend.kill()
            backend.wait()


def start(location: str | os.PathLike, **options) -> subprocess.Popen:
    """Start the server over the store at ``location`` in another process; the caller stops it
    (``proc.terminate()``). Options are those of :func:`run`."""
    args = [sys.executable, "-m", "kg.serve", str(location)]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        args += [flag] if value is True else [] if value is False else [flag, str(value)]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main(argv: list[str] | None = None) -> None:
    """``python -m kg.serve LOCATION [--port N] ...``: :func:`run`, without the CLI."""
    import argparse
    import signal

    parser = argparse.ArgumentParser(prog="kg.serve")
    parser.add_argument("location")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7878)
    parser.add_argument("--timeout", type=int, default=30)
    parser.add_argument("--writable", action="store_true")
    parser.add_argument("--union", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-mb", type=int, default=2048)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        run(**vars(args))
