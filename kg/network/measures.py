"""The measures researchers use, as plain rows: centrality, components, communities, stats.

Each returns lists of dicts (or a dict) that the CLI prints as tables, CSV or JSON and that
:func:`to_dataframe` turns into pandas DataFrames (``pip install hk-timeline-kg[analysis]``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError
from kg.network.actors import Roles, co_participation, known_roles
from kg.network.projection import check_range, project
from kg.network.reading import KINDS

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends import Backend

#: The centrality measures of :func:`centrality`.
MEASURES = ("degree", "betweenness", "eigenvector", "pagerank")


def _pagerank(A: nx.Graph) -> dict[str, float]:
    """PageRank in pure Python (the same numbers with or without SciPy)."""
    import networkx as nx

    try:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
    except ImportError:  # pragma: no cover - a networkx without the private function
        return nx.pagerank(A, weight="weight")
    return _pagerank_python(A, weight="weight", max_iter=1000, tol=1e-10)


def scores(A: nx.Graph, measure: str) -> dict[str, float]:
    """``{actor: score}`` of one of :data:`MEASURES` on an actor network."""
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


def check_measure(measure: str, top: int | None) -> None:
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}: use one of {', '.join(MEASURES)}")
    if top is not None and top < 1:
        raise UsageError(f"--top must be at least 1, got {top}")


def ranking(A: nx.Graph, measure: str, top: int | None) -> list[dict[str, Any]]:
    """The rows of :func:`centrality` for an actor network already made."""
    found = scores(A, measure)
    ranked = sorted(A.nodes, key=lambda n: (-round(found[n], 9), A.nodes[n]["label"], n))
    rows = []
    for i, n in enumerate(ranked[:top] if top else ranked, 1):
        d = A.nodes[n]
        rows.append(
            {
                "rank": i,
                "id": d["id"],
                "label": d["label"],
                "kind": d["kind"],
                "measure": measure,
                "score": round(found[n], 6) + 0.0,
                "degree": A.degree(n),
                "events": d["events"],
                "roles": d["roles"],
                "iri": n,
            }
        )
    return rows


def centrality(
    graph: Backend,
    measure: str = "degree",
    top: int | None = 10,
    start: str | None = None,
    end: str | None = None,
    *,
    roles: str | Iterable[str] | None = None,
    exclude_roles: str | Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """The actors ranked by a centrality measure of the co-participation network.

    ``measure`` is ``degree`` (share of the other actors one acts with), ``betweenness``
    (share of shortest paths between other actors that run through one: brokers),
    ``eigenvector`` or ``pagerank`` (both weighted by the number of shared events). ``roles``
    and ``exclude_roles`` choose the participations that link actors
    (:func:`~kg.network.actors.co_participation`). Each row: ``rank``, ``id``, ``label``,
    ``kind``, ``measure``, ``score`` (rounded to 6 places), ``degree`` (the number of
    co-participants), ``events`` (the number of events), ``roles`` (those the actor plays).
    Ties are broken by label.

    Li Zhanshu ranks second by betweenness because an open letter of 86 organisations was
    addressed to him: without the addressee role, his score is 0 and Human Rights Watch,
    which also acts elsewhere, takes his place:

    >>> import kg
    >>> [r["label"] for r in centrality(kg.load(), "betweenness", top=2)]
    ['Amnesty International', 'Li Zhanshu']
    >>> [r["label"] for r in centrality(kg.load(), "betweenness", top=2, exclude_roles="addressee")]
    ['Amnesty International', 'Human Rights Watch']
    """
    check_measure(measure, top)
    A = co_participation(graph, start=start, end=end, roles=roles, exclude_roles=exclude_roles)
    return ranking(A, measure, top)


def components(graph: Backend, start: str | None = None, end: str | None = None) -> list[dict[str, Any]]:
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
    graph: Backend,
    seed: int = 1,
    resolution: float = 1.0,
    start: str | None = None,
    end: str | None = None,
    *,
    roles: str | Iterable[str] | None = None,
    exclude_roles: str | Iterable[str] | None = None,
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

    A = co_participation(graph, start=start, end=end, roles=roles, exclude_roles=exclude_roles)
    found = nx.community.louvain_communities(A, weight="weight", resolution=resolution, seed=seed)
    groups = [sorted(c, key=lambda n: (A.nodes[n]["label"], n)) for c in found]
    groups.sort(key=lambda c: (-len(c), A.nodes[c[0]]["label"]))
    out = []
    for i, members in enumerate(groups, 1):
        tally: Counter = Counter()
        inside = set(members)
        for a, b, d in A.edges(data=True):
            if a in inside and b in inside:
                tally.update(d["events"])
        out.append(
            {
                "community": i,
                "size": len(members),
                "members": [A.nodes[n]["label"] for n in members],
                "ids": [A.nodes[n]["id"] for n in members],
                "events": [e for e, _ in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))],
            }
        )
    return out


def _shape(G: nx.Graph) -> dict[str, Any]:
    """Nodes, edges, components and density of an undirected simple graph."""
    import networkx as nx

    comps = list(nx.connected_components(G)) if len(G) else []
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "components": len(comps),
        "largest_component": max((len(c) for c in comps), default=0),
        "density": round(nx.density(G), 6) if len(G) > 1 else 0.0,
    }


def stats(
    graph: Backend,
    start: str | None = None,
    end: str | None = None,
    *,
    roles: str | Iterable[str] | None = None,
    exclude_roles: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """Size and shape of the projection and of the actor network.

    ``nodes``; ``edges``, one per role, relation or membership, as exports and ``by_edge``
    count them; ``linked_pairs``, the ordered pairs of nodes with at least one edge, which is
    what ``kg viz`` draws (one line per pair, its labels joined: an actor with two roles in an
    event is two edges, one line); ``components`` (connected, directions ignored),
    ``largest_component``, ``density`` (of the undirected simple graph), ``by_kind``,
    ``by_class`` and ``by_edge`` (counts), and ``actors``: the same figures for
    :func:`~kg.network.actors.co_participation` in the roles chosen.

    Without a date range the figures are computed from integer arrays
    (:mod:`kg.network.bulk`), so a graph of a million events needs no networkx graph.

    >>> import kg
    >>> s = stats(kg.load())
    >>> s["edges"] == sum(s["by_edge"].values()) and s["linked_pairs"] <= s["edges"]
    True
    """
    from kg.network.bulk import whole_stats

    chosen = Roles.of(roles, exclude_roles)
    if chosen:
        chosen.check(known_roles(graph))
    start, end = check_range(start, end)
    head = {"from": start, "to": end, "roles": chosen.describe()}
    if start is None and end is None:
        return head | whole_stats(graph, chosen)
    return head | projection_stats(project(graph, start=start, end=end), chosen)


def projection_stats(P: nx.MultiDiGraph, roles: Roles | None = None) -> dict[str, Any]:
    """The figures of :func:`stats` of a projection already made."""
    import networkx as nx

    roles = roles or Roles()
    A = co_participation(P, roles=roles.include or None, exclude_roles=roles.exclude or None)
    shape = _shape(nx.Graph(P.to_undirected(as_view=True)))
    return {
        "nodes": P.number_of_nodes(),
        "edges": P.number_of_edges(),
        "linked_pairs": len({(s, o) for s, o in P.edges()}),
        **{k: v for k, v in shape.items() if k not in ("nodes", "edges")},
        "by_kind": {k: v for k in KINDS if (v := sum(1 for _, x in P.nodes(data="kind") if x == k))},
        "by_class": dict(sorted(Counter(c for _, d in P.nodes(data=True) for c in d["classes"]).items())),
        "by_edge": dict(sorted(Counter(d["label"] for *_, d in P.edges(data=True)).items())),
        "actors": _shape(A),
    }


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
