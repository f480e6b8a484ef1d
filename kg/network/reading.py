"""What the projection reads, in batches through the graph's interface, and the nodes and edges
it makes of it (their attributes are documented in :mod:`kg.network.projection`)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kg.backends.index_builder import DESCRIBED
from kg.backends.selection import local_id
from kg.namespaces import DCTERMS, HK, PROV, RDF, RDFS, SCHEMA, SEM, shorten

#: ``shorten`` of the few classes and predicates a projection names thousands of times.
short = functools.lru_cache(maxsize=4096)(shorten)

if TYPE_CHECKING:
    from kg.backends import Backend
    from kg.backends.selection import IndexedEvent

#: Node attributes every node of :func:`project` carries, in this order.
NODE_ATTRIBUTES = (
    "iri",
    "id",
    "label",
    "kind",
    "class",
    "classes",
    "type",
    "edtf",
    "precision",
    "earliest_begin",
    "latest_begin",
    "earliest_end",
    "latest_end",
    "start",
    "end",
)
#: Edge attributes every edge of :func:`project` carries, in this order.
EDGE_ATTRIBUTES = ("predicate", "label", "role", "kind", "start", "end")
#: What an event -> actor edge without a role (plain ``sem:hasActor``) is called.
NO_ROLE = "actor"
#: The node kinds, in the order the tables list them.
KINDS = ("event", "person", "organisation", "place", "source")

# Labels of the standard properties (the project's own come from schema/ontology.ttl).
_LABELS = {
    SEM + "hasActor": ("actor", "role"),
    SEM + "hasPlace": ("place", "place"),
    SEM + "subEventOf": ("part of", "relation"),
    SCHEMA + "memberOf": ("member of", "membership"),
    SCHEMA + "parentOrganization": ("parent organisation", "organisation"),
    SCHEMA + "location": ("location", "location"),
    SCHEMA + "containedInPlace": ("contained in", "location"),
    PROV + "wasDerivedFrom": ("source", "source"),
    SCHEMA + "publisher": ("publisher", "source"),
    SCHEMA + "author": ("author", "source"),
}
_RELATIONS = (HK + "causedBy", HK + "respondsTo", HK + "motivatedBy", HK + "follows")
_SOURCE_PREDICATES = (PROV + "wasDerivedFrom", SCHEMA + "publisher", SCHEMA + "author")
_HOLDS_POST, _POST_IN, _ROLE_NAME = HK + "holdsPost", HK + "postIn", SCHEMA + "roleName"
_FIELDS = {
    RDFS + "label": "label",
    DCTERMS + "title": "title",
    SEM + "eventType": "type",
    HK + "edtf": "edtf",
    HK + "datePrecision": "precision",
    SEM + "hasEarliestBeginTimeStamp": "earliest_begin",
    SEM + "hasLatestBeginTimeStamp": "latest_begin",
    SEM + "hasEarliestEndTimeStamp": "earliest_end",
    SEM + "hasLatestEndTimeStamp": "latest_end",
}
_Q_EDGE_LABELS = """
SELECT ?p ?label ?isRole WHERE {
  { ?p rdfs:subPropertyOf hk:role . BIND(true AS ?isRole) }
  UNION { VALUES ?p { %s } BIND(false AS ?isRole) }
  OPTIONAL { ?p rdfs:label ?label }
}
"""
_Q_ALL_NODES = "SELECT DISTINCT ?n WHERE { VALUES ?c { sem:Event sem:Actor sem:Place %s } ?n a ?c FILTER(isIRI(?n)) }"
_MAIN_CLASS = {
    "event": "sem:Event",
    "person": "schema:Person",
    "organisation": "schema:Organization",
    "place": "sem:Place",
}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


# ---------------------------------------------------------------------------- small helpers


def _main_class(kind: str, classes: list[str]) -> str:
    if kind in _MAIN_CLASS:
        return _MAIN_CLASS[kind]
    specific = sorted(c for c in classes if c.startswith("schema:") and c != "schema:CreativeWork")
    return specific[0] if specific else "schema:CreativeWork"


def _empty_node(iri: str, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = dict.fromkeys(NODE_ATTRIBUTES)
    data.update(iri=iri, id=local_id(iri), label=local_id(iri), kind=kind, classes=[])
    data["class"] = _main_class(kind, [])
    return data


def _kind_of(types: set[str]) -> str | None:
    """The node kind that the ``rdf:type`` IRIs give, ``None`` for what is no node."""
    if SEM + "Event" in types:
        return "event"
    if SEM + "Actor" in types:
        return "person" if SCHEMA + "Person" in types else "organisation"
    if SEM + "Place" in types:
        return "place"
    if PROV + "Entity" in types and SCHEMA + "Claim" not in types:
        return "source"
    return None


def _infer_kind(edge: dict[str, Any], end: str) -> str:
    """The kind of an untyped edge end (a CONSTRUCT result without rdf:type triples)."""
    kind = edge["kind"]
    if kind in ("role", "place", "relation", "source") and end == "s":
        return "event"
    return {
        "role": "organisation",
        "membership": "organisation",
        "organisation": "organisation",
        "place": "place",
        "location": "place",
        "relation": "event",
        "source": "source",
    }[kind]


# ---------------------------------------------------------------------------- reading


class _Reader:
    """Reads nodes and their outgoing edges in batches through the graph's interface."""

    def __init__(self, graph: Backend, include_sources: bool):
        self.graph = graph
        self.include_sources = include_sources
        predicates = [*_LABELS, *_RELATIONS, _HOLDS_POST]
        if not include_sources:
            predicates = [p for p in predicates if p not in _SOURCE_PREDICATES]
        self.edge_predicates = set(predicates)
        self.roles: dict[str, str] = {}
        self.relations: dict[str, str] = {}
        rows = graph.select(_Q_EDGE_LABELS % " ".join(f"<{p}>" for p in _RELATIONS))
        for r in sorted(rows, key=lambda r: (r["p"], str(r["label"] or ""))):
            target = self.roles if r["isRole"] else self.relations
            if r["p"] not in target or r["label"]:
                target.setdefault(r["p"], r["label"] or "")
        self.roles = {p: label or local_id(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for p, label in self.roles.items()}
        self.relations = {p: label or shorten(p) for p, label in self.relations.items()}
        self.edge_predicates |= set(self.roles) | set(self.relations)

    def facts(self, iris: Iterable[str], skip: Iterable[str] = ()) -> dict[str, list[tuple[str, str]]]:
        """``{iri: [(predicate, value), …]}`` in one batched read, without the ``skip`` predicates."""
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        wanted = sorted(set(iris))
        if wanted:
            for s, p, o in self.graph.fact_values(wanted, skip):
                out[s].append((p, o))
        return out

    def described(self, iris: Iterable[str], skip: Iterable[str] = ()) -> dict[str, list[tuple[str, str]]]:
        """:meth:`facts`, with the facts a store's event index keeps (types, dates, roles,
        places, sources: :data:`~kg.backends.index_builder.DESCRIBED`) read by
        ``graph.event_facts`` (integer rows, no term decoded by Oxigraph), the rest by
        ``graph.fact_values``; any back end answers both for any node, an event or not."""
        unwanted = set(skip)
        indexed = sorted(p for p in {*DESCRIBED, *self.roles} if p not in unwanted)
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        wanted = sorted(set(iris))
        if wanted:
            for s, p, o in self.graph.event_facts(wanted, indexed):
                out[s].append((p, o))
            for s, p, o in self.graph.fact_values(wanted, sorted(unwanted | set(indexed))):
                out[s].append((p, o))
        return out

    def node(self, iri: str, facts: list[tuple[str, str]], kind: str | None = None) -> dict[str, Any] | None:
        """The node of ``iri`` from its facts (``kind`` from its types unless given)."""
        types = {o for p, o in facts if p == RDF + "type"}
        kind = kind or _kind_of(types)
        if kind is None or (kind == "source" and not self.include_sources):
            return None
        data = _empty_node(iri, kind)
        values: dict[str, str] = {}
        for p, o in facts:
            field = _FIELDS.get(p)
            if field and (field not in values or o < values[field]):
                values[field] = o
        classes = sorted(short(t) for t in types)
        data.update({k: v for k, v in values.items() if k in data and k != "label"})
        data.update(label=values.get("title") or values.get("label") or data["label"], classes=classes)
        data["class"] = _main_class(kind, classes)
        return data

    def edges(self, iri: str, facts: list[tuple[str, str]]) -> list[tuple[str, str, dict[str, Any]]]:
        """The outgoing edges of one node, roles collapsed; posts and plain ``schema:memberOf``
        are left to :meth:`memberships`."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        with_role: set[str] = set()
        plain: list[tuple[str, str]] = []
        d: dict[str, Any]
        for p, o in facts:
            if p not in self.edge_predicates or not _IRI.match(o):
                continue
            if p in self.roles:
                with_role.add(o)
                d = {"predicate": p, "label": self.roles[p], "role": self.roles[p], "kind": "role"}
            elif p in self.relations:
                d = {"predicate": p, "label": self.relations[p], "role": None, "kind": "relation"}
            elif p in (_HOLDS_POST, SCHEMA + "memberOf", SEM + "hasActor"):
                plain.append((p, o))
                continue
            else:
                label, kind = _LABELS[p]
                d = {"predicate": p, "label": label, "role": None, "kind": kind}
            out.append((iri, o, d))
        for p, o in plain:
            if p == SEM + "hasActor" and o not in with_role:  # an actor without a role
                out.append((iri, o, {"predicate": p, "label": "actor", "role": None, "kind": "role"}))
        return out

    def memberships(self, facts: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str, dict[str, Any]]]:
        """``member of`` edges: one per post (titled), plain ``schema:memberOf`` where no post says more."""
        posts = {(s, o) for s, fs in facts.items() for p, o in fs if p == _HOLDS_POST and _IRI.match(o)}
        post_facts = self.facts(o for _, o in posts)
        titled: dict[tuple[str, str], set[str | None]] = defaultdict(set)
        for person, post in posts:
            pf = post_facts.get(post, [])
            title = min((o for p, o in pf if p == _ROLE_NAME), default=None)
            for org in (o for p, o in pf if p == _POST_IN and _IRI.match(o)):
                titled[(person, org)].add(title)
        edges = []
        member = SCHEMA + "memberOf"
        plain = {"predicate": member, "label": "member of", "role": None, "kind": "membership"}
        for (s, o), titles in sorted(titled.items()):
            for title in sorted(titles, key=lambda t: t or ""):
                edges.append((s, o, {"predicate": member, "label": "member of", "role": title, "kind": "membership"}))
        for s, fs in sorted(facts.items()):
            for p, o in fs:
                if p == member and _IRI.match(o) and (s, o) not in titled:
                    edges.append((s, o, dict(plain)))
        return edges


def read(
    graph: Backend,
    events: Sequence[str] | None,
    include_sources: bool,
    roles_only: bool = False,
    known: dict[str, IndexedEvent] | None = None,
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, dict[str, Any]]]]:
    """Nodes and edges: of ``events`` and what they reach, or (``None``) of the whole graph.

    ``roles_only`` reads the participations alone: events, their actors and the role edges
    between them, the part of the projection that the actor network is made of. With
    ``known`` (the selection's events, with their label and begin) as well, the events' other
    facts are not read: their nodes have only id, label and begin, all that the actor network
    uses of them."""
    reader = _Reader(graph, include_sources)
    skip = sorted(reader.edge_predicates - set(reader.roles) - {SEM + "hasActor"}) if roles_only else []
    known = known if roles_only and known else {}
    bare = skip + sorted({*_FIELDS, RDF + "type"}) if known else skip
    whole = events is None
    first: dict[str, list[tuple[str, str]]] = {}
    if events is None:
        extra = "prov:Entity" if include_sources else ""
        listed = [r["n"] for r in graph.select(_Q_ALL_NODES % extra)]
        first = reader.facts(listed)
        event_facts = {i: f for i, f in first.items() if SEM + "Event" in {o for p, o in f if p == RDF + "type"}}
    else:
        event_facts = reader.described(events, bare)
        event_facts = {i: event_facts.get(i, []) for i in events}
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for iri, facts in event_facts.items():
        node = reader.node(iri, facts, "event")
        if node is not None:
            if iri in known:
                e = known[iri]
                node.update(label=e.label or node["label"], earliest_begin=e.earliest_begin)
                node["latest_begin"] = e.latest_begin
            nodes[iri] = node
            edges += reader.edges(iri, facts)
    # One step out: what the events reach (and, for the whole graph, every other typed node).
    reached = {o for _, o, d in edges if o not in nodes and d["kind"] != "relation"}  # relations: events
    other_facts = {i: f for i, f in first.items() if i not in event_facts} if whole else {}
    other_facts.update(reader.facts(reached - set(other_facts), skip))
    inferred = {o: _infer_kind(d, "o") for s, o, d in edges if o not in nodes}
    for iri, facts in sorted(other_facts.items()):
        node = reader.node(iri, facts)
        if node is not None and node["kind"] == "event" and not whole:
            continue  # an event outside the selection
        if node is None and iri in inferred and not any(p == RDF + "type" for p, _ in facts):
            node = _empty_node(iri, inferred[iri])
        if node is not None:
            nodes[iri] = node
    for iri in sorted(nodes):
        if nodes[iri]["kind"] != "event":
            edges += reader.edges(iri, other_facts.get(iri, []))
    edges += reader.memberships({i: other_facts.get(i, []) for i in nodes if nodes[i]["kind"] != "event"})
    # Only the documents that attest a drawn node (claims, relations and posts are no nodes).
    edges = [(s, o, d) for s, o, d in edges if s in nodes and (d["kind"] == "role" or not roles_only)]
    if whole:
        for _, o, d in edges:
            if o not in nodes:
                nodes[o] = _empty_node(o, _infer_kind(d, "o"))
    else:
        events_kept = {i for i, n in nodes.items() if n["kind"] == "event"}
        event_edges = [(s, o, d) for s, o, d in edges if s in events_kept]
        keep = events_kept | {o for _, o, _ in event_edges if o in nodes}
        edges = [(s, o, d) for s, o, d in edges if s in keep and o in keep]
        nodes = {i: n for i, n in nodes.items() if i in keep}
    types = graph.labels(sorted({n["type"] for n in nodes.values() if n["type"]}))
    for n in nodes.values():
        if n["type"]:
            n["type"] = types.get(n["type"]) or local_id(n["type"])
    return nodes, edges
