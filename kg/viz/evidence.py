"""The quotes and links behind the drawn nodes, and the fingerprint of the data a page shows.

Both read only what the page draws: each query binds the drawn nodes with ``VALUES`` (in
batches, two at a time), so a view of a thousand nodes on a store of a million events reads
their quotes and nothing else. The quotes come from the one quotes query
(:func:`kg.explore.evidence.quotes`) for the nodes and for what backs them (their posts, the
relations and roles they take part in); the fingerprint from a token, never from the data.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kg.backends.selection import collector_paused
from kg.viz.select import _short

if TYPE_CHECKING:
    from kg.backends import Backend
    from kg.explore.evidence import Quote

_T = TypeVar("_T")

#: The reified statements (relations between events, roles) that each node is subject or
#: object of: their quotes are shown with the node's. Labels are read apart: an OPTIONAL or a
#: BIND here made Oxigraph evaluate the annotations first (2 s for no row on a million events).
_STATEMENTS = {  # the node as subject, as object
    "rdf:subject": "SELECT ?node ?body ?p ?other WHERE { VALUES ?node { %s } ?body rdf:subject ?node ;"
    " rdf:predicate ?p ; rdf:object ?other ; a ?c . FILTER(?c IN (hk:EventRelation, hk:RoleStatement)) }",
    "rdf:object": "SELECT ?node ?body ?p ?other WHERE { VALUES ?node { %s } ?body rdf:object ?node ;"
    " rdf:predicate ?p ; rdf:subject ?other ; a ?c . FILTER(?c IN (hk:EventRelation, hk:RoleStatement)) }",
}
_KINDS = "VALUES ?c { hk:EventRelation hk:RoleStatement } ?body a ?c"
_ALL_STATEMENTS = f"SELECT ?body ?s ?p ?o WHERE {{ {_KINDS} ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}"
_POSTS = "SELECT ?node ?body ?about WHERE { VALUES ?node { %s } ?node hk:holdsPost ?body . ?body rdfs:label ?about }"
_LINKS = "{ ?node schema:url ?url } UNION { ?node owl:sameAs ?url }"
_URLS = "SELECT ?node ?url WHERE { VALUES ?node { %s } " + _LINKS + " }"
_SOURCE_URLS = "SELECT ?node ?url WHERE { VALUES ?node { %s } ?node schema:url ?url }"
_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_BATCH = 500  # larger VALUES blocks make Oxigraph join by scanning (2,000: 26 s instead of 0.2 s)
_QUOTE_BATCH = 2000  # the quotes query's own batch (kg.explore.evidence.BATCH): at most this a job
_TOKEN = "SELECT ?t WHERE { GRAPH <https://w3id.org/hk-timeline-kg/graph/index> { ?g hk:eventIndexToken ?t } }"


def _batches(ids: Iterable[str]) -> list[str]:
    iris = sorted({i for i in ids if not i.startswith("_:")})
    return [" ".join(f"<{i}>" for i in iris[k : k + _BATCH]) for k in range(0, len(iris), _BATCH)]


def _run(jobs: Sequence[Callable[[], _T]]) -> list[_T]:
    """The answers of ``jobs`` (point lookups of the drawn nodes, batch by batch), on two
    threads: an Oxigraph store evaluates a query without holding the GIL."""
    if len(jobs) < 2:
        return [job() for job in jobs]
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda job: job(), jobs))


def _rows(graph: Backend, query: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of ``query`` (a ``%s`` for a ``VALUES`` block) for all ``ids``."""
    jobs = [functools.partial(graph.select, query % values) for values in _batches(ids)]
    return [row for rows in _run(jobs) for row in rows]


def _links(graph: Backend, ids: set[str]) -> list[dict[str, Any]]:
    """The URL rows of ``ids``: all the graph's, kept for ``ids``, when it has no more of them than
    ``ids`` are (their index range is read once; counting stops there), else looked up node
    by node."""
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ {_LINKS} }} LIMIT {len(ids) + 1} }}"
    if int(graph.select(count)[0]["n"]) <= len(ids):
        return [r for r in graph.select(f"SELECT ?node ?url WHERE {{ {_LINKS} }}") if r["node"] in ids]
    return _rows(graph, _URLS, ids)


