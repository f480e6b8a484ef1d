"""The graph as a network: a networkx projection of the RDF, and the measures researchers use.

:func:`project` turns the knowledge graph into a :class:`networkx.MultiDiGraph` of events,
actors and places (and sources, if asked); :func:`co_participation` gives the actor network
(actors linked when they take part in the same event). The measures (:func:`centrality`,
:func:`components`, :func:`communities`, :func:`path`, :func:`stats`) return plain data:
lists of dicts that the CLI prints as tables, CSV or JSON, and that :func:`to_dataframe` turns
into pandas DataFrames (``pip install hk-timeline-kg[analysis]``).

The projection
--------------

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

>>> import kg
>>> from kg.network import project
>>> G = project(kg.load())
>>> G.nodes["https://w3id.org/hk-timeline-kg/id/actor/li-zhanshu"]["kind"]
'person'
>>> letter = "https://w3id.org/hk-timeline-kg/id/event/open-letter-to-li-zhanshu"
>>> sorted({d["label"] for _, _, d in G.out_edges(letter, data=True)})
['addressee', 'responds to', 'signatory']
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg.errors import NotFound, UsageError
from kg.namespaces import HK, ID, PROV, SCHEMA, SEM, shorten

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends.memory import KnowledgeGraph

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
#: The node kinds, in the order the tables list them.
KINDS = ("event", "person", "organisation", "place", "source")
#: The centrality measures of :func:`centrality`.
MEASURES = ("degree", "betweenness", "eigenvector", "pagerank")

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

_Q_NODES = """
SELECT ?node ?kind ?label ?title ?type ?typeLabel ?edtf ?precision ?eb ?lb ?ee ?le
       (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes) WHERE {
  {
    ?node a sem:Event . BIND("event" AS ?kind)
    OPTIONAL { ?node sem:eventType ?type OPTIONAL { ?type skos:prefLabel ?typeLabel } }
  } UNION {
    ?node a sem:Actor .
    BIND(IF(EXISTS { ?node a schema:Person }, "person", "organisation") AS ?kind)
  } UNION {
    ?node a sem:Place . BIND("place" AS ?kind)
  } UNION {
    ?node a prov:Entity . BIND("source" AS ?kind)
    FILTER NOT EXISTS { ?node a schema:Claim }
    OPTIONAL { ?node dcterms:title ?title }
  }
  ?node a ?class .
  OPTIONAL { ?node rdfs:label ?label }
  OPTIONAL { ?node hk:edtf ?edtf }
  OPTIONAL { ?node hk:datePrecision ?precision }
  OPTIONAL { ?node sem:hasEarliestBeginTimeStamp ?eb }
  OPTIONAL { ?node sem:hasLatestBeginTimeStamp ?lb }
  OPTIONAL { ?node sem:hasEarliestEndTimeStamp ?ee }
  OPTIONAL { ?node sem:hasLatestEndTimeStamp ?le }
}
GROUP BY ?node ?kind ?label ?title ?type ?typeLabel ?edtf ?precision ?eb ?lb ?ee ?le
"""
_Q_EDGES = """
SELECT ?s ?p ?o ?label ?isRole WHERE {
  {
    VALUES ?p { %(predicates)s }
    ?s ?p ?o .
    BIND(false AS ?isRole)
  } UNION {
    ?p rdfs:subPropertyOf hk:role .
    ?s ?p ?o .
    BIND(true AS ?isRole)
  }
  FILTER(isIRI(?o))
  OPTIONAL { ?p rdfs:label ?label }
}
"""
_Q_POSTS = """
SELECT ?person ?org ?title WHERE {
  ?person hk:holdsPost ?post . ?post hk:postIn ?org .
  OPTIONAL { ?post schema:roleName ?title }
}
"""


# ---------------------------------------------------------------------------- the projection


def _local(iri: str) -> str:
    return iri[len(ID) :].split("/", 1)[-1] if iri.startswith(ID) else iri


def _main_class(kind: str, classes: list[str]) -> str:
    if kind == "event":
        return "sem:Event"
    if kind == "person":
        return "schema:Person"
    if kind == "organisation":
        return "schema:Organization"
    if kind == "place":
        return "sem:Place"
    specific = sorted(c for c in classes if c.startswith("schema:") and c != "schema:CreativeWork")
    return specific[0] if specific else "schema:CreativeWork"


def _empty_node(iri: str, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = dict.fromkeys(NODE_ATTRIBUTES)
    data.update(iri=iri, id=_local(iri), label=_local(iri), kind=kind, classes=[])
    data["class"] = _main_class(kind, [])
    return data


def _check_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(f"--{name} expects a date YYYY-MM-DD, got {value!r}") from None


def _min(values: Iterable[str | None]) -> str | None:
    present = [v for v in values if v]
    return min(present) if present else None


def _max(values: Iterable[str | None]) -> str | None:
    present = [v for v in values if v]
    return max(present) if present else None


def project(
    graph: KnowledgeGraph,
    *,
    start: str | None = None,
    end: str | None = None,
    include_sources: bool = False,
) -> nx.MultiDiGraph:
    """The knowledge graph as a :class:`networkx.MultiDiGraph` (see the module's docs).

    ``start`` and ``end`` (``YYYY-MM-DD``, inclusive) keep the events whose begin may fall
    between them, as ``kg timeline --from/--to`` does, with the actors, places (and sources)
    they reach and the edges among those. Without them every event, actor and place is a
    node, also those no event reaches. ``include_sources`` adds the documents (``kind``
    ``"source"``) with ``source`` edges from the events and actors they attest and
    ``publisher``/``author`` edges to actors.

    Nodes and edges are inserted in sorted order, so algorithms that depend on the order
    give the same answer every time.

    >>> import kg
    >>> G = project(kg.load(), start="2021-01-01")
    >>> sorted({k for _, k in G.nodes(data="kind")})
    ['event', 'organisation', 'person', 'place']
    """
    start, end = _check_date(start, "from"), _check_date(end, "to")
    nodes: dict[str, dict[str, Any]] = {}
    for row in graph.select(_Q_NODES):
        kind = row["kind"]
        if kind == "source" and not include_sources:
            continue
        iri = row["node"]
        classes = sorted(shorten(c) for c in (row["classes"] or "").split())
        data = _empty_node(iri, kind)
        data.update(
            label=row["title"] or row["label"] or data["label"],
            classes=classes,
            type=(row["typeLabel"] or _local(row["type"])) if row["type"] else None,
            edtf=row["edtf"],
            precision=row["precision"],
            earliest_begin=row["eb"],
            latest_begin=row["lb"],
            earliest_end=row["ee"],
            latest_end=row["le"],
        )
        data["class"] = _main_class(kind, classes)
        nodes[iri] = data
    return _assemble(graph, nodes, start=start, end=end, include_sources=include_sources)


def _edges(graph: KnowledgeGraph, include_sources: bool) -> list[tuple[str, str, dict[str, Any]]]:
    """Every edge of the projection, roles and posts collapsed, before any date filter."""
    predicates = [*_LABELS, *_RELATIONS]
    if not include_sources:
        predicates = [p for p in predicates if p not in _SOURCE_PREDICATES]
    rows = graph.select(_Q_EDGES % {"predicates": " ".join(f"<{p}>" for p in predicates)})
    with_role = {(r["s"], r["o"]) for r in rows if r["isRole"]}
    edges = []
    for r in rows:
        s, p, o = r["s"], r["p"], r["o"]
        if p == SEM + "hasActor" and (s, o) in with_role:
            continue  # the role edge says it, with the role
        if p == SCHEMA + "memberOf":
            continue  # from the posts below, with their titles
        if r["isRole"]:
            label, kind, role = r["label"] or _local(p), "role", r["label"] or _local(p)
        elif p in _LABELS:
            (label, kind), role = _LABELS[p], None
        else:
            label, kind, role = r["label"] or shorten(p), "relation", None
        edges.append((s, o, {"predicate": p, "label": label, "role": role, "kind": kind}))
    # Posts: one `member of` edge per post, titled; plain schema:memberOf where no post says more.
    titled = defaultdict(set)
    for r in graph.select(_Q_POSTS):
        titled[(r["person"], r["org"])].add(r["title"])
    for (s, o), titles in titled.items():
        for title in sorted(titles, key=lambda t: t or ""):
            edges.append(
                (s, o, {"predicate": SCHEMA + "memberOf", "label": "member of", "role": title, "kind": "membership"})
            )
    for r in rows:
        if r["p"] == SCHEMA + "memberOf" and (r["s"], r["o"]) not in titled:
            edges.append(
                (
                    r["s"],
                    r["o"],
                    {"predicate": SCHEMA + "memberOf", "label": "member of", "role": None, "kind": "membership"},
                )
            )
    return edges


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


def _assemble(
    graph: KnowledgeGraph,
    nodes: dict[str, dict[str, Any]],
    *,
    start: str | None,
    end: str | None,
    include_sources: bool,
) -> nx.MultiDiGraph:
    import networkx as nx

    # Only the documents that attest a drawn node (not those of claims, relations and posts,
    # which are no nodes of the projection).
    edges = [(s, o, d) for s, o, d in _edges(graph, include_sources) if not (d["kind"] == "source" and s not in nodes)]
    for s, o, data in edges:
        for iri, which in ((s, "s"), (o, "o")):
            if iri not in nodes:
                nodes[iri] = _empty_node(iri, _infer_kind(data, which))

    def in_range(n: dict[str, Any]) -> bool:
        eb, lb = n["earliest_begin"] or "0001-01-01", n["latest_begin"] or n["earliest_begin"] or "9999-12-31"
        return (start is None or lb >= start) and (end is None or eb <= end)

    events = {i for i, n in nodes.items() if n["kind"] == "event" and in_range(n)}
    filtered = start is not None or end is not None
    if filtered:
        event_edges = [(s, o, d) for s, o, d in edges if nodes[s]["kind"] == "event" or nodes[o]["kind"] == "event"]
        kept_edges = [e for e in event_edges if all(x in events for x in e[:2] if nodes[x]["kind"] == "event")]
        keep = set(events) | {x for e in kept_edges for x in e[:2]}
        kept_edges += [e for e in edges if e not in event_edges and e[0] in keep and e[1] in keep]
        edges = kept_edges
    else:
        keep = set(nodes)
    nodes = {i: n for i, n in nodes.items() if i in keep}

    # Dynamics: when each node and edge appears and disappears.
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
    for _ in range(len(nodes)):  # nodes no event reaches take their neighbours' earliest start
        changed = False
        for s, o, _d in edges:
            for a, b in ((s, o), (o, s)):
                if nodes[a]["start"] is None and nodes[b]["start"] is not None and nodes[a]["kind"] != "event":
                    nodes[a]["start"], changed = nodes[b]["start"], True
        if not changed:
            break
    for s, o, d in edges:
        ev = [nodes[x] for x in (s, o) if nodes[x]["kind"] == "event"]
        if len(ev) == 1:
            d["start"], d["end"] = ev[0]["start"], ev[0]["end"]
        else:  # between two events, or between actors, places and sources
            d["start"], d["end"] = _max(nodes[x]["start"] for x in (s, o)), None

    G = nx.MultiDiGraph(name="hk-timeline-kg", start=start, end=end, include_sources=include_sources)
    for iri in sorted(nodes):
        G.add_node(iri, **{k: nodes[iri][k] for k in NODE_ATTRIBUTES})
    for s, o, d in sorted(edges, key=lambda e: (e[0], e[1], e[2]["predicate"], e[2]["role"] or "")):
        key = shorten(d["predicate"]) + (f"#{d['role']}" if d["kind"] == "membership" and d["role"] else "")
        G.add_edge(s, o, key=key, **{k: d.get(k) for k in EDGE_ATTRIBUTES})
    return G


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
    >>> Counter(d["label"] for *_, d in G.edges(data=True))["signatory"] > 80
    True
    """
    import pyoxigraph as ox

    from kg import paths
    from kg.backends.memory import KnowledgeGraph

    store = ox.Store()
    store.load(path=str(paths.schema_dir() / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return project(KnowledgeGraph(store, label="triples"), start=start, end=end, include_sources=include_sources)


# ---------------------------------------------------------------------------- the actor network


def _is_actor(data: dict[str, Any]) -> bool:
    return data.get("kind") in ("person", "organisation")


def co_participation(
    graph: KnowledgeGraph | nx.MultiDiGraph, *, start: str | None = None, end: str | None = None
) -> nx.Graph:
    """Actors linked when they take part in the same event (any role).

    A :class:`networkx.Graph` whose nodes are the actors of the events in range (with the
    node attributes of :func:`project` and ``events``, the number of their events) and whose
    edges have ``weight`` (the number of shared events) and ``events`` (their ids, sorted).
    ``graph`` is the knowledge graph (then ``start``/``end`` limit the events) or an already
    made projection (then its own date range holds).

    >>> import kg
    >>> A = co_participation(kg.load())
    >>> hrw = "https://w3id.org/hk-timeline-kg/id/actor/human-rights-watch"
    >>> li = "https://w3id.org/hk-timeline-kg/id/actor/li-zhanshu"
    >>> "open-letter-to-li-zhanshu" in A.edges[hrw, li]["events"]
    True
    """
    import networkx as nx

    P = graph if isinstance(graph, nx.MultiDiGraph) else project(graph, start=start, end=end)
    A = nx.Graph(name="co-participation", start=start, end=end)
    actors_of: dict[str, set[str]] = defaultdict(set)
    for e, a, d in P.edges(data=True):
        if d["kind"] == "role" and P.nodes[e]["kind"] == "event" and _is_actor(P.nodes[a]):
            actors_of[e].add(a)
    count = Counter(a for actors in actors_of.values() for a in actors)
    for a in sorted(count):
        A.add_node(a, **{**P.nodes[a], "events": count[a]})
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in sorted(actors_of):
        members = sorted(actors_of[e])
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                shared[(a, b)].append(P.nodes[e]["id"])
    for (a, b), events in sorted(shared.items()):
        A.add_edge(a, b, weight=len(events), events=sorted(events))
    return A


# ---------------------------------------------------------------------------- measures


def _pagerank(A: nx.Graph) -> dict[str, float]:
    """PageRank in pure Python (the same numbers with or without SciPy)."""
    import networkx as nx

    try:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
    except ImportError:  # pragma: no cover - a networkx without the private function
        return nx.pagerank(A, weight="weight")
    return _pagerank_python(A, weight="weight", max_iter=1000, tol=1e-10)


def _scores(A: nx.Graph, measure: str) -> dict[str, float]:
    import networkx as nx

    if measure == "degree":
        return nx.degree_centrality(A)
    if measure == "betweenness":
        return nx.betweenness_centrality(A)
    if measure == "eigenvector":
        if A.number_of_edges() == 0:
            return dict.fromkeys(A, 0.0)
        return nx.eigenvector_centrality(A, weight="weight", max_iter=10000, tol=1e-10)
    if measure == "pagerank":
        return _pagerank(A)
    raise UsageError(f"unknown measure {measure!r}: use one of {', '.join(MEASURES)}")


def centrality(
    graph: KnowledgeGraph,
    measure: str = "degree",
    top: int | None = 10,
    start: str | None = None,
    end: str | None = None,
) -> list[dict[str, Any]]:
    """The actors ranked by a centrality measure of the co-participation network.

    ``measure`` is ``degree`` (share of the other actors one acts with), ``betweenness``
    (share of shortest paths between other actors that run through one: brokers),
    ``eigenvector`` or ``pagerank`` (both weighted by the number of shared events). Each row:
    ``rank``, ``id``, ``label``, ``kind``, ``score`` (rounded to 6 places), ``degree`` (the
    number of co-participants), ``events`` (the number of events). Ties are broken by label.

    >>> import kg
    >>> centrality(kg.load(), "betweenness", top=1)[0]["label"]
    'Li Zhanshu'
    """
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}: use one of {', '.join(MEASURES)}")
    if top is not None and top < 1:
        raise UsageError(f"--top must be at least 1, got {top}")
    A = co_participation(graph, start=start, end=end)
    scores = _scores(A, measure)
    ranked = sorted(A.nodes, key=lambda n: (-round(scores[n], 9), A.nodes[n]["label"], n))
    rows = []
    for i, n in enumerate(ranked[:top] if top else ranked, 1):
        d = A.nodes[n]
        rows.append(
            {
                "rank": i,
                "id": d["id"],
                "label": d["label"],
                "kind": d["kind"],
                "score": round(scores[n], 6) + 0.0,
                "degree": A.degree(n),
                "events": d["events"],
                "iri": n,
            }
        )
    return rows


def components(graph: KnowledgeGraph, start: str | None = None, end: str | None = None) -> list[dict[str, Any]]:
    """The connected components of the projection (directions ignored), largest first.

    Each: ``component`` (1, 2, …), ``size``, ``events``, ``actors``, ``places`` (counts),
    and ``members`` (labels, sorted).

    >>> import kg
    >>> components(kg.load())[0]["size"] > 100
    True
    """
    import networkx as nx

    P = project(graph, start=start, end=end)
    comps = [sorted(c) for c in nx.weakly_connected_components(P)]
    comps.sort(key=lambda c: (-len(c), min(P.nodes[n]["label"] for n in c)))
    out = []
    for i, comp in enumerate(comps, 1):
        kinds = Counter(P.nodes[n]["kind"] for n in comp)
        out.append(
            {
                "component": i,
                "size": len(comp),
                "events": kinds["event"],
                "actors": kinds["person"] + kinds["organisation"],
                "places": kinds["place"],
                "members": sorted(P.nodes[n]["label"] for n in comp),
            }
        )
    return out


def communities(
    graph: KnowledgeGraph,
    seed: int = 1,
    resolution: float = 1.0,
    start: str | None = None,
    end: str | None = None,
) -> list[dict[str, Any]]:
    """Groups of actors that act together: Louvain communities of the co-participation network.

    Edges are weighted by the number of shared events. The same ``seed`` gives the same
    communities. Each: ``community`` (1 = largest), ``size``, ``members`` (labels, sorted),
    ``ids``, and ``events`` (the events its members take part in, most shared first).

    >>> import kg
    >>> communities(kg.load(), seed=1) == communities(kg.load(), seed=1)
    True
    """
    import networkx as nx

    A = co_participation(graph, start=start, end=end)
    found = nx.community.louvain_communities(A, weight="weight", resolution=resolution, seed=seed)
    groups = [sorted(c, key=lambda n: (A.nodes[n]["label"], n)) for c in found]
    groups.sort(key=lambda c: (-len(c), A.nodes[c[0]]["label"]))
    P_events: dict[str, Counter] = {}
    for i, members in enumerate(groups):
        tally: Counter = Counter()
        inside = set(members)
        for a, b, d in A.edges(data=True):
            if a in inside and b in inside:
                tally.update(d["events"])
        P_events[str(i)] = tally
    out = []
    for i, members in enumerate(groups):
        tally = P_events[str(i)]
        out.append(
            {
                "community": i + 1,
                "size": len(members),
                "members": [A.nodes[n]["label"] for n in members],
                "ids": [A.nodes[n]["id"] for n in members],
                "events": [e for e, _ in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))],
            }
        )
    return out


