"""`--endpoint` against servers that misbehave: each answer is a clear one-line error naming the
endpoint, in bounded time. The servers are sockets on 127.0.0.1 in this process."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from hostile import clean_error, kg

pytestmark = pytest.mark.hostile

JSON = "application/sparql-results+json"
ROW = b'{"s":{"type":"uri","value":"urn:x:a"}},'


class BadServer:
    """Answers every request with ``behaviour(conn)``."""

    def __init__(self, behaviour) -> None:
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(
                (int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")), 0
            )
            while len(body) < length:
                body += conn.recv(65536)
            self.behaviour(conn, self.stop)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def answer(status: str, ctype: str, body: bytes):
    def send(conn, _stop):
        conn.sendall(f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        conn.sendall(body)

    return send


def drip(conn, stop):
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: {JSON}\r\n\r\n".encode())
    for byte in b'{"head":{"vars":["s"]},"results":{"bindings":[]}}':
        if stop.wait(1):
            return
        conn.sendall(bytes([byte]))


def silent(conn, stop):
    stop.wait(60)


def flood(conn, stop):
    conn.sendall(
        f'HTTP/1.1 200 OK\r\nContent-Type: {JSON}\r\n\r\n{{"head":{{"vars":["s"]}},"results":{{"bindings":['.encode()
    )
    chunk = ROW * 20_000
    while not stop.is_set():
        conn.sendall(chunk)


CASES = {
    "malformed-json": answer("200 OK", JSON, b'{"head": {"vars": ["s"]}, "results": {"bindings": [{,]}}'),
    "truncated-json": answer("200 OK", JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[' + ROW),
    "html-with-200": answer("200 OK", "text/html", b"<html><body>Welcome to our portal</body></html>"),
    "empty-body": answer("200 OK", JSON, b""),
    "xml-not-json": answer(
        "200 OK",
        "application/sparql-results+xml",
        b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><results/></sparql>',
    ),
    "invalid-iri": answer(
        "200 OK", JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"a b<c>"}}]}}'
    ),
    "server-error": answer("500 Internal Server Error", "text/plain", b"boom\nat line 2"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_answer_is_a_clear_error_naming_the_endpoint(case):
    server = BadServer(CASES[case])
    try:
        result = kg("--endpoint", server.url, "query", "SELECT ?s WHERE { ?s ?p ?o }", timeout=60)
        clean_error(result, 4, server.url)
    finally:
        server.close()


@pytest.mark.parametrize("behaviour", [drip, silent], ids=["drips-a-byte-a-second", "never-answers"])
def test_a_slow_endpoint_meets_the_client_timeout(behaviour):
    server = BadServer(behaviour)
    started = time.monotonic()
    try:
        result = kg("--endpoint", server.url, "--endpoint-timeout", "3", "query", "ASK {}", timeout=30)
        clean_error(result, 4, server.url, "did not answer within 3 s")
        assert time.monotonic() - started < 15
    finally:
        server.close()


def test_an_endless_answer_is_cut_off():
    server = BadServer(flood)
    try:
        result = kg("--endpoint", server.url, "--endpoint-timeout", "120", "query", "SELECT ?s {}", timeout=150)
        clean_error(result, 4, server.url, "sent over 512 MB")
    finally:
        server.close()


def test_push_to_a_store_that_never_answers_times_out(tmp_path):
    server = BadServer(silent)
    started = time.monotonic()
    try:
        result = kg("--data", str(_mini()), "push", "--endpoint", server.url, "--timeout", "2", timeout=60)
        clean_error(result, 4, server.url, "did not answer within 2 s")
        assert time.monotonic() - started < 30
    finally:
        server.close()


def _mini():
    from pathlib import Path

    return Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.mark.parametrize("url", ["http://", "http://[::1", "ftp://example.org/sparql", "not a url", "http://a b/"])
def test_a_url_that_is_not_one(url):
    result = kg("--endpoint", url, "query", "ASK {}", timeout=30)
    clean_error(result, 2)
