"""Find resources by what a researcher types: an id, an IRI, a label or an alternative name.

The one name lookup of ``kg``: ``kg timeline --actor``, ``kg show``, the views, and the
parameters of the named queries that name a resource (``# lookup:`` in a ``.rq`` header,
bound as the IRI found, :func:`bind_names`) all resolve names here. It lives with the back
ends because every back end's ``query`` binds those parameters and its ``events`` resolves
``--actor`` and ``--type``; it asks only :class:`~kg.backends.Backend`'s ``select``. The site's SPARQL page runs
the same three queries in the same order in the browser (:func:`recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import NotFound
from kg.namespaces import EVENT_TYPE, HK, ID, PROV, SEM, SKOS, shorten

if TYPE_CHECKING:
    from kg.backends import Backend
    from kg.sparql import NamedQuery

#: What can be looked up: its class, and the prefix that makes its IRI of an id.
KINDS = {
    "event": (SEM + "Event", ID + "event/"),
    "actor": (SEM + "Actor", ID + "actor/"),
    "place": (SEM + "Place", ID + "place/"),
    "source": (PROV + "Entity", ID + "source/"),
    "event type": (SKOS + "Concept", EVENT_TYPE),  # by its id, as data/ writes it: "press-release"
    "agent": (PROV + "Agent", ID + "actor/"),  # an author the sources do not name
    "law": (HK + "Law", ID + "law/"),
    "claim": (HK + "Claim", ID + "claim/"),
    "post": (HK + "Post", ID + "post/"),
}
#: What a name looks up when no kinds are given.
DEFAULT_KINDS = ("event", "actor", "place", "source", "event type")

# The three steps, in order; the first that finds something answers. Each is an index lookup
# but the last, which compares every name of the kinds in any case.
#: 1. an IRI, or an id (with or without its kind): the first hit by IRI.
BY_IRI = "SELECT DISTINCT ?node ?class WHERE { VALUES ?node { %(iris)s } ?node a ?class }"
#: 2. a name written exactly. Looked up by name, then typed: written so, Oxigraph starts from
#: the name's index entry (a join with a VALUES of classes first made it scan every actor).
BY_NAME = """SELECT DISTINCT ?node ?class WHERE {
  VALUES ?name { %(names)s }
  ?node rdfs:label|skos:altLabel|skos:prefLabel ?name .
  ?node a ?class .
}"""
#: 3. a name in any case.
ANY_CASE = """SELECT DISTINCT ?node ?class WHERE {
  VALUES ?class { %(classes)s }
  ?node a ?class ; rdfs:label|skos:altLabel|skos:prefLabel ?name .
  FILTER(LCASE(STR(?name)) = LCASE(%(text)s))
}"""
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
    pairs = " ".join(f'(<{KINDS[k][0]}> "{k}")' for k in (kinds or DEFAULT_KINDS))
    return f"VALUES (?class ?kind) {{ {pairs} }}"


def names(graph: Backend, kinds: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """``(iri, name, kind)`` for every named event, actor, place, source and event type
    (or only those of ``kinds``). Scans every name: use :func:`find` to look one up."""
    rows = graph.query(_NAMES % {"kinds": _kinds_clause(kinds)}).rows
    return [(n.value, name.value, k.value) for n, name, k in rows]


def recipe() -> dict[str, Any]:
    """The lookup for a page that runs it itself: the kinds, the id prefix and the queries."""
    return {"id": ID, "kinds": KINDS, "by_iri": BY_IRI, "by_name": BY_NAME, "any_case": ANY_CASE}


def find(graph: Backend, text: str, kinds: tuple[str, ...] | None = None) -> list[str]:
    """IRIs of the resources that ``text`` names, exactly (case-insensitive), as id, IRI or name.

    An id, an IRI or a name written exactly is an index lookup; other spellings fall back to
    a case-insensitive comparison of the names. Raises :class:`NotFound` with suggestions.

    >>> import kg
    >>> find(kg.load(), "hrw", kinds=("actor",))
    ['https://w3id.org/hk-timeline-kg/id/actor/human-rights-watch']
    """
    wanted = text.strip()
    kinds = kinds or DEFAULT_KINDS
    classes = {KINDS[k][0] for k in kinds}

    def typed(sparql: str) -> list[str]:
        return sorted({r["node"] for r in graph.select(sparql) if r["class"] in classes})

    candidates = dict.fromkeys([wanted, ID + wanted, *(KINDS[k][1] + wanted for k in kinds)])
    iris = " ".join(str(node) for node in map(_iri, candidates) if node is not None)
    if iris and (hits := typed(BY_IRI % {"iris": iris})):
        return hits[:1]
    literals = " ".join(str(t) for t in (ox.Literal(wanted, language="en"), ox.Literal(wanted)))
    if hits := typed(BY_NAME % {"names": literals}):
        return hits
    in_any_case = ANY_CASE % {"classes": " ".join(f"<{c}>" for c in sorted(classes)), "text": ox.Literal(wanted)}
    if hits := typed(in_any_case):
        return hits
    import difflib

    low = wanted.casefold()
    what = " or ".join(filter(None, (", ".join(kinds[:-1]), kinds[-1])))
    what = "resource" if kinds in (DEFAULT_KINDS, tuple(KINDS)) else what
    all_names = sorted({name for _, name, _ in names(graph, kinds)})
    close = difflib.get_close_matches(wanted, all_names, n=5, cutoff=0.6)
    close += [n for n in all_names if low in n.casefold() and n not in close][: 5 - len(close)]
    hint = f"; did you mean: {', '.join(repr(c) for c in close)}?" if close else ""
    raise NotFound(f"no {what} named {wanted!r}{hint}")


def bind_names(graph: Backend, named: NamedQuery | None, params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``params`` of a named query with each one that names a resource (its ``# lookup:``)
    replaced by the resource's IRI, found as :func:`find` finds it, so that ``kg query
    actor-timeline --param actor=X`` and ``kg timeline --actor X`` mean the same actor.

    Raises :class:`NotFound` for a name nothing answers to, or that names several resources
    (a parameter is one resource: the message lists their ids). An IRI term is kept as given.
    """
    if named is None or not params or not named.lookups:
        return dict(params) if params is not None else None
    out = dict(params)
    for name, kinds in named.lookups.items():
        value = out.get(name)
        if value is None or isinstance(value, ox.NamedNode):
            continue
        text = value.value if isinstance(value, ox.Literal) else str(value)
        if text.startswith("<") and text.endswith(">"):
            from kg.sparql import parse_param

            text = parse_param(text).value  # an IRI, or a QueryError that says it is not one
        hits = find(graph, text, kinds)
        if len(hits) > 1:
            ids = ", ".join(shorten(h) for h in hits)
            raise NotFound(f"{text.strip()!r} names {len(hits)} resources ({ids}): give one of these ids")
        out[name] = ox.NamedNode(hits[0])
    return out