# ---------------------------------------------------------------------------- paths


def _resolve(graph: KnowledgeGraph, name: str) -> str:
    from kg.explore.lookup import find

    hits = find(graph, name, kinds=("actor", "event", "place"))
    if len(hits) > 1:
        raise UsageError(f"{name!r} names {len(hits)} resources ({', '.join(_local(h) for h in hits)}): give an id")
    return hits[0]


def _hop(P: nx.MultiDiGraph, x: str, y: str) -> dict[str, Any]:
    """One step of a path, from ``x`` to ``y``, with every edge between them explained."""
    lx, ly = P.nodes[x]["label"], P.nodes[y]["label"]
    edges = []
    for s, o in ((x, y), (y, x)):
        for _, d in sorted((P.get_edge_data(s, o) or {}).items()):
            edges.append({**d, "source": s, "target": o})
    texts, explained = [], []
    for d in edges:
        phrase = d["label"]
        if d["kind"] == "membership" and d["role"]:
            phrase = f"member of ({d['role']})"
        if d["kind"] == "role":
            phrase += " of"  # read from the actor to the event
            reads_forward = d["target"] == x  # the actor is where we stand
        else:
            reads_forward = d["source"] == x
        texts.append(f"{lx} —{phrase}→ {ly}" if reads_forward else f"{lx} ←{phrase}— {ly}")
        explained.append(
            {
                "predicate": d["predicate"],
                "label": d["label"],
                "role": d["role"],
                "source": d["source"],
                "target": d["target"],
                "direction": "forward" if d["source"] == x else "backward",
            }
        )
    return {
        "from": P.nodes[x]["id"],
        "from_label": lx,
        "from_kind": P.nodes[x]["kind"],
        "to": P.nodes[y]["id"],
        "to_label": ly,
        "to_kind": P.nodes[y]["kind"],
        "edges": explained,
        "text": "; ".join(texts),
    }


