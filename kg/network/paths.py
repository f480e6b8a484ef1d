"""Paths: the shortest connections between two actors, events or places, explained hop by hop."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg.errors import NotFound, UsageError
from kg.network.projection import project
from kg.network.reading import local_id

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends import Backend


def _resolve(graph: Backend, name: str) -> str:
    from kg.backends.lookup import find

    hits = find(graph, name, kinds=("actor", "event", "place"))
    if len(hits) > 1:
        raise UsageError(f"{name!r} names {len(hits)} resources ({', '.join(local_id(h) for h in hits)}): give an id")
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
    graph: Backend,
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


def path(graph: Backend, a: str, b: str, **kwargs: Any) -> list[dict[str, Any]]:
    """The first of :func:`paths`: one shortest connection, hop by hop.

    >>> import kg
    >>> len(path(kg.load(), "Human Rights Watch", "Li Zhanshu"))
    2
    """
    return paths(graph, a, b, limit=1, **kwargs)[0]
