"""The projection: the knowledge graph as a :class:`networkx.MultiDiGraph` of events, actors,
places (and sources), read through the graph's interface so that it costs what it selects.

Nodes are keyed by IRI. Every node has these attributes (``None`` where unknown):

===============  ===========================================================================
``iri``          the node's IRI (the same as its key)
``id``           its local id, as in ``data/`` (``"li-zhanshu"``); unique within a kind
``label``        the English label (a source's title)
``kind``         ``"event"``, ``"person"``, ``"organisation"``, ``"place"`` or ``"source"``
``class``        the main class, shortened: ``sem:Event``, ``schema:Person``,
                 ``schema:Organization``, ``sem:Place``, or a source's schema.org class
``classes``      every ``rdf:type``, shortened and sorted (a list)
``type``         an event's type label (``"open letter"``); ``None`` for the other kinds
``edtf``         the date as written, in EDTF (events and sources)
``precision``    ``day``, ``month``, ``year``, ``range`` or ``approximate`` (events, sources)
``earliest_begin``, ``latest_begin``, ``earliest_end``, ``latest_end``
                 the ``xsd:date`` bounds as ISO strings (events and sources)
``start``        when the node appears on a timeline (ISO date): an event's earliest begin;
                 an actor's or place's first event; a source's earliest publication day.
                 A node that no event reaches takes the earliest start of its neighbours.
``end``          when it disappears: an event's latest end (``None`` if open-ended);
                 ``None`` for actors, places and sources, which stay once they appear
===============  ===========================================================================

Edges run in the direction of the RDF triple and are keyed by their predicate (shortened,
with the post title for posts). Attributes:

=============  ============================================================================
``predicate``  the RDF predicate IRI (a role's own property, such as ``hk:signatory``)
``label``      what the edge says, read from source to target: a role (``"signatory"``),
               a relation (``"caused by"``, ``"responds to"``, ``"part of"``),
               ``"member of"``, ``"place"``, ``"location"``, ``"contained in"``,
               ``"parent organisation"``, ``"source"``, ``"publisher"``, ``"author"``,
               or ``"actor"`` for an actor without a role
``role``       the role label for an event -> actor edge (``"signatory"``), the post title
               for a ``member of`` edge (``"Chairman"``), else ``None``
``kind``       ``"role"``, ``"relation"``, ``"place"``, ``"membership"``, ``"organisation"``,
               ``"location"``, ``"source"``
``start``, ``end``  as for nodes: an event's edges live while the event does; other edges
               start when both their ends exist
=============  ============================================================================

Roles are collapsed: an event -> actor pair with a role gives one edge per role, labelled with
it, and no separate ``sem:hasActor`` edge. Posts are collapsed too: ``hk:holdsPost``/``hk:postIn``
become the person's ``member of`` edge with the post title as its ``role``. Literals are node
attributes, never nodes.

How it reads: with a date range, ``graph.events()`` selects the events (the event index of a
store, or SPARQL), then ``graph.fact_values()`` describes them and, one step out, the actors,
places and sources they reach, in batches; nothing else of the graph is read. Without one,
every event, actor and place is a node, also those no event reaches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg.backends.selection import date_range
from kg.network.reading import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, read, short

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends import Backend


def check_range(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """``start`` and ``end`` as ISO days (the one check of every command, a year or month
    standing for its first or last day), or a :class:`~kg.errors.UsageError` naming the option."""
    checked = date_range(start, end)
    return checked.start, checked.end


def _min(values: Iterable[str | None]) -> str | None:
    present = [v for v in values if v]
    return min(present) if present else None


def _max(values: Iterable[str | None]) -> str | None:
    present = [v for v in values if v]
    return max(present) if present else None


# ---------------------------------------------------------------------------- the projection


def project(
    graph: Backend,
    *,
    start: str | None = None,
    end: str | None = None,
    include_sources: bool = False,
    events: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The knowledge graph as a :class:`networkx.MultiDiGraph` (see the module's docs).

    ``start`` and ``end`` (``YYYY-MM-DD``, inclusive) keep the events whose begin may fall
    between them, as ``kg timeline --from/--to`` does, with the actors, places (and sources)
    they reach and the edges among those; ``events`` (IRIs) gives the selection instead.
    Without either, every event, actor and place is a node, also those no event reaches.
    ``include_sources`` adds the documents (``kind`` ``"source"``) with ``source`` edges from
    the events and actors they attest and ``publisher``/``author`` edges to actors.

    Nodes and edges are inserted in sorted order, so algorithms that depend on the order
    give the same answer every time.

    >>> import kg
    >>> G = project(kg.load(), start="2021-01-01")
    >>> sorted({k for _, k in G.nodes(data="kind")})
    ['event', 'organisation', 'person', 'place']
    """
    return _project(graph, start=start, end=end, include_sources=include_sources, events=events)