def paths(
    graph: KnowledgeGraph,
    a: str,
    b: str,
    *,
    limit: int = 5,
    start: str | None = None,
    end: str | None = None,
    through: Iterable[str] = ("event", "person", "organisation"),
) -> list[list[dict[str, Any]]]:
    """The shortest connections between two actors (or events, or places), hop by hop.

    ``a`` and ``b`` are ids, labels or alternative names (any case). The projection is
    searched as an undirected graph, through nodes of the kinds in ``through`` (by default
    events and actors: a shared place such as "Hong Kong" is not a connection); each hop
    is explained in the true direction of its edges, e.g.
    ``"Human Rights Watch —signatory of→ Open letter …"``. At most ``limit`` paths, in a
    stable order. Each path is a list of hops: ``from``, ``from_label``, ``to``, ``to_label``,
    ``edges`` (``predicate``, ``label``, ``role``, ``direction``) and ``text``.
    Raises :class:`~kg.errors.NotFound` when a name is unknown or nothing connects them.

    >>> import kg
    >>> [h["text"] for h in paths(kg.load(), "HRW", "Li Zhanshu")[0]][:1]  # doctest: +ELLIPSIS
    ['Human Rights Watch —signatory of→ ...']
    """
    import networkx as nx

    source, target = _resolve(graph, a), _resolve(graph, b)
    P = project(graph, start=start, end=end)
    for name, iri in ((a, source), (b, target)):
        if iri not in P:
            raise NotFound(f"{name!r} takes part in no event between {start or 'the beginning'} and {end or 'the end'}")
    allowed = set(through) | {P.nodes[source]["kind"], P.nodes[target]["kind"]}
    U = nx.Graph()
    U.add_nodes_from(n for n in P if P.nodes[n]["kind"] in allowed)
    U.add_edges_from(sorted((s, o) for s, o in P.edges() if s in U and o in U and s != o))
    if source == target:
        return [[]]
    try:
        found = []
        for p in nx.all_shortest_paths(U, source, target):
            found.append(p)
            if len(found) >= max(limit, 1) * 20:
                break
    except nx.NetworkXNoPath:
        raise NotFound(f"nothing connects {P.nodes[source]['label']!r} and {P.nodes[target]['label']!r}") from None
    found.sort(key=lambda p: [P.nodes[n]["label"] for n in p])
    return [[_hop(P, x, y) for x, y in zip(p, p[1:], strict=False)] for p in found[: max(limit, 1)]]


