"""The figures of :func:`kg.network.stats` for a whole graph, computed without building it.

A million events make a projection of millions of edges, too big for networkx to hold in
seconds. The same figures need only who is linked to whom. Roles and places, the bulk of the
edges, come as integers from a store's event index when it holds every event's links
(:meth:`~kg.backends.event_index.EventIndex.links`): Oxigraph takes tens of microseconds to
turn a stored IRI into a string on a store of a million events, so millions of links read by
SPARQL take minutes. Elsewhere they come as one string of subjects per (predicate, object)
pair (``GROUP_CONCAT``), their subjects taken as events as CONTRACT.md says. The few other
links come row by row with the kinds of their ends. NumPy makes the pairs and SciPy finds the
components. The rules are those of :mod:`kg.network.reading` (roles collapsed, posts as
titled memberships, untyped ends kept with the kind their edge implies); the tests check
that both give the same figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kg.namespaces import SCHEMA, SEM, shorten
from kg.network.actors import NO_ROLE, Roles
from kg.network.reading import _HOLDS_POST, _LABELS, _SOURCE_PREDICATES, KINDS, _Reader

if TYPE_CHECKING:
    import numpy as np

    from kg.backends import Backend
    from kg.backends.event_index import EventIndex

# Counts without FILTER, which Oxigraph answers from its indexes (a FILTER makes it decode
# every row: 20 s instead of 0.5 s for a million events).
_Q_EVENTS = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a sem:Event }"
_Q_ACTORS = "SELECT (COUNT(*) AS ?n) WHERE { ?s sem:hasActor ?o }"
_Q_OTHERS = """SELECT ?c (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR=" ") AS ?nodes) WHERE {
  VALUES ?c { sem:Actor sem:Place schema:Person } ?n a ?c FILTER(isIRI(?n)) FILTER NOT EXISTS { ?n a sem:Event }
} GROUP BY ?c"""
# Subqueries make Oxigraph join the nodes with every rdf:type by hashing (7 s of CPU at a
# million events), rather than by a lookup per node and UNION branch (57 s).
_Q_CLASSES = """SELECT ?class (COUNT(*) AS ?count) WHERE {
  { SELECT DISTINCT ?n WHERE { VALUES ?k { sem:Event sem:Actor sem:Place } ?n a ?k } }
  { SELECT ?n ?class WHERE { ?n a ?class } }
} GROUP BY ?class"""
_Q_BULK = """SELECT ?o (GROUP_CONCAT(STR(?s); SEPARATOR=" ") AS ?subjects)
WHERE { ?s <%s> ?o FILTER(isIRI(?o)) } GROUP BY ?o"""
_Q_PLAIN = """SELECT ?o (GROUP_CONCAT(STR(?s); SEPARATOR=" ") AS ?subjects)
WHERE { ?s sem:hasActor ?o FILTER(isIRI(?o)) MINUS { ?s ?r ?o . ?r rdfs:subPropertyOf hk:role } } GROUP BY ?o"""
_Q_LINKS = """SELECT ?p ?s ?o ?event WHERE {
  VALUES ?p { %s } ?s ?p ?o FILTER(isIRI(?o))
  FILTER EXISTS { VALUES ?k { sem:Event sem:Actor sem:Place } ?s a ?k }
  BIND(EXISTS { ?o a sem:Event } AS ?event)
}"""
_Q_POSTS = """SELECT DISTINCT ?person ?org ?title WHERE {
  ?person hk:holdsPost ?post . ?post hk:postIn ?org FILTER(isIRI(?org))
  FILTER EXISTS { VALUES ?k { sem:Event sem:Actor sem:Place } ?person a ?k }
  OPTIONAL { ?post schema:roleName ?t } BIND(COALESCE(STR(?t), "") AS ?title)
}"""
#: Events whose links one read of the event index takes.
_PIECE = 50_000
_INFERRED = {"role": "organisation", "membership": "organisation", "organisation": "organisation"}
_INFERRED |= {"place": "place", "location": "place", "relation": "event"}


class _Edges:
    """Nodes numbered as they come, and edges as integer arrays: subject, object, label number."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.kind_of: list[str | None] = []
        self.subjects: list[np.ndarray] = []
        self.objects: list[np.ndarray] = []
        self.numbers: list[np.ndarray] = []
        self.labels: list[str] = []
        self.kinds: list[str] = []
        self.events = 0  # typed events numbered so far
        self.index_base = 0  # an indexed event's number is this plus its id in the index

    def node(self, iri: str, kind: str | None = None) -> int:
        found = self.ids.get(iri)
        if found is None:
            found = self.ids[iri] = len(self.kind_of)
            self.kind_of.append(kind)
            self.events += kind == "event"
        return found

    def unnamed_events(self, count: int) -> int:
        """Number ``count`` events known by their place in an event index alone: the first's number."""
        first = len(self.kind_of)
        self.kind_of.extend(["event"] * count)
        self.events += count
        return first

    def add(self, subjects: list[int] | np.ndarray, o: int | list[int] | np.ndarray, label: str, kind: str) -> None:
        """Edges from each of ``subjects`` to ``o`` (one node, or one per subject)."""
        import numpy as np

        if label not in self.labels:
            self.labels.append(label)
            self.kinds.append(kind)
        s = np.asarray(subjects, dtype=np.int64)
        ends = np.full(len(s), o, dtype=np.int64) if np.ndim(o) == 0 else np.asarray(o, dtype=np.int64)
        self.subjects.append(s)
        self.objects.append(ends)
        self.numbers.append(np.full(len(s), self.labels.index(label), dtype=np.int64))
        for end in _distinct(ends).tolist():
            if self.kind_of[end] is None:  # an untyped end: the kind its edge implies
                self.kind_of[end] = _INFERRED[kind]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        import numpy as np

        empty = [np.zeros(0, dtype=np.int64)]
        return tuple(np.concatenate(empty + parts) for parts in (self.subjects, self.objects, self.numbers))  # type: ignore[return-value]