def _statements(graph: Backend, ids: set[str]) -> list[tuple[str, str, str, str, str]]:
    """``(node, body, subject, predicate, object)`` of the statements each of ``ids`` is the
    subject or object of: all the graph's, kept for ``ids``, when it has no more of them than
    ``ids`` are (a store of a million events without any: 6 ms instead of 0.4 s for a week's
    10,000 nodes), else looked up node by node, both ways."""
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ {_KINDS} }} LIMIT {len(ids) + 1} }}"
    out: list[tuple[str, str, str, str, str]] = []
    if int(graph.select(count)[0]["n"]) <= len(ids):
        for r in graph.select(_ALL_STATEMENTS):
            out += [(n, r["body"], r["s"], r["p"], r["o"]) for n in (r["s"], r["o"]) if n in ids]
        return out
    for side, query in _STATEMENTS.items():
        for r in _rows(graph, query, ids):
            s, o = (r["node"], r["other"]) if side == "rdf:subject" else (r["other"], r["node"])
            out.append((r["node"], r["body"], s, r["p"], o))
    return out


def _bodies(graph: Backend, ids: set[str], people: set[str]) -> dict[str, list[tuple[str, str]]]:
    """``{body: [(node, about), ...]}``: what the quotes of each node are about, the node itself
    (``about`` empty), the posts of ``people``, the statements each node takes part in."""
    bodies: dict[str, list[tuple[str, str]]] = {n: [(n, "")] for n in ids if not n.startswith("_:")}
    statements = _statements(graph, ids)  # (node, body, subject, predicate, object)
    for r in _rows(graph, _POSTS, people):
        bodies.setdefault(r["body"], []).append((r["node"], r["about"]))
    names = graph.labels(sorted({t for row in statements for t in row[2:]})) if statements else {}
    for node, body, s, p, o in statements:
        about = f"{names.get(s) or _short(s)} \u2014 {names.get(p) or 'related to'} \u2192 {names.get(o) or _short(o)}"
        bodies.setdefault(body, []).append((node, about))
    return bodies


@collector_paused()
def evidence(
    graph: Backend, ids: set[str], people: set[str] | None = None
) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """Quotes (``[quote, source title, source URL, about]``) and an http(s) URL of each of
    ``ids``; the quotes of posts are looked for among ``people`` only, when given.

    The quotes themselves come from the one quotes query (:func:`kg.explore.evidence.quotes`)
    for the nodes and what backs them; each source's URL is read once."""
    from kg.explore.evidence import quotes as read_quotes

    bodies = _bodies(graph, ids, ids if people is None else people)
    wanted = sorted(bodies)
    size = min(_QUOTE_BATCH, max(_BATCH, -(-len(wanted) // 2)))  # two jobs at least, for two threads
    found: dict[str, list[Quote]] = {}
    for part in _run(
        [functools.partial(read_quotes, graph, wanted[k : k + size]) for k in range(0, len(wanted), size)]
    ):
        found.update(part)
    links: dict[str, str] = {}
    for r in sorted(
        _rows(graph, _SOURCE_URLS, {q.source for qs in found.values() for q in qs}), key=lambda r: (r["node"], r["url"])
    ):
        if _HTTP.match(r["url"] or ""):
            links.setdefault(r["node"], r["url"])
    out: dict[str, set[tuple[str, str, str, str]]] = {}
    for body, qs in found.items():
        for node, about in bodies[body]:
            for q in qs:
                out.setdefault(node, set()).add((q.exact, q.title or _short(q.source), links.get(q.source, ""), about))
    urls: dict[str, str] = {}
    for r in sorted(_links(graph, ids), key=lambda r: (r["node"], r["url"])):
        if _HTTP.match(r["url"] or ""):
            urls.setdefault(r["node"], r["url"])
    return {n: [list(q) for q in sorted(qs, key=lambda q: (q[3], q[1], q[0]))] for n, qs in out.items()}, urls


def data_name(graph: Backend) -> str:
    """What a page, a figure or a caption calls the data it was drawn from: the project's
    title for the bundled data, else the graph's own name (a store's or data directory's
    folder, an endpoint's URL), so a researcher's own data is never titled "Hong Kong".

    >>> import kg
    >>> data_name(kg.load())
    'Hong Kong 2019–2021'
    """
    from kg import paths

    here = getattr(graph, "data_dir", None)
    if here is not None and Path(here).resolve() == paths.bundled_data_dir().resolve():
        return "Hong Kong 2019\u20132021"
    label = str(getattr(graph, "label", "") or "")
    return label if "://" in label else (Path(label).name or "knowledge graph")


def fingerprint(graph: Backend) -> str:
    """Which data a page was drawn from, in 16 hex digits, without reading the data: for a
    graph built from YAML the SHA-256 of its N-Quads (the fingerprint the site and CITATION
    give), else a hash of the token a store's event index keeps (it changes with every
    load); ``""`` when neither is known (an endpoint without the index graph)."""
    key = getattr(graph, "fingerprint", "") or ""
    if key:
        return key[:16]
    rows = graph.select(_TOKEN)
    token = min((str(r["t"]) for r in rows), default="")
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16] if token else ""