def path(graph: KnowledgeGraph, a: str, b: str, **kwargs: Any) -> list[dict[str, Any]]:
    """The first of :func:`paths`: one shortest connection, hop by hop.

    >>> import kg
    >>> len(path(kg.load(), "Human Rights Watch", "Li Zhanshu"))
    2
    """
    return paths(graph, a, b, limit=1, **kwargs)[0]


# ---------------------------------------------------------------------------- summary


def stats(graph: KnowledgeGraph, start: str | None = None, end: str | None = None) -> dict[str, Any]:
    """Size and shape of the projection and of the actor network.

    ``nodes``, ``edges``, ``components`` (connected, directions ignored), ``largest_component``,
    ``density`` (of the undirected simple graph), ``by_kind``, ``by_class`` and ``by_edge``
    (counts), and ``actors``: the same figures for :func:`co_participation`.

    >>> import kg
    >>> s = stats(kg.load())
    >>> s["by_kind"]["event"] == 33
    True
    """
    import networkx as nx

    P = project(graph, start=start, end=end)
    U = nx.Graph(P.to_undirected())
    comps = list(nx.connected_components(U)) if len(U) else []
    A = co_participation(P)
    acomps = list(nx.connected_components(A)) if len(A) else []
    return {
        "from": start,
        "to": end,
        "nodes": P.number_of_nodes(),
        "edges": P.number_of_edges(),
        "components": len(comps),
        "largest_component": max((len(c) for c in comps), default=0),
        "density": round(nx.density(U), 6) if len(U) > 1 else 0.0,
        "by_kind": {k: v for k in KINDS if (v := sum(1 for _, x in P.nodes(data="kind") if x == k))},
        "by_class": dict(sorted(Counter(c for _, d in P.nodes(data=True) for c in d["classes"]).items())),
        "by_edge": dict(sorted(Counter(d["label"] for *_, d in P.edges(data=True)).items())),
        "actors": {
            "nodes": A.number_of_nodes(),
            "edges": A.number_of_edges(),
            "components": len(acomps),
            "largest_component": max((len(c) for c in acomps), default=0),
            "density": round(nx.density(A), 6) if len(A) > 1 else 0.0,
        },
    }


