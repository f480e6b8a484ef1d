"""The actor network and the actor-event network, aware of the roles actors play.

The default actor network links two actors when they take part in the same event *in any
role*: an open letter links each signatory to every other signatory and to its addressee.
``roles`` and ``exclude_roles`` choose which participations count (only signatories:
signatory-signatory ties; everyone but the addressee), and every tie keeps the pairs of roles
it stands for. :func:`bipartite` gives the participations themselves, one edge per role.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError
from kg.network import participation
from kg.network.participation import Participations
from kg.network.projection import _project, check_range
from kg.network.reading import NO_ROLE, local_id

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends import Backend

_Q_ROLES = "SELECT DISTINCT ?label WHERE { ?p rdfs:subPropertyOf hk:role ; rdfs:label ?label }"


def _names(value: str | Iterable[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    items = value.split(",") if isinstance(value, str) else value
    return frozenset(" ".join(str(i).split()).lower() for i in items if str(i).strip())


@dataclass(frozen=True)
class Roles:
    """Which participations count: those in ``include`` (all when empty), none in ``exclude``.

    >>> Roles.of("signatory, organiser", None).allows("signatory"), Roles.of(None, "addressee").allows("addressee")
    (True, False)
    """

    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()

    @classmethod
    def of(cls, roles: str | Iterable[str] | None, exclude_roles: str | Iterable[str] | None) -> Roles:
        """From names, comma-separated or as a list (any case); an empty list is an error, not
        "every role"."""
        for value, option in ((roles, "--roles"), (exclude_roles, "--exclude-roles")):
            if value is not None and not _names(value):
                raise UsageError(f"{option} needs role names; leave the option out to keep every role")
        return cls(_names(roles), _names(exclude_roles))

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)

    def allows(self, role: str | None) -> bool:
        name = (role or NO_ROLE).lower()
        return (not self.include or name in self.include) and name not in self.exclude

    def check(self, known: Iterable[str]) -> Roles:
        """Itself, or a :class:`~kg.errors.UsageError` for a name that is no role."""
        names = {k.lower() for k in known} | {NO_ROLE}
        unknown = sorted((self.include | self.exclude) - names)
        if unknown:
            raise UsageError(f"no role {', '.join(map(repr, unknown))}: the roles are {', '.join(sorted(names))}")
        return self

    def describe(self) -> str:
        """``"signatory"``, ``"all but addressee"``, ``"any"``: for titles and messages."""
        text = ", ".join(sorted(self.include)) if self.include else "any"
        return text + (f" but {', '.join(sorted(self.exclude))}" if self.exclude else "")


def known_roles(graph: Backend) -> list[str]:
    """The labels of the graph's roles (the sub-properties of ``hk:role``), and ``actor``."""
    return sorted({str(r["label"]).lower() for r in graph.select(_Q_ROLES)} | {NO_ROLE})


def _projection(
    graph: Backend | nx.MultiDiGraph, start: str | None, end: str | None, roles: Roles, bare: bool = False
) -> nx.MultiDiGraph:
    """The participations of the projection (events described only as far as ``bare`` needs)."""
    import networkx as nx

    if isinstance(graph, nx.MultiDiGraph):
        return graph
    if roles:
        roles.check(known_roles(graph))
    return _project(graph, start=start, end=end, roles_only=True, bare_events=bare)


def _is_actor(data: dict[str, Any]) -> bool:
    return data.get("kind") in ("person", "organisation")


