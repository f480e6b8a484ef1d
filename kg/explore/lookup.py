"""Find resources by what a researcher types: an id, an IRI, a label or an alternative name."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import NotFound
from kg.namespaces import EVENT_TYPE, ID, PROV, SEM, SKOS

if TYPE_CHECKING:
    from kg.backends import Backend


_CLASSES = {
    "event": SEM + "Event",
    "actor": SEM + "Actor",
    "place": SEM + "Place",
    "source": PROV + "Entity",
    "event type": SKOS + "Concept",
}
# Looked up by name, then typed: written so, Oxigraph starts from the name's index entry
# (a join with a VALUES of classes first made it scan every actor).
_EXACT = """
SELECT DISTINCT ?node ?class WHERE {
  VALUES ?name { %(names)s }
  ?node rdfs:label|skos:altLabel|skos:prefLabel ?name .
  ?node a ?class .
}
"""
_NAMES = """
SELECT ?node ?name ?kind WHERE {
  %(kinds)s
  ?node a ?class .
  { ?node rdfs:label ?name } UNION { ?node skos:altLabel ?name } UNION { ?node skos:prefLabel ?name }
}
"""


def _iri(text: str) -> ox.NamedNode | None:
    """An absolute IRI, or ``None`` for text that is not one."""
    if ":" not in text:
        return None
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


def _kinds_clause(kinds: tuple[str, ...] | None) -> str:
    pairs = " ".join(f'(<{_CLASSES[k]}> "{k}")' for k in (kinds or _CLASSES))
    return f"VALUES (?class ?kind) {{ {pairs} }}"


def names(graph: Backend, kinds: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """``(iri, name, kind)`` for every named event, actor, place, source and event type
    (or only those of ``kinds``). Scans every name: use :func:`find` to look one up."""
    rows = graph.query(_NAMES % {"kinds": _kinds_clause(kinds)}).rows
    return [(n.value, name.value, k.value) for n, name, k in rows]


def find(graph: Backend, text: str, kinds: tuple[str, ...] | None = None) -> list[str]:
    """IRIs of the resources that ``text`` names, exactly (case-insensitive), as id, IRI or name.

    An id, an IRI or a name written exactly is an index lookup; other spellings fall back to
    a case-insensitive scan of the names. Raises :class:`NotFound` with suggestions.
    """
    wanted = text.strip()
    low = wanted.casefold()
    classes = {_CLASSES[k] for k in kinds or _CLASSES}
    candidates = [wanted, ID + wanted, *(f"{ID}{k}/{wanted}" for k in ("event", "actor", "place", "source"))]
    candidates.append(EVENT_TYPE + wanted)  # an event type by its id, as data/ writes it: "press-release"
    iris = " ".join(str(node) for node in map(_iri, candidates) if node is not None)
    if iris:
        typed = graph.select(f"SELECT DISTINCT ?node ?class WHERE {{ VALUES ?node {{ {iris} }} ?node a ?class }}")
        hits = sorted({r["node"] for r in typed if r["class"] in classes})
        if hits:
            return hits[:1]
    literals = " ".join(str(t) for t in (ox.Literal(wanted, language="en"), ox.Literal(wanted)))
    hits = sorted({r["node"] for r in graph.select(_EXACT % {"names": literals}) if r["class"] in classes})
    if hits:
        return hits
    table = names(graph, kinds)
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
