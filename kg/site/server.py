"""The site's pages as ``kg serve`` answers them: the query page at ``/`` (against the server's
own ``/query``) and each resource's page at the path its IRI names (``/id/event/<id>``, with
``.html``, ``.ttl`` and ``.jsonld``, or by the ``Accept`` header), drawn on request from the
served graph. Nothing here touches the network beyond the loopback SPARQL server.

:func:`respond` knows nothing of HTTP servers; :func:`route` is the handler that
:mod:`kg.serve.http_front` calls for ``GET`` and ``HEAD`` requests no other route takes.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from kg.backends.query_workers import Reply
from kg.errors import KGError
from kg.site.entity import describe, iri_of
from kg.site.render import ASSETS, entity_page, esc, page

_HTML = "text/html; charset=utf-8"
_STATIC = {
    "/assets/site.css": "text/css; charset=utf-8",
    "/assets/sparql.js": "text/javascript; charset=utf-8",
    "/assets/search.js": "text/javascript; charset=utf-8",
    "/assets/draw.js": "text/javascript; charset=utf-8",
}
_SUFFIXES = {".html": "html", ".ttl": "ttl", ".jsonld": "jsonld"}
_MEDIA = {"ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}


def _meta() -> dict[str, str]:
    from kg.about import __version__

    return {"version": __version__, "fingerprint": ""}  # the served graph may change


def _not_found(path: str) -> Reply:
    body = f"<h1>No page at this address</h1><p><code>{esc(path)}</code> names no resource of the graph.</p>"
    root = "../" * max(0, path.count("/") - 1)
    return Reply(404, _HTML, page("Not found", body, root=root, meta=_meta()).encode())


def _wanted(accept: str) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip()
        if media == "text/html":
            return "html"
        if media == "text/turtle":
            return "ttl"
        if media == "application/ld+json":
            return "jsonld"
    return "html"


def respond(path: str, accept: str, graph: Any) -> Reply:
    """The answer to ``GET path`` (``graph`` is read only for resource pages)."""
    from kg.site.sparql import examples_script, sparql_page

    if path in ("/", "/index.html", "/sparql.html"):
        return Reply(200, _HTML, sparql_page(_meta(), endpoint="/query").encode())
    if path == "/data/examples.js":
        return Reply(200, "text/javascript; charset=utf-8", examples_script().encode())
    if path in _STATIC:
        return Reply(200, _STATIC[path], (ASSETS / path.rsplit("/", 1)[1]).read_bytes())
    stem, fmt = path, _wanted(accept)
    for suffix, name in _SUFFIXES.items():
        if path.endswith(suffix):
            stem, fmt = path[: -len(suffix)], name
    iri = iri_of(stem.lstrip("/"))
    entity = describe(graph, iri) if iri else None
    if entity is None:
        return _not_found(path)
    if fmt == "html":
        return Reply(200, _HTML, entity_page(entity, _meta()).encode())
    return Reply(200, _MEDIA[fmt], entity.serialize(fmt))


def route(handler: Any, method: str) -> None:
    """The front server's handler for the site's pages (``GET`` and ``HEAD`` only)."""
    if method not in ("GET", "HEAD"):
        handler.reply(Reply.error(405, f"{method} is not allowed here"))
        return
    from kg.backends.endpoint import EndpointBackend

    host, port = handler.server.backend
    graph = EndpointBackend(f"http://{host}:{port}/query", timeout=30)
    path = urllib.parse.unquote(urllib.parse.urlsplit(handler.path).path)
    try:
        reply = respond(path, handler.headers.get("Accept", ""), graph)
    except KGError as exc:  # the SPARQL server behind failed or timed out
        reply = Reply.error(502, f"the page could not be drawn: {exc}")
    handler.reply(reply)
