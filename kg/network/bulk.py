"""The figures of :func:`kg.network.stats` for a whole graph, computed without building it.

A million events make a projection of millions of edges, too big for networkx to hold in
seconds. The same figures need only who is linked to whom: the engine groups the subjects of
each (predicate, object) pair into one string (``GROUP_CONCAT``), Python numbers the nodes
and SciPy finds the components of integer arrays. The rules are those of
:mod:`kg.network.reading` (roles collapsed, posts as titled memberships, untyped ends kept
with the kind their edge implies), and the tests check both give the same figures.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from kg.namespaces import SCHEMA, SEM, shorten
from kg.network.actors import NO_ROLE, Roles
from kg.network.reading import _HOLDS_POST, _LABELS, _SOURCE_PREDICATES, KINDS, _Reader

if TYPE_CHECKING:
    import numpy as np

    from kg.backends.memory import KnowledgeGraph

_Q_NODES = """SELECT ?c (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR=" ") AS ?nodes)
WHERE { VALUES ?c { sem:Event sem:Actor sem:Place schema:Person } ?n a ?c FILTER(isIRI(?n)) } GROUP BY ?c"""
_Q_CLASSES = """SELECT ?class (COUNT(DISTINCT ?n) AS ?count)
WHERE { VALUES ?c { sem:Event sem:Actor sem:Place } ?n a ?c ; a ?class FILTER(isIRI(?n)) } GROUP BY ?class"""
_Q_EDGES = """SELECT ?p ?o (GROUP_CONCAT(DISTINCT STR(?s); SEPARATOR=" ") AS ?subjects)
WHERE { VALUES ?p { %s } ?s ?p ?o FILTER(isIRI(?o) && isIRI(?s)) } GROUP BY ?p ?o"""
_Q_POSTS = """SELECT DISTINCT ?person ?org ?title
WHERE { ?person hk:holdsPost ?post . ?post hk:postIn ?org FILTER(isIRI(?org)) OPTIONAL { ?post schema:roleName ?t }
        BIND(COALESCE(STR(?t), "") AS ?title) }"""
_INFERRED = {"role": "organisation", "membership": "organisation", "organisation": "organisation"}
_INFERRED |= {"place": "place", "location": "place", "relation": "event"}


class _Numbers(dict):
    """IRI -> consecutive integer, growing as new IRIs come."""

    def of(self, iri: str) -> int:
        found = self.get(iri)
        if found is None:
            found = self[iri] = len(self)
        return found


class _Edges:
    """Edges as compact integer arrays: subject, object and the number of their label."""

    def __init__(self) -> None:
        self.subjects, self.objects, self.numbers = array("q"), array("q"), array("q")
        self.labels: list[str] = []
        self.kinds: list[str] = []

    def add(self, subjects: list[int], o: int, label: str, kind: str) -> None:
        if label not in self.labels:
            self.labels.append(label)
            self.kinds.append(kind)
        self.subjects.extend(subjects)
        self.objects.extend([o] * len(subjects))
        self.numbers.extend([self.labels.index(label)] * len(subjects))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        import numpy as np

        return (np.frombuffer(a, dtype=np.int64) for a in (self.subjects, self.objects, self.numbers))  # type: ignore[return-value]

    def codes(self) -> np.ndarray:
        """``subject << 32 | object`` of every edge so far."""
        s, o, _ = self.arrays()
        return s << 32 | o


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
    """The distinct pairs of two integer arrays, as one int64 code each."""
    import numpy as np

    if not ordered:
        a, b = np.minimum(a, b), np.maximum(a, b)
    return np.unique(a.astype(np.int64) << 32 | b.astype(np.int64))


def whole_stats(graph: KnowledgeGraph, roles: Roles) -> dict[str, Any]:
    """The projection's and the actor network's figures of :func:`kg.network.stats` (no date range)."""
    import numpy as np

    reader = _Reader(graph, include_sources=False)
    ids = _Numbers()
    kind_of: dict[int, str] = {}
    listed = {r["c"]: r["nodes"].split(" ") for r in graph.select(_Q_NODES) if r["nodes"]}
    persons = set(listed.get(SCHEMA + "Person", []))
    for cls, kind in ((SEM + "Place", "place"), (SEM + "Actor", "organisation"), (SEM + "Event", "event")):
        for iri in listed.get(cls, []):
            kind_of[ids.of(iri)] = "person" if kind == "organisation" and iri in persons else kind
    typed = len(ids)
    predicates = sorted(reader.edge_predicates - {_HOLDS_POST, *_SOURCE_PREDICATES})
    edges = _Edges()
    plain: list[tuple[str, list[int]]] = []  # sem:hasActor: an edge only where no role says more
    member_pairs: dict[tuple[int, int], None] = {}
    for r in graph.select(_Q_EDGES % " ".join(f"<{p}>" for p in predicates)):
        p = r["p"]
        subjects = [ids[s] for s in r["subjects"].split(" ") if ids.get(s, typed) < typed]
        if not subjects:
            continue
        if p == SEM + "hasActor":
            plain.append((r["o"], subjects))
        elif p == SCHEMA + "memberOf":
            member_pairs.update(dict.fromkeys((s, ids.of(r["o"])) for s in subjects))
        elif p in reader.roles:
            edges.add(subjects, ids.of(r["o"]), reader.roles[p], "role")
        elif p in reader.relations:
            edges.add(subjects, ids.of(r["o"]), reader.relations[p], "relation")
        else:
            edges.add(subjects, ids.of(r["o"]), *_LABELS[p])
    with_role = edges.codes()
    for o, subjects in plain:
        candidates = np.array(subjects, dtype=np.int64) << 32 | ids.of(o)
        edges.add((candidates[~np.isin(candidates, with_role)] >> 32).tolist(), ids[o], NO_ROLE, "role")
    titled: dict[tuple[int, int], set[str]] = defaultdict(set)
    for r in graph.select(_Q_POSTS):
        if ids.get(r["person"], typed) < typed:
            titled[(ids[r["person"]], ids.of(r["org"]))].add(r["title"])
    for (s, o), titles in titled.items():
        for _ in titles:
            edges.add([s], o, "member of", "membership")
    for s, o in member_pairs:
        if (s, o) not in titled:
            edges.add([s], o, "member of", "membership")
    labels, kinds = edges.labels, edges.kinds

    s_arr, o_arr, l_arr = edges.arrays()
    for o, number in zip(o_arr.tolist(), l_arr.tolist(), strict=True):
        if o not in kind_of:
            kind_of[o] = _INFERRED[kinds[number]]
    n = len(ids)
    by_kind = Counter(kind_of.values())
    count, largest = _components(n, s_arr, o_arr)
    undirected = _pairs(s_arr, o_arr, ordered=False)
    by_class = {shorten(r["class"]): int(r["count"]) for r in graph.select(_Q_CLASSES)}
    return {
        "nodes": n,
        "edges": len(s_arr),
        "linked_pairs": len(_pairs(s_arr, o_arr, ordered=True)),
        "components": count,
        "largest_component": largest,
        "density": round(len(undirected) / (n * (n - 1) / 2), 6) if n > 1 else 0.0,
        "by_kind": {k: by_kind[k] for k in KINDS if by_kind[k]},
        "by_class": dict(sorted(by_class.items())),
        "by_edge": dict(
            sorted((labels[i], int(c)) for i, c in enumerate(np.bincount(l_arr, minlength=len(labels))) if c)
        ),
        "actors": _actor_figures(s_arr, o_arr, l_arr, labels, kinds, kind_of, roles),
    }


def _actor_figures(
    s_arr: np.ndarray,
    o_arr: np.ndarray,
    l_arr: np.ndarray,
    labels: list[str],
    kinds: list[str],
    kind_of: dict[int, str],
    roles: Roles,
) -> dict[str, Any]:
    """Nodes, edges, components and density of the co-participation network."""
    import numpy as np

    allowed = np.array([kinds[i] == "role" and roles.allows(labels[i]) for i in range(len(labels))], dtype=bool)
    actor = np.array([kind_of.get(i) in ("person", "organisation") for i in range(len(kind_of))], dtype=bool)
    event = np.array([kind_of.get(i) == "event" for i in range(len(kind_of))], dtype=bool)
    keep = allowed[l_arr] & actor[o_arr] & event[s_arr] if len(l_arr) else np.zeros(0, dtype=bool)
    codes = _pairs(s_arr[keep], o_arr[keep], ordered=True)  # distinct (event, actor), sorted by event
    events, actors = codes >> 32, codes & 0xFFFFFFFF
    numbers = {a: i for i, a in enumerate(np.unique(actors).tolist())}
    mapped = np.array([numbers[a] for a in actors.tolist()], dtype=np.int64)
    cuts = np.flatnonzero(np.diff(events)) + 1
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    for group in np.split(mapped, cuts):
        if len(group) > 1:
            i, j = np.triu_indices(len(group), k=1)
            left.append(group[i])
            right.append(group[j])
    a = np.concatenate(left) if left else np.zeros(0, dtype=np.int64)
    b = np.concatenate(right) if right else np.zeros(0, dtype=np.int64)
    ties = _pairs(a, b, ordered=False)
    n = len(numbers)
    count, largest = _components(n, ties >> 32, ties & 0xFFFFFFFF)
    return {
        "nodes": n,
        "edges": len(ties),
        "components": count,
        "largest_component": largest,
        "density": round(2 * len(ties) / (n * (n - 1)), 6) if n > 1 else 0.0,
    }