def _indexed(graph: Backend, predicates: list[str], events: int) -> EventIndex | None:
    """The graph's event index if it holds the links by ``predicates`` of each of its
    ``events`` (the number typed ``sem:Event``): one written by an older ``kg``, or missing
    undated events, does not."""
    index = getattr(graph, "event_index", None)
    if index is None or not getattr(index, "describes", False) or index.summary()["undated"]:
        return None
    if not set(predicates) <= set(index.predicates()):
        return None
    return index if events == len(index) else None


def _from_index(index: EventIndex, edges: _Edges, bulk: dict[str, tuple[str, str]]) -> None:
    """Role, place and ``sem:hasActor`` links of every event, as integers from the event index."""
    import numpy as np

    first = edges.index_base = edges.unnamed_events(len(index)) - 1  # index ids run from 1
    texts = index.link_columns([*bulk, SEM + "hasActor"])
    links: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for p in list(texts):  # (event id, node id) pairs, each text dropped once read
        pairs = np.fromstring(texts.pop(p), dtype=np.int64, sep=",").reshape(-1, 2)
        links[p] = pairs[:, 0] + first, pairs[:, 1]
    named = _distinct(np.concatenate([np.zeros(0, dtype=np.int64), *(n for _, n in links.values())]))
    iris = index.nodes(named.tolist())
    events = index.event_ids(iri for iri, _ in iris.values())  # an event as the object of a role
    number = np.array(
        [first + events[iris[n][0]] if iris[n][0] in events else edges.node(iris[n][0]) for n in named.tolist()],
        dtype=np.int64,
    )
    table = np.zeros(int(named[-1]) + 1 if len(named) else 0, dtype=np.int64)
    table[named] = number
    with_role = [np.zeros(0, dtype=np.int64)]
    for predicate, (label, kind) in sorted(bulk.items()):
        if predicate in links:
            s_arr, o_arr = links.pop(predicate)
            o_arr = table[o_arr]
            edges.add(s_arr, o_arr, label, kind)
            if kind == "role":
                with_role.append(s_arr << 32 | o_arr)
    if SEM + "hasActor" in links:  # one row per (event, actor): the index's key
        s_arr, o_arr = links.pop(SEM + "hasActor")
        lonely = np.setdiff1d(s_arr << 32 | table[o_arr], _distinct(np.concatenate(with_role)), assume_unique=True)
        if len(lonely):
            edges.add(lonely >> 32, lonely & 0xFFFFFFFF, NO_ROLE, "role")