def _project(
    graph: Backend,
    *,
    start: str | None = None,
    end: str | None = None,
    include_sources: bool = False,
    events: Iterable[str] | None = None,
    roles_only: bool = False,
    bare_events: bool = False,
) -> nx.MultiDiGraph:
    """:func:`project`, or (``roles_only``) its events, actors and role edges alone; with
    ``bare_events`` too, the events of a date range have only their id, label and begin."""
    start, end = check_range(start, end)
    known = None
    if events is None and (start or end):
        known = {e.iri: e for e in graph.events(start=start, end=end)}
        events = list(known)
    selected = None if events is None else list(events)
    nodes, edges = read(graph, selected, include_sources, roles_only, known if bare_events else None)
    return _assemble(nodes, edges, start=start, end=end, include_sources=include_sources)


def _assemble(
    nodes: dict[str, dict[str, Any]],
    edges: list[tuple[str, str, dict[str, Any]]],
    *,
    start: str | None,
    end: str | None,
    include_sources: bool,
) -> nx.MultiDiGraph:
    """The networkx graph, with when each node and edge appears and disappears."""
    import networkx as nx

    for n in nodes.values():
        if n["kind"] == "event":
            n["start"], n["end"] = n["earliest_begin"], n["latest_end"]
    firsts: dict[str, list[str]] = defaultdict(list)
    for s, o, _ in edges:
        for a, b in ((s, o), (o, s)):
            if nodes[a]["kind"] == "event" and nodes[b]["kind"] != "event" and nodes[a]["start"]:
                firsts[b].append(nodes[a]["start"])
    for i, n in nodes.items():
        if n["kind"] == "source":
            n["start"] = n["earliest_begin"] or _min(firsts[i])
        elif n["kind"] != "event":
            n["start"] = _min(firsts[i])
    while True:  # nodes no event reaches take their neighbours' earliest start, step by step
        found: dict[str, str] = {}
        for s, o, _d in edges:
            for a, b in ((s, o), (o, s)):
                if nodes[a]["start"] is None and nodes[a]["kind"] != "event" and nodes[b]["start"]:
                    found[a] = min(found.get(a, nodes[b]["start"]), nodes[b]["start"])
        if not found:
            break
        for a, first in found.items():
            nodes[a]["start"] = first
    for s, o, d in edges:
        ev = [nodes[x] for x in (s, o) if nodes[x]["kind"] == "event"]
        if len(ev) == 1:
            d["start"], d["end"] = ev[0]["start"], ev[0]["end"]
        else:  # between two events, or between actors, places and sources
            d["start"], d["end"] = _max(nodes[x]["start"] for x in (s, o)), None

    G = nx.MultiDiGraph(name="hk-timeline-kg", start=start, end=end, include_sources=include_sources)
    G.add_nodes_from((iri, {k: nodes[iri][k] for k in NODE_ATTRIBUTES}) for iri in sorted(nodes))
    G.add_edges_from(
        (s, o, _key(d), {k: d.get(k) for k in EDGE_ATTRIBUTES})
        for s, o, d in sorted(edges, key=lambda e: (e[0], e[1], e[2]["predicate"], e[2]["role"] or ""))
    )
    return G


def _key(edge: dict[str, Any]) -> str:
    """An edge's key: its predicate, shortened, with the post title of a membership."""
    title = edge["role"] if edge["kind"] == "membership" and edge["role"] else None
    return short(edge["predicate"]) + (f"#{title}" if title else "")


def from_triples(
    triples: Iterable[Any], *, start: str | None = None, end: str | None = None, include_sources: bool = False
) -> nx.MultiDiGraph:
    """The projection of a set of triples, such as the result of a SPARQL ``CONSTRUCT``.

    The triples are put in a fresh store with the project's ontology (for the role and
    relation labels) and projected as :func:`project` does. Keep the ``rdf:type`` triples in
    the ``CONSTRUCT`` so that nodes get their kind; untyped ends are guessed from the edge.

    >>> import kg
    >>> g = kg.load()
    >>> t = g.query('''CONSTRUCT { ?e a sem:Event ; rdfs:label ?l ; hk:signatory ?a . ?a a sem:Actor }
    ...                WHERE { ?e hk:signatory ?a ; rdfs:label ?l }''')
    >>> G = from_triples(t)
    >>> sum(1 for *_, d in G.edges(data=True) if d["label"] == "signatory") > 80
    True
    """
    import pyoxigraph as ox

    from kg import paths
    from kg.backends.memory import MemoryBackend

    store = ox.Store()
    store.load(path=str(paths.schema_dir() / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return project(MemoryBackend(store, label="triples"), start=start, end=end, include_sources=include_sources)
