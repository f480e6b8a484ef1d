"""What one page of the site says about one resource, read through the graph interface.

Every resource of the data (event, actor, place, source, claim, post, relation) has a page at
the path its IRI names: ``https://w3id.org/hk-timeline-kg/id/event/x`` -> ``id/event/x``. A
page is built from a handful of queries about that one IRI, so the same code serves the
static site (every resource) and ``kg serve`` (the resource asked for, on any store).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.explore import evidence
from kg.namespaces import ID, OA, PROV, RDF, RDFS

#: The kinds of resource that get a page, in the order the index lists them.
KINDS = ("event", "actor", "place", "source", "claim", "post", "relation")
_PATH = re.compile(r"id/(" + "|".join(KINDS) + r")/[A-Za-z0-9._~-]+")

# Links that are bookkeeping rather than facts: annotations point at what they annotate, and
# a relation node's subject and object are shown on its page and beside the fact it reifies.
_HIDDEN_INCOMING = {OA + "hasBody", RDF + "subject", RDF + "object"}

_RELATIONS = f"""SELECT ?r ?s ?p ?o ?node WHERE {{
  {{ ?r <{RDF}subject> ?node }} UNION {{ ?r <{RDF}object> ?node }}
  ?r <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o }}"""
_INCOMING = "SELECT ?s ?p ?node WHERE { ?s ?p ?node }"  # SEP-0007 binds projected variables


def path_of(iri: str) -> str | None:
    """``id/<kind>/<id>`` for an IRI that has a page, else ``None``."""
    if not iri.startswith(ID):
        return None
    rest = "id/" + iri[len(ID) :]
    return rest if _PATH.fullmatch(rest) else None


def page_path(iri: str) -> str:
    """The page path of an IRI that has a page (one of :func:`resources`)."""
    path = path_of(iri)
    if path is None:
        raise ValueError(f"{iri} has no page")
    return path


def iri_of(path: str) -> str | None:
    """The IRI of a page path ``id/<kind>/<id>`` (inverse of :func:`path_of`)."""
    return ID + path[3:] if _PATH.fullmatch(path) else None


@dataclass(frozen=True)
class Quote:
    exact: str
    source: str


@dataclass
class Entity:
    """One resource: its facts, the links to it, and the quotes behind them."""

    iri: str
    kind: str
    facts: list[tuple[str, Any]]  # (predicate IRI, object term)
    incoming: list[tuple[str, str]]  # (subject IRI, predicate IRI)
    quotes: list[Quote]  # the quotes whose body is this resource
    #: quotes of the relation nodes that reify a fact: (subject, predicate, object) -> quotes
    fact_quotes: dict[tuple[str, str, str], list[Quote]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.iri in self.labels:
            return self.labels[self.iri]
        parts = [self.values(RDF + name) for name in ("subject", "predicate", "object")]
        if all(parts):  # a relation node: say which statement it is about
            return " — ".join(self.labels.get(p[0]) or p[0].rsplit("/", 1)[-1] for p in parts)
        return self.iri[len(ID) :]

    def values(self, predicate: str) -> list[str]:
        return [term.value for p, term in self.facts if p == predicate]

    def triples(self) -> list[ox.Triple]:
        """The resource's own triples: what its ``.ttl`` and ``.jsonld`` files hold."""
        node = ox.NamedNode(self.iri)
        return [ox.Triple(node, ox.NamedNode(p), term) for p, term in self.facts]

    def serialize(self, fmt: str) -> bytes:
        """Its triples, sorted, as Turtle (``ttl``, kg's prefixes) or expanded JSON-LD
        (``jsonld``: Oxigraph's serialiser, a hundred times faster than compacting with rdflib,
        which a site of every resource would feel)."""
        from kg.export import serialize_triples
        from kg.sparql import serialize_rdf

        if fmt == "ttl":
            return serialize_triples(self.triples(), "ttl")
        triples = sorted(self.triples(), key=lambda t: (str(t.predicate), str(t.object)))
        doc = json.loads(serialize_rdf(triples, ox.RdfFormat.JSON_LD))
        return (json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def describe(graph: Any, iri: str) -> Entity | None:
    """The resource ``iri`` as its page shows it, or ``None`` when the graph says nothing of it."""
    path = path_of(iri)
    if path is None:
        return None
    facts = [(p, term) for _, p, term in graph.facts([iri])]
    if not facts:
        return None
    node = ox.NamedNode(iri)
    incoming = [
        (row[0].value, row[1].value)
        for row in graph.query(_INCOMING, {"node": node}).rows
        if isinstance(row[0], ox.NamedNode) and row[1].value not in _HIDDEN_INCOMING
    ]
    relations: dict[str, tuple[str, str, str]] = {}
    for r, s, p, o, _ in graph.query(_RELATIONS, {"node": node}).rows:
        relations[r.value] = (s.value, p.value, o.value)
    bodies = [iri, *sorted(relations)]
    quotes: list[Quote] = []
    fact_quotes: dict[tuple[str, str, str], list[Quote]] = {}
    for body, found in sorted(evidence.quotes(graph, bodies).items()):
        for quote in dict.fromkeys(Quote(q.exact, q.source) for q in found):
            if body == iri:
                quotes.append(quote)
            else:
                fact_quotes.setdefault(relations[body], []).append(quote)
    named = {iri, *(p for p, _ in facts), *(s for s, _ in incoming), *(p for _, p in incoming)}
    named |= {t.value for _, t in facts if isinstance(t, ox.NamedNode)}
    named |= {q.source for q in quotes} | {q.source for qs in fact_quotes.values() for q in qs}
    labels = graph.labels(sorted(named))
    return Entity(
        iri, path.split("/")[1], sorted(facts, key=_fact_key), sorted(set(incoming)), quotes, fact_quotes, labels
    )


def _fact_key(fact: tuple[str, Any]) -> tuple[str, str]:
    return (fact[0], str(fact[1]))


def resources(graph: Any) -> list[str]:
    """Every IRI of the graph that gets a page, sorted."""
    rows = graph.query(f"SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), {_str(ID)})) }}").rows
    return sorted(r[0].value for r in rows if path_of(r[0].value))


def _str(text: str) -> str:
    return str(ox.Literal(text))


#: Predicates whose values are about the date (shown together, with the reasoning).
DATE_PREDICATES = (
    "https://w3id.org/hk-timeline-kg/ns/edtf",
    "https://w3id.org/hk-timeline-kg/ns/datePrecision",
    "https://w3id.org/hk-timeline-kg/ns/dateNote",
    "https://w3id.org/hk-timeline-kg/ns/dateSource",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestBeginTimeStamp",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestEndTimeStamp",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestEndTimeStamp",
)
LABEL_PREDICATES = (RDFS + "label", "https://schema.org/name")
SOURCE_PREDICATE = PROV + "wasDerivedFrom"
