"""Queries of ``kg serve`` run in worker processes, so that a query can really be stopped.

Oxigraph cannot cancel a query from Python and its server's own timeout lets a heavy query run
on for minutes: a worker process can be killed. Each worker opens the store read-only (Oxigraph
lets readers share a store with its one writer), runs one query at a time under a data-memory
limit (``RLIMIT_DATA``: the heap, not the store's mapped files; a query that needs more ends
its worker, not the server), and dies with the server (``PR_SET_PDEATHSIG``), even under
``kill -9``. The pool replaces a killed worker; requests
beyond what the workers and a short queue can take are refused at once (HTTP 503).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

#: Result formats by media type, for SELECT/ASK and for CONSTRUCT/DESCRIBE.
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/n-quads": "N_QUADS",
    "application/trig": "TRIG",
}


@dataclass
class Reply:
    """An HTTP answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


def die_with_parent() -> None:
    """Ask Linux to kill this process when the process (thread) that started it dies."""
    import ctypes

    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool still stops its workers on exit
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _accepted(accept: str) -> list[str]:
    """Media types of an Accept header, best first."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media.lower()))
    return [m for _, _, m in sorted(ranked)]


def _serialize(result: Any, accept: str) -> Reply:
    import pyoxigraph as ox

    wanted = _accepted(accept) or ["*/*"]
    graph = isinstance(result, ox.QueryTriples)
    table = GRAPH_TYPES if graph else RESULT_TYPES
    chosen = next((m for m in wanted if m in table), None)
    if chosen is None and any(m in ("*/*", "application/*", "text/*") for m in wanted):
        chosen = "text/turtle" if graph else "application/sparql-results+json"
    if chosen is None:
        return Reply.error(406, f"no result format for Accept: {accept}")
    fmt = getattr(ox.RdfFormat if graph else ox.QueryResultsFormat, table[chosen])
    return Reply(200, f"{chosen}; charset=utf-8", result.serialize(format=fmt))


def _worker_main(conn: Any, location: str, union: bool, memory_mb: int) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    import resource

    import pyoxigraph as ox

    store, generation = ox.Store.read_only(location), 0
    if memory_mb:
        with open("/proc/self/status") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmData:"))
        limit = size + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        text, accept, want_generation, default_graphs, named_graphs = job
        try:
            if want_generation != generation:  # the server wrote to the store: see the change
                del store
                store, generation = ox.Store.read_only(location), want_generation
            options: dict[str, Any] = {"use_default_graph_as_union": union and not default_graphs}
            if default_graphs:
                options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            if named_graphs:
                options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            reply = _serialize(store.query(text, **options), accept)
        except SyntaxError as exc:
            reply = Reply.error(400, f"SPARQL syntax error: {exc}")
        except ValueError as exc:
            reply = Reply.error(400, str(exc))
        except MemoryError:
            reply = Reply.error(503, f"the query needs more than the {memory_mb} MB a query may use")
        except (OSError, RuntimeError) as exc:
            reply = Reply.error(500, f"query failed: {exc}")
        conn.send(reply)


@dataclass
class _Worker:
    proc: Any
    conn: Any


@dataclass
class Pool:
    """``size`` query processes over the store at ``location``; :meth:`run` gives each
    query ``timeout`` seconds (waiting included) and ``memory_mb`` megabytes."""

    location: str
    union: bool
    size: int = 2
    timeout: float = 30
    memory_mb: int = 2048
    max_waiting: int = 32
    generation: int = 0
    _idle: queue.Queue = field(default_factory=queue.Queue)
    _respawn: queue.Queue = field(default_factory=queue.Queue)
    _waiting: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[_Worker] = field(default_factory=list)

    def start(self) -> None:
        """Start the workers; call from the main thread (a worker dies with the thread that
        started it), as :meth:`supervise` does."""
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(child, self.location, self.union, self.memory_mb), daemon=True)
        proc.start()
        child.close()
        worker = _Worker(proc, parent)
        with self._lock:
            self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.proc.kill()
        worker.proc.join(5)
        worker.conn.close()
        with self._lock:
            self._workers.remove(worker)
        self._respawn.put(True)

    def supervise_once(self, wait: float = 0.2) -> None:
        """Replace the workers killed since the last call (call it on the main thread)."""
        try:
            self._respawn.get(timeout=wait)
        except queue.Empty:
            return
        self._idle.put(self._spawn())

    def close(self) -> None:
        for worker in list(self._workers):
            worker.proc.kill()
            worker.proc.join(5)

    def written(self) -> None:
        """The store has changed: workers reopen it before their next query."""
        with self._lock:
            self.generation += 1

    def run(self, text: str, accept: str, default_graphs: list[str], named_graphs: list[str]) -> Reply:
        deadline = time.monotonic() + self.timeout
        with self._lock:
            if self._waiting >= self.size + self.max_waiting:
                return Reply.error(503, "the server is busy: too many queries at once, try again later")
            self._waiting += 1
        try:
            try:
                worker = self._idle.get(timeout=self.timeout)
            except queue.Empty:
                return Reply.error(503, f"query timed out after {self.timeout:g} s waiting for a free worker")
            try:
                worker.conn.send((text, accept, self.generation, default_graphs, named_graphs))
                ready = worker.conn.poll(max(0.0, deadline - time.monotonic()))
                reply = worker.conn.recv() if ready else None
            except (EOFError, OSError):  # the worker died: out of memory
                self._retire(worker)
                return Reply.error(503, f"query stopped: it needed more than the {self.memory_mb} MB a query may use")
            if reply is None:
                self._retire(worker)
                return Reply.error(503, f"query timed out after {self.timeout:g} s and was stopped")
            self._idle.put(worker)
            return reply
        finally:
            with self._lock:
                self._waiting -= 1
