"""Everything the graph says about one actor, event, place or source, with the quotes behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.explore.lookup import find
from kg.namespaces import ID, shorten

if TYPE_CHECKING:
    from kg.backends.memory import KnowledgeGraph

_FACTS = """
SELECT ?p ?pLabel ?o ?oLabel ?node WHERE {
  ?node ?p ?o .
  OPTIONAL { ?p rdfs:label ?pLabel }
  OPTIONAL { ?o rdfs:label|skos:prefLabel ?oLabel }
}
"""
_INCOMING = """
SELECT ?s ?sLabel ?p ?pLabel ?node WHERE {
  ?s ?p ?node . ?s a sem:Event ; rdfs:label ?sLabel .
  OPTIONAL { ?p rdfs:label ?pLabel }
}
"""
_EVENTS_OF_ACTOR = """
SELECT ?event ?label ?edtf ?eb ?role ?node WHERE {
  ?event sem:hasActor ?node ; rdfs:label ?label ; sem:hasEarliestBeginTimeStamp ?eb .
  OPTIONAL { ?event hk:edtf ?edtf }
  OPTIONAL { ?event ?rp ?node . ?rp rdfs:subPropertyOf hk:role ; rdfs:label ?role }
} ORDER BY ?eb ?label ?role
"""
_POSTS = """
SELECT ?title ?org ?orgLabel ?edtf ?node WHERE {
  ?node hk:holdsPost ?post . ?post schema:roleName ?title ; hk:postIn ?org . ?org rdfs:label ?orgLabel .
  OPTIONAL { ?post hk:edtf ?edtf }
} ORDER BY ?orgLabel ?title
"""
_CLAIMS = """
SELECT ?claim ?text ?who ?node WHERE {
  ?claim a hk:Claim ; schema:text ?text ; schema:author ?c . ?c rdfs:label ?who .
  { ?claim schema:author ?node } UNION { ?claim schema:about ?node }
} ORDER BY ?text
"""
# Quotes on the node itself, and on the posts, roles and relations that involve it.
_QUOTES = """
SELECT DISTINCT ?about ?exact ?source ?title ?node WHERE {
  {
    ?ann oa:hasBody ?node . BIND("itself" AS ?about)
  } UNION {
    ?node hk:holdsPost ?post . ?ann oa:hasBody ?post . ?post rdfs:label ?about
  } UNION {
    ?rel a hk:EventRelation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    FILTER(?s = ?node || ?o = ?node)
    ?ann oa:hasBody ?rel .
    ?s rdfs:label ?sl . ?o rdfs:label ?ol . ?p rdfs:label ?pl .
    BIND(CONCAT(?sl, " —", ?pl, "→ ", ?ol) AS ?about)
  }
  ?ann oa:hasTarget ?t . ?t oa:hasSource ?source ; oa:hasSelector/oa:exact ?exact .
  OPTIONAL { ?source dcterms:title ?title }
} ORDER BY ?about ?source ?exact
"""
_SKIP = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://w3id.org/hk-timeline-kg/ns/holdsPost"}


def _local(iri: str) -> str:
    return iri[len(ID) :] if iri.startswith(ID) else iri


def show(graph: KnowledgeGraph, name_or_id: str) -> dict[str, Any]:
    """All facts about one resource, found by id, IRI, label or alternative name.

    Returns ``id``, ``iri``, ``label``, ``classes``, ``facts`` (``[{"property", "value"}]``,
    IRIs replaced by labels), ``events`` (for actors and places: the events, in date order,
    with roles), ``posts``, ``claims``, ``incoming`` (events that point here) and ``quotes``
    (``[{"about", "quote", "source", "source_title"}]``). Raises
    :class:`kg.explore.lookup.NotFound` with suggestions for an unknown name; a name shared by
    several resources picks the first by IRI and lists the others in ``also``.
    """
    hits = find(graph, name_or_id)
    iri = hits[0]
    node = {"node": ox.NamedNode(iri)}
    facts, classes, label = [], [], _local(iri)
    for row in graph.query(_FACTS, node).dicts():
        p, o = row["p"], row["o"]
        if p.endswith("#type"):
            classes.append(shorten(o))
            continue
        if p.endswith("rdf-schema#label"):
            label = o
        if p in _SKIP:
            continue
        value = row["oLabel"] or (shorten(o) if o.startswith(ID) else o)
        facts.append({"property": row["pLabel"] or shorten(p), "value": value})
    facts.sort(key=lambda f: (f["property"], str(f["value"])))
    result: dict[str, Any] = {
        "id": _local(iri),
        "iri": iri,
        "label": label,
        "classes": sorted(classes),
        "facts": facts,
    }
    if len(hits) > 1:
        result["also"] = [_local(h) for h in hits[1:]]
    result["events"] = [
        {"id": _local(r["event"]), "label": r["label"], "edtf": r["edtf"], "role": r["role"]}
        for r in graph.query(_EVENTS_OF_ACTOR, node).dicts()
    ]
    result["posts"] = [
        {"title": r["title"], "organisation": r["orgLabel"], "edtf": r["edtf"]}
        for r in graph.query(_POSTS, node).dicts()
    ]
    result["claims"] = [
        {"id": _local(r["claim"]), "text": r["text"], "claimant": r["who"]} for r in graph.query(_CLAIMS, node).dicts()
    ]
    incoming = {
        (r["pLabel"] or shorten(r["p"]), r["sLabel"])
        for r in graph.query(_INCOMING, node).dicts()
        if not r["p"].endswith("hasActor")
    }
    result["incoming"] = [{"property": p, "event": e} for p, e in sorted(incoming)]
    result["quotes"] = [
        {"about": r["about"], "quote": r["exact"], "source": _local(r["source"]), "source_title": r["title"]}
        for r in graph.query(_QUOTES, node).dicts()
    ]
    return result


def render(info: dict[str, Any]) -> str:
    """The text form of :func:`show` for the terminal."""
    out = [f"{info['label']}  [{info['id']}]", f"  {', '.join(info['classes'])}", ""]
    if info.get("also"):
        out.append(f"  (the same name also names: {', '.join(info['also'])})")
    for f in info["facts"]:
        out.append(f"  {f['property']}: {f['value']}")
    if info["posts"]:
        out += ["", "Posts:"] + [
            f"  {p['title']}, {p['organisation']}" + (f" ({p['edtf']})" if p["edtf"] else "") for p in info["posts"]
        ]
    if info["events"]:
        out += ["", "Events:"] + [
            f"  {e['edtf'] or '':<26} {e['label']}" + (f"  ({e['role']})" if e["role"] else "") for e in info["events"]
        ]
    if info["incoming"]:
        out += ["", "Referred to by:"] + [f"  {i['event']} —{i['property']}→" for i in info["incoming"]]
    if info["claims"]:
        out += ["", "Claims:"] + [f"  {c['claimant']}: {c['text']}" for c in info["claims"]]
    if info["quotes"]:
        out += ["", "Quotes:"]
        for q in info["quotes"]:
            about = "" if q["about"] == "itself" else f" [{q['about']}]"
            out.append(f"  “{q['quote']}”")
            out.append(f"      — {q['source_title'] or q['source']} ({q['source']}){about}")
    return "\n".join(out) + "\n"
