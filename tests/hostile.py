"""Helpers of the hostile-input suites (tests/test_hostile*.py): run `kg` as a user would, in a
process of its own with a time bound, and check that it failed cleanly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kg(*args: str, timeout: float = 120, stdin: bytes | None = None, cwd: Path | None = None, **env: str):
    """``kg ARGS`` in a new process; fails the test (TimeoutExpired) if it runs past ``timeout``."""
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        cwd=cwd or ROOT,
        env={**os.environ, **env},
    )


def clean_error(result: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    """Assert exit ``code`` with a one-line ``Error:`` message holding ``needles``; return it."""
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, (result.returncode, err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, err[-2000:]
    for needle in needles:
        assert needle.lower() in lines[0].lower(), lines[0]
    return lines[0]


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it gets (a request that left)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        time.sleep(0.3)  # a request on its way still arrives
        self._stop.set()
        self._thread.join()
        self.sock.close()


def ctrl_c_default() -> None:
    """(``preexec_fn``) Give the child Ctrl-C's default action, as a terminal's shell does: a
    test suite started in the background inherits SIGINT ignored, and Python keeps it so."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def appeared(root: Path, pattern: str) -> bool:
    """Whether a file matching ``pattern`` is under ``root``, while another process may be
    creating and removing the directories on the way."""
    try:
        return any(root.glob(pattern))
    except FileNotFoundError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def service_queries(url: str) -> list[str]:
    """``SERVICE`` in every form a keyword check misses or a parser might: after an IRI or a
    string, nested, in a subquery, with a variable IRI, escaped, lower case, SILENT."""
    return [
        f"SELECT * WHERE {{ FILTER(1<2)SERVICE<{url}>{{?s ?p ?o}} }}",
        f"SELECT * WHERE {{ BIND('''it's''' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ BIND("a\\"b" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ ?a ?b ?c MINUS {{ service silent <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"ASK {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]
