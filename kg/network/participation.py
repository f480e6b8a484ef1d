"""Who took part in the events of a date range, and in which roles, read without the projection.

The actor network of a month needs, of its events, only their role links (event, role, actor)
and, of the actors, what a ranking prints of them: label and kind. Building the projection
first (a :class:`networkx.MultiDiGraph` with every attribute of every node and edge) costs
more than the measure itself on a store of a million events, so :func:`read` takes the same
facts the projection's ``roles_only`` reading would take, by the same rules
(:class:`~kg.network.reading._Reader`: roles collapsed, an actor without a role is ``actor``,
untyped ends are organisations, what is typed otherwise is no actor), and nothing else. The
tests check that both give the same actor network.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.namespaces import RDF, SEM
from kg.network.reading import _FIELDS, _IRI, NO_ROLE, _empty_node, _Reader, local_id

if TYPE_CHECKING:
    from kg.backends import Backend
    from kg.backends.selection import IndexedEvent

_ACTOR = SEM + "hasActor"
_Q_FACTS = """SELECT (STR(?o) AS ?v) (GROUP_CONCAT(CONCAT(STR(?n), " ", STR(?j)); SEPARATOR=" ") AS ?at)
WHERE { VALUES (?s ?n) { %s } ?s ?p ?o FILTER(?p IN (%s)) BIND(%s AS ?j) } GROUP BY ?o"""
_DESCRIBED = sorted({RDF + "type", *_FIELDS})
#: Subjects per query: a VALUES list Oxigraph answers by one index lookup per event.
BATCH = 2000


@dataclass
class Participations:
    """``found``: ``{event: {actor: {role, …}}}`` of every participation (any role);
    ``actors``: the actors' node attributes, as :func:`~kg.network.projection.project` gives
    them (``start``: the earliest begin of their events in range)."""

    found: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)


def links(graph: Backend, events: list[str], predicates: Iterable[str]) -> list[tuple[str, str, str]]:
    """``(event, predicate, object)`` of the ``predicates`` of ``events``: from the store's event
    index when it holds them (B-tree reads of integers, milliseconds for a month of a million
    events), else by SPARQL in batches (two at a time: Oxigraph evaluates a query without
    holding the GIL; about 0.1 ms an event on a store of a million)."""
    chosen = sorted(predicates)
    index = getattr(graph, "event_index", None)
    if index is not None and getattr(index, "describes", False) and set(chosen) <= set(index.predicates()):
        ids = index.event_ids(events)
        if len(ids) == len(set(events)):
            by_id = {n: iri for iri, n in ids.items()}
            found = index.links(sorted(by_id), chosen)
            names = index.nodes(n for _, _, n in found)
            return [(by_id[e], p, names[n][0]) for e, p, n in found]
    return facts(graph, events, chosen)


def facts(graph: Backend, subjects: list[str], predicates: list[str]) -> list[tuple[str, str, str]]:
    """``(subject, predicate, value)`` of the ``predicates`` of ``subjects`` by SPARQL, each
    value as ``STR`` gives it.

    Subjects and predicates go in as numbers and the rows come grouped by value, so the engine
    turns each distinct value into a string once, and no subject or predicate: on a store of a
    million events Oxigraph takes tens of microseconds per string, more than the lookups.
    Batches run two at a time (Oxigraph evaluates a query without holding the GIL).
    """
    if not predicates:
        return []
    numbered = "-1"
    for j in reversed(range(len(predicates))):
        numbered = f"IF(?p = <{predicates[j]}>, {j}, {numbered})"
    wanted = ", ".join(f"<{p}>" for p in predicates)

    def run(first: int) -> list[tuple[str, str, str]]:
        batch = subjects[first : first + BATCH]
        values = " ".join(f"(<{s}> {n})" for n, s in enumerate(batch))
        rows = graph.select(_Q_FACTS % (values, wanted, numbered))
        out = []
        for r in rows:
            numbers = r["at"].split(" ")
            for n, j in zip(numbers[::2], numbers[1::2], strict=True):
                out.append((batch[int(n)], predicates[int(j)], r["v"]))
        return out

    starts = range(0, len(subjects), BATCH)
    if len(starts) < 2:
        return [fact for first in starts for fact in run(first)]
    with ThreadPoolExecutor(2) as pool:
        return [fact for part in pool.map(run, starts) for fact in part]


def read(graph: Backend, known: dict[str, IndexedEvent]) -> Participations:
    """The participations in the ``known`` events (a selection's, with their begin) and the
    actors they reach."""
    reader = _Reader(graph, include_sources=False)
    roles = reader.roles
    by_pair: dict[tuple[str, str], set[str]] = defaultdict(set)
    plain: set[tuple[str, str]] = set()
    for e, p, o in links(graph, list(known), [*roles, _ACTOR]):
        if o in known or not _IRI.match(o):
            continue  # an event is no actor; a literal or blank node no node
        if p == _ACTOR:
            plain.add((e, o))
        else:
            by_pair[(e, o)].add(roles[p])
    for pair in plain - set(by_pair):
        by_pair[pair].add(NO_ROLE)  # an actor without a role
    reached = sorted({o for _, o in by_pair})
    described: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, v in facts(graph, reached, _DESCRIBED):  # what a node of the projection holds
        described[s].append((p, v))
    actors: dict[str, dict[str, Any]] = {}
    for iri in reached:
        node = reader.node(iri, described.get(iri, []))
        if node is None and not any(p == RDF + "type" for p, _ in described.get(iri, [])):
            node = _empty_node(iri, "organisation")  # an untyped end of a role edge
        if node is not None and node["kind"] in ("person", "organisation"):
            actors[iri] = node
    types = graph.labels(sorted({n["type"] for n in actors.values() if n["type"]}))
    found: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for (e, a), named in sorted(by_pair.items()):
        node = actors.get(a)
        if node is None:
            continue
        found[e][a] = named
        begin = known[e].earliest_begin
        if begin and (node["start"] is None or begin < node["start"]):
            node["start"] = begin
    for node in actors.values():
        if node["type"]:
            node["type"] = types.get(node["type"]) or local_id(node["type"])
    taking_part = {a for f in found.values() for a in f}
    return Participations(dict(found), {a: n for a, n in actors.items() if a in taking_part})


def within(pooled: Participations, known: dict[str, IndexedEvent]) -> Participations:
    """The participations in the ``known`` events alone, of those ``pooled`` holds (a window
    of a range read once), each actor's ``start`` the earliest begin of its events among them."""
    found = {e: pooled.found[e] for e in known if e in pooled.found}
    starts: dict[str, str] = {}
    for e, taking_part in found.items():
        begin = known[e].earliest_begin
        for a in taking_part:
            if begin and (a not in starts or begin < starts[a]):
                starts[a] = begin
    nodes = {a: {**pooled.actors[a], "start": starts.get(a)} for f in found.values() for a in f}
    return Participations(found, nodes)