def participations(P: nx.MultiDiGraph, roles: Roles = Roles()) -> dict[str, dict[str, set[str]]]:
    """``{event: {actor: {role, …}}}`` of the role edges of a projection that ``roles`` allows."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for e, a, d in P.edges(data=True):
        if d["kind"] == "role" and P.nodes[e]["kind"] == "event" and _is_actor(P.nodes[a]) and roles.allows(d["role"]):
            found[e][a].add(d["role"] or NO_ROLE)
    return found


def co_participation(
    graph: Backend | nx.MultiDiGraph,
    *,
    start: str | None = None,
    end: str | None = None,
    roles: str | Iterable[str] | None = None,
    exclude_roles: str | Iterable[str] | None = None,
) -> nx.Graph:
    """Actors linked when they take part in the same event (in the roles chosen; any by default).

    A :class:`networkx.Graph` whose nodes are the actors of the events in range (with the
    node attributes of :func:`~kg.network.projection.project`, ``events``, the number of their
    events, and ``roles``, the roles they play) and whose edges have ``weight`` (the number of
    shared events), ``events`` (their ids, sorted) and ``roles`` (the pairs of roles the tie
    stands for, such as ``"addressee–signatory"``, sorted). ``graph`` is the knowledge graph
    (then ``start``/``end`` limit the events) or an already made projection.

    >>> import kg
    >>> A = co_participation(kg.load())
    >>> hrw = "https://w3id.org/hk-timeline-kg/id/actor/human-rights-watch"
    >>> li = "https://w3id.org/hk-timeline-kg/id/actor/li-zhanshu"
    >>> A.edges[hrw, li]["roles"]
    ['addressee–signatory']
    >>> li in co_participation(kg.load(), roles="signatory")
    False
    """
    return _co_participation(graph, start, end, Roles.of(roles, exclude_roles))


def _co_participation(
    graph: Backend | nx.MultiDiGraph,
    start: str | None,
    end: str | None,
    chosen: Roles,
    pooled: Participations | None = None,
) -> nx.Graph:
    """:func:`co_participation`; with ``pooled``, the participations of a wider range already
    read (windows of one range read once)."""
    import networkx as nx

    if isinstance(graph, nx.MultiDiGraph) or not (start or end):
        P = _projection(graph, start, end, chosen, bare=True)
        found = participations(P, chosen)
        nodes = {a: P.nodes[a] for actors in found.values() for a in actors}
    else:  # a date range of the knowledge graph: its participations alone, without the projection
        found, nodes = _participations(graph, start, end, chosen, pooled)
    A = nx.Graph(name="co-participation", start=start, end=end, roles=chosen.describe())
    count: Counter = Counter()
    played: dict[str, set[str]] = defaultdict(set)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    ties: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in sorted(found):
        actors = found[e]
        event_id = local_id(e)
        members = sorted(actors)
        for i, a in enumerate(members):
            count[a] += 1
            played[a] |= actors[a]
            for b in members[i + 1 :]:
                shared[(a, b)].append(event_id)
                ties[(a, b)] |= {f"{min(x, y)}–{max(x, y)}" for x in actors[a] for y in actors[b]}
    A.add_nodes_from((a, {**nodes[a], "events": count[a], "roles": sorted(played[a])}) for a in sorted(count))
    A.add_edges_from(
        (a, b, {"weight": len(events), "events": sorted(events), "roles": sorted(ties[(a, b)])})
        for (a, b), events in sorted(shared.items())
    )
    return A


def _participations(
    graph: Backend, start: str | None, end: str | None, roles: Roles, pooled: Participations | None = None
) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, Any]]]:
    """``participations`` and the actors' node attributes of a date range, read without the
    projection (:mod:`kg.network.participation`), or taken from ``pooled``."""
    if roles and pooled is None:
        roles.check(known_roles(graph))
    start, end = check_range(start, end)
    known = {e.iri: e for e in graph.events(start=start, end=end)}
    read = participation.within(pooled, known) if pooled else participation.read(graph, known)
    found: dict[str, dict[str, set[str]]] = {}
    for e, actors in read.found.items():
        kept = {a: {r for r in rs if roles.allows(r)} for a, rs in actors.items()}
        if any(kept.values()):
            found[e] = {a: rs for a, rs in kept.items() if rs}
    return found, read.actors


def bipartite(
    graph: Backend | nx.MultiDiGraph,
    *,
    start: str | None = None,
    end: str | None = None,
    roles: str | Iterable[str] | None = None,
    exclude_roles: str | Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The actor-event network: events and actors, one edge per role from an event to an actor.

    The part of the projection the actor network is made from, before any projection onto
    actors: nodes and edges keep the projection's attributes (so every export format of
    :mod:`kg.export.formats` writes it), ``kind`` tells the two sides apart (``event``, or
    ``person``/``organisation``), and each edge's ``role`` says how the actor took part.
    Events and actors without a participation that ``roles`` allows are left out.

    >>> import kg
    >>> B = bipartite(kg.load(), roles="addressee")
    >>> sorted({d["role"] for *_, d in B.edges(data=True)})
    ['addressee']
    """
    import networkx as nx

    chosen = Roles.of(roles, exclude_roles)
    P = _projection(graph, start, end, chosen)
    found = participations(P, chosen)
    keep = set(found) | {a for actors in found.values() for a in actors}
    B = nx.MultiDiGraph(name="hk-timeline-kg actors and events", start=start, end=end, roles=chosen.describe())
    B.add_nodes_from((n, P.nodes[n]) for n in sorted(keep))
    for e, a, k, d in P.edges(keys=True, data=True):
        if e in found and a in found[e] and (d["role"] or NO_ROLE) in found[e][a]:
            B.add_edge(e, a, key=k, **d)
    return B
