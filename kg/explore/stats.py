"""Counts that describe the graph: by class, event type, source and date precision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.namespaces import shorten

if TYPE_CHECKING:
    from kg.backends import Backend

_QUERIES = {
    "classes": """
        SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE {
          ?s a ?key .
          FILTER(?key NOT IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:Ontology,
                              skos:Concept, skos:ConceptScheme))
        } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "event_types": """
        SELECT ?key (COUNT(?e) AS ?n) WHERE { ?e a sem:Event ; sem:eventType/skos:prefLabel ?key }
        GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "sources": """
        SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE {
          ?x prov:wasDerivedFrom ?s . ?s dcterms:title ?key .
        } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "date_precision": """
        SELECT ?key (COUNT(?e) AS ?n) WHERE { ?e a sem:Event ; hk:datePrecision ?key }
        GROUP BY ?key ORDER BY DESC(?n) ?key""",
}
#: What the README and data/README.md speak of, counted the same way.
_RECORDS = """
SELECT
  (SUM(IF(?kind = "event", 1, 0)) AS ?events)
  (SUM(IF(?kind = "actor", 1, 0)) AS ?actors)
  (SUM(IF(?kind = "place", 1, 0)) AS ?places)
  (SUM(IF(?kind = "claim", 1, 0)) AS ?claims)
  (SUM(IF(?kind = "link", 1, 0)) AS ?links)
  (SUM(IF(?kind = "role", 1, 0)) AS ?roles)
  (SUM(IF(?kind = "post", 1, 0)) AS ?posts)
  (SUM(IF(?kind = "quote", 1, 0)) AS ?quotes)
  (SUM(IF(?kind = "document", 1, 0)) AS ?documents)
  (SUM(IF(?kind = "reference", 1, 0)) AS ?references)
WHERE {
  { ?x a sem:Event BIND("event" AS ?kind) } UNION { ?x a sem:Actor BIND("actor" AS ?kind) }
  UNION { ?x a sem:Place BIND("place" AS ?kind) } UNION { ?x a hk:Claim BIND("claim" AS ?kind) }
  UNION { ?x a hk:EventRelation BIND("link" AS ?kind) } UNION { ?x a hk:RoleStatement BIND("role" AS ?kind) }
  UNION { ?x a hk:Post BIND("post" AS ?kind) } UNION { ?x a oa:Annotation BIND("quote" AS ?kind) }
  UNION { ?x a hk:CorpusDocument BIND("document" AS ?kind) }
  UNION { ?x a hk:OutsideReference BIND("reference" AS ?kind) }
}
"""
_RECORD_NAMES = {
    "events": "events",
    "actors": "actors",
    "places": "places",
    "claims": "attributed claims",
    "links": "evidenced links between events (causes, stated motivations, responses, sequels)",
    "roles": "roles of actors with their own quotes",
    "posts": "posts held by people",
    "quotes": "verbatim quotes",
    "documents": "source documents",
    "references": "outside references",
}
_TITLES = {
    "records": "the graph holds",
    "classes": "resources by class (hk:EventRelation: the evidence of each link between events;"
    " hk:RoleStatement, a sem:Role: the evidence of each role; hk:Post: posts)",
    "event_types": "events by type",
    "sources": "events, actors, claims and relations citing each source",
    "date_precision": "events by date precision",
}


def stats(graph: Backend) -> dict[str, Any]:
    """``{"triples": n, "records": {...}, "classes": {...}, "event_types": {...}, "sources": {...},
    "date_precision": {...}}``, each count keyed by a readable name; ``records`` counts what
    README speaks of (events, actors, claims, links between events, roles, quotes...)."""
    out: dict[str, Any] = {"triples": _triples(graph)}
    (counts,) = graph.select(_RECORDS)
    out["records"] = {name: counts[key] or 0 for key, name in _RECORD_NAMES.items()}
    for key, query in _QUERIES.items():
        out[key] = {shorten(r["key"]) if r["key"].startswith("http") else r["key"]: r["n"] for r in graph.select(query)}
    return out


def _triples(graph: Backend) -> int:
    return graph.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]


def render(info: dict[str, Any]) -> str:
    """The grouped text of ``kg stats``."""
    from kg.sparql.render import printable

    out = [f"{info['triples']} triples (ontology and data)"]
    for key, title in _TITLES.items():
        out += ["", f"{title}:"]
        width = max((len(printable(k)) for k in info[key]), default=0)
        out += [f"  {printable(k):<{width}}  {n:>5}" for k, n in info[key].items()]
    return "\n".join(out) + "\n"


def rows(info: dict[str, Any]) -> list[list[Any]]:
    """``[group, name, count]`` rows of :func:`stats`, for the table, CSV and Markdown forms."""
    out: list[list[Any]] = [["graph", "triples", info["triples"]]]
    for key in _TITLES:
        out += [[key, k, n] for k, n in info[key].items()]
    return out