def _namer(edges: _Edges, index: EventIndex | None, iris: list[str]) -> Callable[[str, str | None], int]:
    """Numbers the ends of the few other links: an event of the index by its place in it."""
    events = index.event_ids({i for i in iris if i not in edges.ids}) if index is not None else {}

    def number(iri: str, kind: str | None) -> int:
        if iri in events and iri not in edges.ids:
            return edges.index_base + events[iri]
        return edges.node(iri, kind)

    return number


def _from_sparql(graph: Backend, edges: _Edges, bulk: dict[str, tuple[str, str]]) -> None:
    """Role and place links by ``GROUP_CONCAT``, and ``sem:hasActor`` without a role."""
    for p, (label, kind) in sorted(bulk.items()):
        for r in graph.select(_Q_BULK % p):
            o = edges.node(r["o"])
            edges.add([edges.node(s, "event") for s in r["subjects"].split(" ")], o, label, kind)
    # Actors without a role: CONTRACT.md states sem:hasActor beside every role, so only when
    # there are more sem:hasActor links than actor-role pairs can some be without a role.
    s_arr, o_arr, _ = edges.arrays()
    if int(graph.select(_Q_ACTORS)[0]["n"]) > len(_pairs(s_arr, o_arr, ordered=True)):
        for r in graph.select(_Q_PLAIN):
            o = edges.node(r["o"])
            edges.add([edges.node(s, "event") for s in r["subjects"].split(" ")], o, NO_ROLE, "role")