# ---------------------------------------------------------------------------- pandas


def to_dataframe(rows: list[dict[str, Any]] | nx.Graph, what: str = "nodes") -> Any:
    """A pandas DataFrame of rows from the functions above, or of a graph's nodes or edges.

    Needs pandas (``pip install hk-timeline-kg[analysis]``).

    >>> import kg
    >>> df = to_dataframe(centrality(kg.load(), "betweenness"))  # doctest: +SKIP
    >>> df.columns[:3].tolist()  # doctest: +SKIP
    ['rank', 'id', 'label']
    """
    try:
        import pandas as pd
    except ImportError:
        raise UsageError("pandas is not installed: pip install 'hk-timeline-kg[analysis]'") from None
    if isinstance(rows, list):
        return pd.DataFrame(rows)
    if what == "nodes":
        return pd.DataFrame([{"node": n, **d} for n, d in rows.nodes(data=True)])
    if what == "edges":
        if rows.is_multigraph():
            return pd.DataFrame(
                [{"source": s, "target": o, "key": k, **d} for s, o, k, d in rows.edges(keys=True, data=True)]
            )
        return pd.DataFrame([{"source": s, "target": o, **d} for s, o, d in rows.edges(data=True)])
    raise UsageError(f"what must be 'nodes' or 'edges', got {what!r}")
