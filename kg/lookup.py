"""Find resources by what a researcher types: an id, an IRI, a label or an alternative name."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import NotFound
from kg.namespaces import ID

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


_NAMES = """
SELECT ?node ?name ?kind WHERE {
  VALUES (?class ?kind) {
    (sem:Event "event") (sem:Actor "actor") (sem:Place "place") (prov:Entity "source")
    (skos:Concept "event type")
  }
  ?node a ?class .
  { ?node rdfs:label ?name } UNION { ?node skos:altLabel ?name } UNION { ?node skos:prefLabel ?name }
}
"""


def names(graph: KnowledgeGraph, kinds: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """``(iri, name, kind)`` for every named event, actor, place, source and event type."""
    rows = graph.query(_NAMES).rows
    return [(n.value, name.value, k.value) for n, name, k in rows if kinds is None or k.value in kinds]


def find(graph: KnowledgeGraph, text: str, kinds: tuple[str, ...] | None = None) -> list[str]:
    """IRIs of the resources that ``text`` names, exactly (case-insensitive), as id, IRI or name.

    Raises :class:`NotFound` with suggestions when nothing matches.
    """
    wanted = text.strip()
    low = wanted.casefold()
    table = names(graph, kinds)
    by_iri = {iri for iri, _, _ in table}
    for candidate in (wanted, ID + wanted, *(f"{ID}{k}/{wanted}" for k in ("event", "actor", "place", "source"))):
        if candidate in by_iri:
            return [candidate]
    hits = sorted({iri for iri, name, _ in table if name.casefold() == low})
    if hits:
        return hits
    import difflib

    what = " or ".join(kinds) if kinds else "resource"
    all_names = sorted({name for _, name, _ in table})
    close = difflib.get_close_matches(wanted, all_names, n=5, cutoff=0.6)
    close += [n for n in all_names if low in n.casefold() and n not in close][: 5 - len(close)]
    hint = f"; did you mean: {', '.join(repr(c) for c in close)}?" if close else ""
    raise NotFound(f"no {what} named {wanted!r}{hint}")


def label(graph: KnowledgeGraph, iri: str) -> str:
    """The English label of a resource, or its IRI."""
    rows = graph.query(
        "SELECT ?l ?n WHERE { OPTIONAL { ?n rdfs:label ?l } OPTIONAL { ?n skos:prefLabel ?l } }",
        {"n": ox.NamedNode(iri)},
    ).rows
    for lab, _ in rows:
        if lab is not None:
            return lab.value
    return iri