def _components(n: int, a: np.ndarray, b: np.ndarray) -> tuple[int, int]:
    """How many connected components ``n`` nodes with edges ``a[i]``-``b[i]`` make, and the largest."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if n == 0:
        return 0, 0
    matrix = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    count, labels = connected_components(matrix, directed=False)
    return int(count), int(np.bincount(labels).max())


def _pairs(a: np.ndarray, b: np.ndarray, *, ordered: bool) -> np.ndarray:
    """The distinct pairs of two integer arrays, as one int64 code each (``a << 32 | b``)."""
    import numpy as np

    if not ordered:
        a, b = np.minimum(a, b), np.maximum(a, b)
    return _distinct(a.astype(np.int64) << 32 | b.astype(np.int64))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (by a sort: NumPy 2's hashing ``unique`` is several times
    slower on millions of integers)."""
    import numpy as np

    ordered = np.sort(values, kind="stable")
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def whole_stats(graph: Backend, roles: Roles) -> dict[str, Any]:
    """The projection's and the actor network's figures of :func:`kg.network.stats` (no date range)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # the engine counts classes while the links are read
        classes = pool.submit(graph.select, _Q_CLASSES)
        figures = _figures(graph, roles)
        by_class = {shorten(r["class"]): int(r["count"]) for r in classes.result()}
    figures["by_class"] = dict(sorted(by_class.items()))  # in its place, after by_kind
    return figures


def _figures(graph: Backend, roles: Roles) -> dict[str, Any]:
    """:func:`whole_stats` but ``by_class`` (left ``None``)."""
    import numpy as np

    reader = _Reader(graph, include_sources=False)
    edges = _Edges()
    listed = {r["c"]: r["nodes"].split(" ") for r in graph.select(_Q_OTHERS) if r["nodes"]}
    persons = set(listed.get(SCHEMA + "Person", []))
    for iri in listed.get(SEM + "Actor", []):
        edges.node(iri, "person" if iri in persons else "organisation")
    for iri in listed.get(SEM + "Place", []):
        edges.node(iri, "place")
    bulk = {**{p: (label, "role") for p, label in reader.roles.items()}, SEM + "hasPlace": _LABELS[SEM + "hasPlace"]}
    events = int(graph.select(_Q_EVENTS)[0]["n"])
    index = _indexed(graph, [*bulk, SEM + "hasActor"], events)
    if index is not None:
        _from_index(index, edges, bulk)
    else:
        _from_sparql(graph, edges, bulk)
    small = sorted(reader.edge_predicates - set(bulk) - {SEM + "hasActor", _HOLDS_POST, *_SOURCE_PREDICATES})
    links = graph.select(_Q_LINKS % " ".join(f"<{p}>" for p in small))
    posts = graph.select(_Q_POSTS)
    node = _namer(edges, index, [r["s"] for r in links] + [r["o"] for r in links] + [r["person"] for r in posts])
    memberships: dict[tuple[int, int], set[str | None]] = defaultdict(set)
    grouped: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for r in links:
        s, o = node(r["s"], "event"), node(r["o"], "event" if r["event"] else None)
        if r["p"] == SCHEMA + "memberOf":
            memberships[(s, o)].add(None)
        elif r["p"] in reader.relations:
            grouped[(reader.relations[r["p"]], "relation")].append((s, o))
        else:
            grouped[_LABELS[r["p"]]].append((s, o))
    titled: dict[tuple[int, int], set[str | None]] = defaultdict(set)
    for r in posts:
        titled[(node(r["person"], "event"), node(r["org"], None))].add(r["title"])
    for pair, titles in (titled | {k: v for k, v in memberships.items() if k not in titled}).items():
        grouped[("member of", "membership")] += [pair] * len(titles)
    for (label, kind), pairs in grouped.items():
        edges.add([s for s, _ in pairs], [o for _, o in pairs], label, kind)

    seen = edges.events
    s_arr, o_arr, l_arr = edges.arrays()
    n = len(edges.kind_of) + events - seen  # events that no edge reaches are nodes of their own
    count, largest = _components(len(edges.kind_of), s_arr, o_arr)
    by_kind = Counter(edges.kind_of) + Counter({"event": events - seen})
    per_label = np.bincount(l_arr, minlength=len(edges.labels))
    return {
        "nodes": n,
        "edges": len(s_arr),
        "linked_pairs": len(_pairs(s_arr, o_arr, ordered=True)),
        "components": count + events - seen,
        "largest_component": max(largest, 1 if events > seen else 0),
        "density": round(len(_pairs(s_arr, o_arr, ordered=False)) / (n * (n - 1) / 2), 6) if n > 1 else 0.0,
        "by_kind": {k: by_kind[k] for k in KINDS if by_kind[k]},
        "by_class": None,
        "by_edge": {label: int(c) for label, c in sorted(zip(edges.labels, per_label, strict=True)) if c},
        "actors": _actor_figures(edges, s_arr, o_arr, l_arr, roles),
    }


def _actor_figures(
    edges: _Edges, s_arr: np.ndarray, o_arr: np.ndarray, l_arr: np.ndarray, roles: Roles
) -> dict[str, Any]:
    """Nodes, edges, components and density of the co-participation network."""
    import numpy as np

    named = zip(edges.labels, edges.kinds, strict=True)
    allowed = np.array([k == "role" and roles.allows(label) for label, k in named], dtype=bool)
    actor = np.array([k in ("person", "organisation") for k in edges.kind_of], dtype=bool)
    event = np.array([k == "event" for k in edges.kind_of], dtype=bool)
    keep = allowed[l_arr] & actor[o_arr] & event[s_arr] if len(l_arr) else np.zeros(0, dtype=bool)
    codes = _pairs(s_arr[keep], o_arr[keep], ordered=True)  # distinct (event, actor), sorted by event
    events, actors = codes >> 32, codes & 0xFFFFFFFF
    numbered = _distinct(actors)
    mapped = np.searchsorted(numbered, actors)
    starts = np.flatnonzero(np.r_[True, np.diff(events) != 0]) if len(events) else np.zeros(0, np.int64)
    sizes = np.diff(np.r_[starts, len(events)])
    left, right = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for k in np.unique(sizes[sizes > 1]).tolist():  # all events of k actors at once
        members = mapped[starts[sizes == k][:, None] + np.arange(k)]
        i, j = np.triu_indices(k, 1)
        left.append(members[:, i].ravel())
        right.append(members[:, j].ravel())
    ties = _pairs(np.concatenate(left), np.concatenate(right), ordered=False)
    n = len(numbered)
    count, largest = _components(n, ties >> 32, ties & 0xFFFFFFFF)
    return {
        "nodes": n,
        "edges": len(ties),
        "components": count,
        "largest_component": largest,
        "density": round(2 * len(ties) / (n * (n - 1)), 6) if n > 1 else 0.0,
    }
