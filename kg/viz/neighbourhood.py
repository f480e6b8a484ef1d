"""The ego view (what lies within some steps of one resource), read through the graph's
interface: its cost follows the size of the neighbourhood, not of the graph.

Each step reads the frontier's facts in one batch (``graph.fact_values``, through the
projection's reader of :mod:`kg.network.reading`), the edges that reach it with a ``VALUES``
query, and posts both ways (a person is one step from the organisations it holds posts in).
The nodes and edges are then those of :func:`kg.network.project` among the nodes found, made
by the same reader, so an ego view equals ``networkx.ego_graph`` of the whole projection
(tests compare them on the bundled graph).

Within a selection (``--from/--to``, ``--type``: a :class:`~kg.backends.selection.Selection`)
the walk goes through the events the selection keeps alone, and through the people,
organisations and places that one of those events reaches: it equals ``networkx.ego_graph`` of
the projection of the selection's events, but reads the neighbourhood, not the date range.
The events that reach an actor come from ``graph.select_events``, those that reach a place or
a source from ``graph.linked_events`` (a store's event index: B-tree searches, with the begin
bounds the dates are tested on), counted against the node limit before they are described; the
few events met by a relation are kept by their begin bounds and types, read as the selection
reads them. Events reach actors by ``sem:hasActor`` and places by ``sem:hasPlace`` as
CONTRACT.md asks (a role without its ``sem:hasActor`` is not walked).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.backends.selection import BEGIN_STAMPS, Selection, begin_bounds, local_id
from kg.errors import UsageError
from kg.namespaces import HK, SCHEMA, SEM

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends import Backend
    from kg.network.reading import _Reader

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"]*$")
_INCOMING = "SELECT ?s ?p ?o WHERE { VALUES ?o { %s } VALUES ?p { %s } ?s ?p ?o }"
_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?o { %s } VALUES ?p { %s } ?s ?p ?o }"
_HOLDS, _POST_IN = HK + "holdsPost", HK + "postIn"
_ACTOR, _TYPE, _PLACE = SEM + "hasActor", SEM + "eventType", SEM + "hasPlace"
_ALL = 2**62  # every event that links to a node, not a first page of them
_EARLIEST, _LATEST = SEM + "hasEarliestBeginTimeStamp", SEM + "hasLatestBeginTimeStamp"
#: What an event's link by these predicates reaches is no node of the projection's selection
#: (events, by a relation; posts and memberships are drawn for people and organisations only).
_NOT_REACHING = (SEM + "subEventOf", _HOLDS, SCHEMA + "memberOf")
_BATCH = 500  # larger VALUES blocks make Oxigraph join by scanning (2,000: 26 s instead of 0.2 s)


def refuse_above(count: int, limit: int | None, what: str = "") -> None:
    """:class:`~kg.errors.UsageError`, with advice, when a view would draw more than ``limit``
    nodes; ``what`` says what ``count`` counts when it is not the nodes themselves (``at least
    … events``, ``up to … nodes``), counted before the nodes are read."""
    if limit is not None and count > limit:
        amount = what.replace("…", str(count)) if what else f"{count} nodes"
        raise UsageError(
            f"the view would draw {amount}, more than the limit of {limit} nodes that a browser draws usably: "
            "narrow it with --ego NAME (and --depth), --from/--to or --type, or raise --node-limit"
        )


def _incoming(
    graph: Backend, nodes: set[str], predicates: set[str], limit: int | None = None
) -> list[tuple[str, str, str]]:
    """Triples with one of ``predicates`` that end at ``nodes``; refused, from the engine's
    count, before they are read when the resources they start from are more than ``limit``
    (the busiest actor's 25,000 events: 0.3 s instead of 3 s on a million events)."""
    wanted = " ".join(f"<{p}>" for p in sorted(predicates))
    iris = sorted(n for n in nodes if _IRI.match(n))
    out: list[tuple[str, str, str]] = []
    for i in range(0, len(iris), _BATCH):
        values = " ".join(f"<{n}>" for n in iris[i : i + _BATCH])
        if limit is not None:  # the resources that link to them, posts aside (nodes by the contract)
            linking = " ".join(f"<{p}>" for p in sorted(predicates - {_POST_IN}))
            refuse_above(int(graph.select(_COUNT % (values, linking))[0]["n"]), limit, "at least … nodes")
        out += [(r["s"], r["p"], r["o"]) for r in graph.select(_INCOMING % (values, wanted))]
    return out


def _step(
    reader: _Reader, facts: dict[str, list[tuple[str, str]]], frontier: set[str], known: set[str], limit: int | None
) -> set[str]:
    """The projection's neighbours of ``frontier`` (whose facts are read into ``facts``);
    refused before their facts are read when they and the ``known`` nodes are more than ``limit``."""
    facts.update(reader.facts(frontier - set(facts)))
    out = [(p, o) for n in frontier for p, o in facts.get(n, ()) if p in reader.edge_predicates and _IRI.match(o)]
    found = {o for p, o in out if p != _HOLDS}
    posts_out = {o for p, o in out if p == _HOLDS}
    incoming = _incoming(reader.graph, frontier, reader.edge_predicates | {_POST_IN}, limit)
    found |= {s for s, p, _ in incoming if p not in (_POST_IN, _HOLDS)}
    posts_in = {s for s, p, _ in incoming if p == _POST_IN}
    found |= {s for s, p, _ in incoming if p == _HOLDS}
    post_facts = reader.facts(posts_out)
    found |= {o for fs in post_facts.values() for p, o in fs if p == _POST_IN}
    found |= {s for s, _, _ in _incoming(reader.graph, posts_in, {_HOLDS})}
    # the busiest actor's 25,000 events are refused before they are described
    refuse_above(len(known | found), limit, "up to … nodes")
    facts.update(reader.described(found - set(facts)))  # mostly events: from a store's event index
    return {n for n in found if reader.node(n, facts.get(n, [])) is not None}


def _kept(facts: list[tuple[str, str]], keep: Selection) -> bool:
    """Whether an event with these facts is one ``graph.select_events(keep)`` returns: a begin
    (its bounds, the widest of them, else a single time stamp's) that may fall in the dates,
    and one of the types (narrower ones already in ``keep.types``)."""
    earliest = [o[:10] for p, o in facts if p == _EARLIEST]
    latest = [o[:10] for p, o in facts if p == _LATEST]
    if earliest:
        bounds = (min(earliest), max(latest)) if latest else None
    else:
        stamps = [b for b in (begin_bounds(o) for p, o in facts if p in BEGIN_STAMPS) if b]
        bounds = (min(b[0] for b in stamps), max(b[1] for b in stamps)) if stamps else None
    if bounds is None or not keep.dates.overlaps(*bounds):
        return False
    return keep.types is None or any(p == _TYPE and o in keep.types for p, o in facts)


def _acting(graph: Backend, nodes: set[str], keep: Selection) -> set[str]:
    """The events of the selection that have one of ``nodes`` as actor (``sem:hasActor``, which
    CONTRACT.md asks beside every role). A store's event index gives an actor's events from a
    B-tree, with their begin bounds; the dates are tested here (asking the index for an actor
    and a wide date range at once gathers the range's million events first: 0.6 s instead of
    0.02 s), the types from the events' indexed facts."""
    iris = sorted(n for n in nodes if _IRI.match(n))
    found: set[str] = set()
    for i in range(0, len(iris), _BATCH):
        events = graph.select_events(Selection(actors=tuple(iris[i : i + _BATCH])))
        found.update(e.iri for e in events if keep.dates.overlaps(e.earliest_begin, e.latest_begin))
    if keep.types is not None and found:
        found = {e for e, _, t in graph.event_facts(sorted(found), [_TYPE]) if t in keep.types}
    return found


class _Within:
    """The ego walk restricted to a selection: events it keeps, and what they reach."""

    def __init__(self, reader: _Reader, facts: dict[str, list[tuple[str, str]]], keep: Selection):
        self.reader, self.facts, self.keep = reader, facts, keep
        self._acting: dict[frozenset[str], set[str]] = {}  # the centre's events, asked twice
        self._linked: dict[str, set[str]] = {}
        self.actors = {_ACTOR, *reader.roles}
        relations = set(reader.relations) | set(_NOT_REACHING)
        #: an event reaches a drawn node by these (roles, places, sources), not by relations
        self.reaching = {p for p in reader.edge_predicates if p not in relations}

    def kind(self, node: str) -> str | None:
        data = self.reader.node(node, self.facts.get(node, []))
        return None if data is None else str(data["kind"])

    def acting(self, nodes: set[str]) -> set[str]:
        """:func:`_acting`, once for the same nodes."""
        key = frozenset(nodes)
        if key not in self._acting:
            self._acting[key] = _acting(self.reader.graph, nodes, self.keep)
        return self._acting[key]

    def linked(self, node: str) -> set[str]:
        """The events of the selection that reach ``node`` (a place, a source), from
        ``graph.linked_events``: a store's event index lists them with their begin bounds,
        so a place's events outside the dates are never described."""
        if node not in self._linked:
            graph, dates = self.reader.graph, self.keep.dates
            lists = [events for p, (_, events) in graph.linked_events(node, _ALL).items() if p in self.reaching]
            found = {e.iri for events in lists for e in events if dates.overlaps(e.earliest_begin, e.latest_begin)}
            if self.keep.types is not None and found:
                found = {e for e, _, t in graph.event_facts(sorted(found), [_TYPE]) if t in self.keep.types}
            self._linked[node] = found
        return self._linked[node]

    def split(self, nodes: set[str]) -> tuple[set[str], set[str], set[str]]:
        """``nodes`` (described) as events, actors, and the rest (places, sources)."""
        kinds = {n: self.kind(n) for n in nodes}
        events = {n for n in nodes if kinds[n] == "event"}
        actors = {n for n in nodes if kinds[n] in ("person", "organisation")}
        return events, actors, nodes - events - actors

    def admitted(self, nodes: set[str]) -> set[str]:
        """Those of ``nodes`` (described, no events) that an event of the selection reaches."""
        _, actors, rest = self.split(nodes)
        events = sorted(self.acting(actors)) if actors else []
        if len(actors) == 1:
            found = set(actors) if events else set()
        else:
            found = {a for _, _, a in self.reader.graph.event_facts(events, [_ACTOR]) if a in actors}
        return found | {n for n in rest if self.linked(n)}

    def center(self, node: str) -> bool:
        """Whether the selection draws ``node``."""
        self.facts.update(self.reader.described({node} - set(self.facts)))
        kind = self.kind(node)
        if kind == "event":
            return _kept(self.facts[node], self.keep)
        return kind is not None and bool(self.admitted({node}))

    def step(self, frontier: set[str], known: set[str], limit: int | None) -> set[str]:
        """:func:`_step` within the selection: the events of the selection among the frontier's
        neighbours, and the other neighbours that such an event reaches. The events that reach
        the frontier come from the selection (:meth:`acting`, :meth:`linked`), counted against
        ``limit`` before they are described; the links read otherwise are those between
        events (relations) or between the other nodes (posts, memberships, places within places)."""
        reader, facts = self.reader, self.facts
        facts.update(reader.facts(frontier - set(facts)))
        events, actors, rest = self.split(frontier)
        reached: set[str] = set()  # by an event of the selection: drawn
        met: set[str] = set()  # any other way: drawn if such an event reaches them
        posts_out: set[str] = set()
        for n in frontier:
            for p, o in facts.get(n, ()):
                if p in reader.edge_predicates and _IRI.match(o):
                    (posts_out if p == _HOLDS else reached if n in events and p in self.reaching else met).add(o)
        between = (reader.edge_predicates - self.actors - {_PLACE}) | {_POST_IN}
        incoming = _incoming(reader.graph, frontier, between)
        met |= {s for s, p, _ in incoming if p != _POST_IN}
        posts_in = {s for s, p, _ in incoming if p == _POST_IN}
        met |= {o for fs in reader.facts(posts_out).values() for p, o in fs if p == _POST_IN}
        met |= {s for s, _, _ in _incoming(reader.graph, posts_in, {_HOLDS})}
        selected = self.acting(actors) | {e for n in rest for e in self.linked(n)}
        refuse_above(len(known | reached | selected), limit, "up to … nodes")  # before they are described
        found = reached | met | selected
        facts.update(reader.described(found - set(facts)))
        kinds = {n: self.kind(n) for n in found}
        kept = {n for n in found if kinds[n] == "event" and (n in selected or _kept(facts[n], self.keep))}
        others = {n for n in found if kinds[n] not in (None, "event")}
        return kept | (others & reached) | self.admitted(others - reached - known)


def ego(
    graph: Backend,
    center: str,
    depth: int,
    *,
    include_sources: bool = False,
    limit: int | None = None,
    keep: Selection | None = None,
) -> nx.MultiDiGraph:
    """The projection of what lies within ``depth`` steps of ``center`` (an IRI), edges taken
    either way, through the events ``keep`` selects alone (an empty graph when it leaves out
    ``center``); :class:`~kg.errors.UsageError` once it holds more than ``limit`` nodes."""
    import networkx as nx

    from kg.network.reading import _Reader

    reader = _Reader(graph, include_sources)
    facts: dict[str, list[tuple[str, str]]] = {}
    within = _Within(reader, facts, keep) if keep is not None else None
    if within is not None and not within.center(center):
        return nx.MultiDiGraph()
    nodes, frontier = {center}, {center}
    for _ in range(depth):
        if within is not None:
            frontier = within.step(frontier, nodes, limit) - nodes
        else:
            frontier = _step(reader, facts, frontier, nodes, limit) - nodes
        nodes |= frontier
        refuse_above(len(nodes), limit)
    return among(graph, nodes, include_sources=include_sources, reader=reader, facts=facts)


def among(
    graph: Backend,
    nodes: set[str],
    *,
    include_sources: bool = False,
    reader: _Reader | None = None,
    facts: dict[str, list[tuple[str, str]]] | None = None,
) -> nx.MultiDiGraph:
    """The projection of :func:`kg.network.project` among ``nodes`` (IRIs; those that are no
    node of it are left out), read for them alone: what a query's answer draws on a store of
    a million events. ``facts`` already read (by ``reader``) are not read again."""
    from kg.network.projection import _assemble
    from kg.network.reading import _Reader

    reader = reader or _Reader(graph, include_sources)
    facts = {} if facts is None else facts
    nodes = {n for n in nodes if _IRI.match(n)}
    facts.update(reader.facts(nodes - set(facts)))
    data = {n: reader.node(n, facts.get(n, [])) for n in sorted(nodes)}
    drawn = {n: d for n, d in data.items() if d is not None}
    edges = [e for n in drawn for e in reader.edges(n, facts.get(n, []))]
    edges += reader.memberships({n: facts.get(n, []) for n in drawn if drawn[n]["kind"] != "event"})
    edges = [(s, o, d) for s, o, d in edges if s in drawn and o in drawn]
    types = graph.labels(sorted({d["type"] for d in drawn.values() if d["type"]}))
    for d in drawn.values():
        if d["type"]:
            d["type"] = types.get(d["type"]) or local_id(d["type"])
    return _assemble(drawn, edges, start=None, end=None, include_sources=include_sources)
