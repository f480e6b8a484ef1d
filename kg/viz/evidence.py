"""The quotes and links behind the drawn nodes, and the fingerprint of the data a page shows.

Both read only what the page draws: each query binds the drawn nodes with ``VALUES`` (in
batches), so a view of a thousand nodes on a store of a million events reads their quotes and
nothing else.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from kg.viz.select import _short

if TYPE_CHECKING:
    from kg.backends.memory import KnowledgeGraph

_TARGET = """
  ?ann a oa:Annotation ; oa:hasTarget ?t .
  ?t oa:hasSource ?source ; oa:hasSelector/oa:exact ?exact .
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source schema:url ?url }
"""
# The description of a relation, bound last: a BIND between patterns splits the join, and the
# engine would then read every annotation of the graph.
_ABOUT = (
    " OPTIONAL { ?p rdfs:label ?pl }"
    ' BIND(CONCAT(?sl, " \u2014 ", COALESCE(?pl, "related to"), " \u2192 ", ?ol) AS ?about) }'
)
_SELECT = "SELECT ?node ?about ?exact ?title ?source ?url WHERE { VALUES ?node { %s }"
#: What backs a node itself, a post it holds, or a relation it is either end of.
_QUOTES = (
    _SELECT + " ?ann oa:hasBody ?node ." + _TARGET + "}",
    _SELECT + " ?node hk:holdsPost ?body . ?body rdfs:label ?about . ?ann oa:hasBody ?body ." + _TARGET + "}",
    _SELECT + " ?body rdf:subject ?node ; rdf:predicate ?p ; rdf:object ?o ."
    " { ?body a hk:EventRelation } UNION { ?body a hk:RoleStatement }"
    " ?node rdfs:label ?sl . ?o rdfs:label ?ol . ?ann oa:hasBody ?body ." + _TARGET + _ABOUT,
    _SELECT + " ?body rdf:object ?node ; rdf:predicate ?p ; rdf:subject ?s ."
    " { ?body a hk:EventRelation } UNION { ?body a hk:RoleStatement }"
    " ?s rdfs:label ?sl . ?node rdfs:label ?ol . ?ann oa:hasBody ?body ." + _TARGET + _ABOUT,
)
_URLS = "SELECT ?node ?url WHERE { VALUES ?node { %s } { ?node schema:url ?url } UNION { ?node owl:sameAs ?url } }"
_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_BATCH = 500  # larger VALUES blocks make Oxigraph join by scanning (2,000: 26 s instead of 0.2 s)
_TOKEN = "SELECT ?t WHERE { GRAPH <https://w3id.org/hk-timeline-kg/graph/index> { ?g hk:eventIndexToken ?t } }"


def _batches(ids: set[str]) -> list[str]:
    iris = sorted(i for i in ids if not i.startswith("_:"))
    return [" ".join(f"<{i}>" for i in iris[k : k + _BATCH]) for k in range(0, len(iris), _BATCH)]


def evidence(
    graph: KnowledgeGraph, ids: set[str], people: set[str] | None = None
) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """Quotes (``[quote, source title, source URL, about]``) and an http(s) URL of each of
    ``ids``; the quotes of posts are looked for among ``people`` only, when given."""
    quotes: dict[str, set[tuple[str, str, str, str]]] = {}
    urls: dict[str, str] = {}
    jobs = [(q, ids) for q in _QUOTES if q is not _QUOTES[1]] + [(_QUOTES[1], ids if people is None else people)]
    for query, nodes in jobs:
        for values in _batches(nodes):
            for r in graph.select(query % values):
                url = r["url"] if r["url"] and _HTTP.match(r["url"]) else ""
                entry = (r["exact"], r["title"] or _short(r["source"]), url, r["about"] or "")
                quotes.setdefault(r["node"], set()).add(entry)
    for values in _batches(ids):
        for r in sorted(graph.select(_URLS % values), key=lambda r: (r["node"], r["url"])):
            if _HTTP.match(r["url"] or ""):
                urls.setdefault(r["node"], r["url"])
    return {n: [list(q) for q in sorted(qs, key=lambda q: (q[3], q[1], q[0]))] for n, qs in quotes.items()}, urls


def fingerprint(graph: KnowledgeGraph) -> str:
    """Which data a page was drawn from, in 12 hex digits, without reading the data: the cache
    key of a graph built from YAML, else the token a store's event index keeps (it changes
    with every load); ``""`` when neither is known (an endpoint without the index graph)."""
    key = getattr(graph, "fingerprint", "") or ""
    if not key:
        rows = graph.select(_TOKEN)
        key = min((str(r["t"]) for r in rows), default="")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12] if key else ""
