"""Counts that describe the graph: by class, event type, source and date precision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.namespaces import shorten

if TYPE_CHECKING:
    from kg.backends.memory import KnowledgeGraph

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
_TITLES = {
    "classes": "resources by class",
    "event_types": "events by type",
    "sources": "events, actors, claims and relations citing each source",
    "date_precision": "events by date precision",
}


def stats(graph: KnowledgeGraph) -> dict[str, Any]:
    """``{"triples": n, "classes": {...}, "event_types": {...}, "sources": {...},
    "date_precision": {...}}``, each count keyed by a readable name."""
    out: dict[str, Any] = {"triples": _triples(graph)}
    for key, query in _QUERIES.items():
        out[key] = {shorten(r["key"]) if r["key"].startswith("http") else r["key"]: r["n"] for r in graph.select(query)}
    return out


def _triples(graph: KnowledgeGraph) -> int:
    return graph.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]


def render(info: dict[str, Any]) -> str:
    out = [f"{info['triples']} triples (ontology and data)"]
    for key, title in _TITLES.items():
        out += ["", f"{title}:"]
        width = max((len(k) for k in info[key]), default=0)
        out += [f"  {k:<{width}}  {n:>5}" for k, n in info[key].items()]
    return "\n".join(out) + "\n"
