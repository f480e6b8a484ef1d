"""`kg serve` exposed to hostile clients: no request leaves, timeouts stop queries with an error
status, oversized or deep requests get a 4xx, memory is bounded, the server stays up and its
processes die with it. The server listens on 127.0.0.1 only; load tests are bounded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from hostile import Listener, free_port, service_queries, wait_for_port

pytestmark = pytest.mark.hostile

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def start(*args: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", *args, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wait_for_port(port, proc)
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def server():
    proc, base = start("serve", "--timeout", "3", "--memory", "512", "--workers", "2")
    yield proc, base
    proc.terminate()
    proc.wait(30)


def ask(base: str, text: str = "", *, body: bytes | None = None, path: str = "/query", ctype: str = "") -> tuple:
    """(status, body) of a GET (``text``) or a POST (``body``); bounded by a client timeout."""
    if body is None:
        request = urllib.request.Request(f"{base}{path}?query={urllib.parse.quote(text)}")
    else:
        request = urllib.request.Request(
            f"{base}{path}", data=body, method="POST", headers={"Content-Type": ctype or "application/sparql-query"}
        )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_service_is_refused_in_every_form(server):
    _, base = server
    listener = Listener()
    for text in service_queries(listener.url):
        status, body = ask(base, text)
        assert status == 400 and b"SERVICE" in body, (text, status, body)
        status, body = ask(base, body=text.encode())
        assert status == 400, (text, status, body)
        status, body = ask(base, body=urllib.parse.urlencode({"query": text}).encode(), ctype=FORM)
        assert status == 400, (text, status, body)
    listener.close()
    assert listener.hits == 0


FORM = "application/x-www-form-urlencoded"


def test_a_query_past_its_timeout_is_stopped_with_503(server):
    _, base = server
    started = time.monotonic()
    status, body = ask(base, HEAVY)
    assert status == 503 and b"timed out after 3 s" in body
    assert time.monotonic() - started < 15
    assert ask(base, COUNT)[0] == 200  # the server answers the next query


def test_a_query_over_its_memory_bound_is_stopped():
    proc, base = start("serve", "--timeout", "120", "--memory", "256", "--workers", "1")
    try:
        started = time.monotonic()
        status, body = ask(base, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?f")
        assert status == 503 and b"256 MB" in body, (status, body[:200])
        assert time.monotonic() - started < 100  # stopped by the bound, not the timeout
        assert ask(base, COUNT)[0] == 200
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.mark.parametrize(
    "text",
    ["SELECT * WHERE " + "{" * 10000 + "}" * 10000, "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"],
    ids=["braces", "parentheses"],
)
def test_deep_nesting_gets_400_and_the_server_stays_up(server, text):
    proc, base = server
    status, body = ask(base, body=text.encode())
    assert status == 400 and b"nested too deeply" in body
    assert proc.poll() is None and ask(base, COUNT)[0] == 200


def test_oversized_requests_get_a_4xx(server):
    proc, base = server
    status, body = ask(base, body=b"#" * (46 << 20))
    assert status == 413 and b"too large" in body
    status, _ = ask(base, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2_800_000)
    assert status == 414
    status, _ = ask(base, body=b"\xff\xfe SELECT")
    assert status == 400
    assert proc.poll() is None and ask(base, COUNT)[0] == 200


def test_fifty_concurrent_heavy_queries_are_bounded_and_the_server_stays_up(server):
    proc, base = server
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(ask(base, HEAVY)[0])) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert Counter(statuses) == {503: 50}  # each stopped at its timeout, or refused while busy
    assert proc.poll() is None and ask(base, COUNT)[0] == 200


def test_other_paths_and_methods(server):
    _, base = server
    assert ask(base, path="/etc/passwd")[0] == 404
    status, _ = ask(
        base, body=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", path="/update", ctype="application/sparql-update"
    )
    assert status in (403, 405)


def test_updates_with_service_are_refused_on_a_writable_server(tmp_path):
    proc, base = start("--store", str(_store(tmp_path)), "serve", "--writable", "--timeout", "5")
    listener = Listener()
    try:
        update = f"INSERT {{ ?s ?p ?o }} WHERE {{ BIND('''x''' AS ?x) SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        status, body = ask(base, body=update.encode(), path="/update", ctype="application/sparql-update")
        assert status == 400 and b"SERVICE" in body
        status, _ = ask(
            base, body=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", path="/update", ctype="application/sparql-update"
        )
        assert status == 204
        status, body = ask(base, "ASK { <urn:a> <urn:b> <urn:c> }", path="/query")
        assert status == 200 and b"true" in body  # queries see the update
    finally:
        listener.close()
        proc.terminate()
        proc.wait(60)
    assert listener.hits == 0


def _store(tmp_path):
    from kg.backends.loading import load_files
    from kg.graph import open_store

    turtle = tmp_path / "g.ttl"
    turtle.write_text("<urn:x> <urn:y> <urn:z> .\n", encoding="utf-8")
    location = tmp_path / "store"
    load_files(open_store(location, create=True), [turtle])
    return location


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "zombie" not in status.read()
    except FileNotFoundError:
        return False


def test_kill_9_of_kg_serve_ends_every_server_process(tmp_path):
    location = _store(tmp_path)
    proc, base = start("--store", str(location), "serve", "--writable")
    assert ask(base, COUNT)[0] == 200
    children = _children(proc.pid)
    assert len(children) >= 3  # Oxigraph's server and two query workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [c for c in children if _alive(c)]
    from kg.graph import open_store

    assert len(open_store(location).store) > 0  # the store's lock was released


def test_many_idle_connections_do_not_bring_the_server_down(server):
    import socket

    proc, base = server
    port = int(base.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(300)]
    try:
        assert idle[-1].recv(1) == b""  # beyond 256 at once, closed at once (not held 30 s)
        assert proc.poll() is None
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if ask(base, COUNT)[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    assert proc.poll() is None and ask(base, COUNT)[0] == 200
