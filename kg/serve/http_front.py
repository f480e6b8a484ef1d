"""The HTTP side of ``kg serve``: every request passes here before anything runs it.

``/query`` is checked (size, nesting, no ``SERVICE``: :mod:`kg.sparql.guard`) and run by a
worker process (:mod:`kg.backends.query_workers`), which a timeout really stops. ``/update``
is checked the same way, then passed with ``/store`` (Graph Store Protocol) to Oxigraph's own
server, which listens on the loopback interface only. Requests are dispatched by path through
:data:`ROUTES`; any other ``GET`` goes to the site's pages (:mod:`kg.site.server`: the query
page at ``/``, each resource at ``/id/<kind>/<id>``), which call no outside address.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from kg.backends.query_workers import Pool, Reply
from kg.errors import QueryError
from kg.site.server import route as site_pages  # the query page at / and /id/... pages
from kg.sparql.guard import check_offline

if TYPE_CHECKING:
    import socket

#: Largest query or update body (and form) accepted, in bytes; a URL is limited to 64 KiB.
MAX_BODY = 1 << 20
#: Largest Graph Store Protocol upload (``--writable``), in bytes.
MAX_UPLOAD = 1 << 30
#: Most bytes of a refused body read before the connection is closed.
MAX_DRAIN = 256 << 20
#: Connections served at once; more are closed unanswered.
MAX_CONNECTIONS = 256
#: Seconds a client may take to send its request.
CLIENT_TIMEOUT = 30

Route = Callable[["Handler", str], None]
#: Handlers by exact path; each takes the request handler and the HTTP method.
ROUTES: dict[str, Route] = {}


class Server(ThreadingHTTPServer):
    """The front server: the worker pool and the address of Oxigraph's server behind it."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], pool: Pool, backend: tuple[str, int]):
        super().__init__(address, Handler)
        self.pool, self.backend = pool, backend
        self._connections = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        """At most :data:`MAX_CONNECTIONS` connections at once (a thread each): clients that
        open many and send nothing cannot exhaust the server; more are closed at once."""
        if not self._connections.acquire(blocking=False):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        """A client that hung up or stalled is no error of the server's: say nothing."""
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "kg-serve"
    timeout = CLIENT_TIMEOUT
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet, as Oxigraph's server is

    def _dispatch(self, method: str) -> None:
        path = urllib.parse.urlsplit(self.path).path
        route = ROUTES.get(path) or (site_pages if method in ("GET", "HEAD") else None)
        if route is None:
            self.reply(Reply.error(404, f"no such page: {path}"))
            return
        route(self, method)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_OPTIONS(self) -> None:
        self._dispatch("OPTIONS")

    def reply(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def body(self, limit: int = MAX_BODY) -> bytes | None:
        """The request body, or ``None`` after refusing it (too large, no length)."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self.reply(Reply.error(411, "send the body with a Content-Length"))
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            self.close_connection = True
            self.reply(Reply.error(413, f"request body too large (at most {limit:,} bytes)"))
            self._drain(length)
            return None
        return self.rfile.read(length)

    def _drain(self, length: int) -> None:
        """Read (and drop) a refused body, within bounds, so that a client that sends it
        whole before reading gets the answer instead of a broken connection."""
        left = min(length, MAX_DRAIN)
        try:
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    def form(self, method: str, field: str) -> tuple[str | None, dict[str, list[str]]]:
        """The SPARQL text (``query`` or ``update``) and parameters of a protocol request."""
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if method == "POST":
            data = self.body()
            if data is None:
                return None, params
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                self.reply(Reply.error(400, "the request body is not UTF-8"))
                return None, params
            if ctype == "application/x-www-form-urlencoded":
                for key, values in urllib.parse.parse_qs(text).items():
                    params.setdefault(key, []).extend(values)
            else:
                params.setdefault(field, []).append(text)
        elif method not in ("GET", "HEAD"):
            self.reply(Reply.error(405, f"{method} is not allowed here"))
            return None, params
        texts = params.get(field, [])
        if len(texts) != 1:
            self.reply(Reply.error(400, f"give exactly one {field}"))
            return None, params
        return texts[0], params

    def proxy(
        self, method: str, body: bytes | None = None, limit: int = MAX_BODY, form: bool = False, writes: bool = False
    ) -> int:
        """Pass the request to Oxigraph's server and its answer back; returns its status.
        ``form``: ``body`` is an urlencoded form. ``writes``: a success changed the store, so
        the query workers reopen it, before the client hears of it (its next query sees it)."""
        if body is None and method in ("POST", "PUT"):
            body = self.body(limit)
            if body is None:
                return 413
        conn = http.client.HTTPConnection(*self.server.backend, timeout=self.server.pool.timeout + 30)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type")}
        if form:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        try:
            conn.request(method, self.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except OSError as exc:
            self.reply(Reply.error(502, f"the store server did not answer: {exc}"))
            return 502
        finally:
            conn.close()
        if writes and response.status < 300:
            self.server.pool.written()
        self.reply(Reply(response.status, response.getheader("Content-Type") or "text/plain", data))
        return response.status


def query(handler: Handler, method: str) -> None:
    text, params = handler.form(method, "query")
    if text is None:
        return
    try:
        check_offline(text)
    except QueryError as exc:
        handler.reply(Reply.error(400, str(exc)))
        return
    accept = handler.headers.get("Accept") or "*/*"
    handler.reply(
        handler.server.pool.run(text, accept, params.get("default-graph-uri", []), params.get("named-graph-uri", []))
    )


def update(handler: Handler, method: str) -> None:
    text, _ = handler.form(method, "update")
    if text is None:
        return
    try:
        check_offline(text, update=True)
    except QueryError as exc:
        handler.reply(Reply.error(400, str(exc)))
        return
    handler.proxy(method, body=urllib.parse.urlencode({"update": text}).encode(), form=True, writes=True)


def graph_store(handler: Handler, method: str) -> None:
    handler.proxy(method, limit=MAX_UPLOAD, writes=method in ("PUT", "POST", "DELETE"))


ROUTES.update({"/query": query, "/update": update, "/store": graph_store})
