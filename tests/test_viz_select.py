"""``kg viz --ego`` within ``--from/--to`` and ``--type``: the ego's neighbourhood walked through
the events the selection keeps. It must draw what projecting the selection's events and cutting
the ego graph out of them drew (the bundled graph, a synthetic store and the same graph in
memory, an endpoint), read the neighbourhood rather than the date range, and count the
restricted ego, not the range, against the node limit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WIDE = ("2000-01-01", "2030-12-31")


def projected_then_cut(graph, ego, depth=1, start=None, end=None, types=(), include_sources=False):
    """What ``select`` drew before: the projection of every event of the selection, then
    ``networkx.ego_graph`` around the first resource of the name in it (``None``: not drawn)."""
    import networkx as nx

    from kg.backends.lookup import find
    from kg.network import project

    events: set[str] = set()
    for t in types or [None]:
        events.update(e.iri for e in graph.events(start=start, end=end, type=t))
    whole = project(graph, events=sorted(events), include_sources=include_sources)
    center = next((h for h in find(graph, ego) if h in whole), None)
    return None if center is None else nx.ego_graph(whole, center, radius=depth, undirected=True)


def drawn(G):
    """Nodes with their attributes (but when they appear, which follows the edges read) and edges."""
    nodes = {n: {k: v for k, v in d.items() if k not in ("start", "end")} for n, d in G.nodes(data=True)}
    edges = sorted((u, v, k, d["label"], d["role"] or "") for u, v, k, d in G.edges(keys=True, data=True))
    return nodes, edges


def within(graph, ego, depth=1, start=None, end=None, types=(), include_sources=False):
    from kg import viz

    G, _ = viz.select(
        graph, ego=ego, depth=depth, start=start, end=end, types=list(types), include_sources=include_sources
    )
    return G


# ---------------------------------------------------------------------------- the bundled graph

BUNDLED = [
    ("Amnesty International", 2, "2020-01-01", "2020-12-31", (), False),
    ("Amnesty International", 3, "2020-05-01", None, ("statement",), False),
    ("Sophie Richardson", 3, "2020-05", "2020-07", (), False),  # a person with a post
    ("Government of Hong Kong", 3, "2019-06", None, (), False),
    ("Government of the People's Republic of China", 2, "1984", "2019-06-20", (), False),
    ("Li Zhanshu", 2, None, None, ("open letter",), True),
    ("Hong Kong", 1, "2019-01-01", "2019-12-31", (), False),  # a place
    ("Hong Kong", 2, "2020", None, ("protest", "open letter"), False),
    ("Renewed street protests in Hong Kong (2020)", 2, "2020-05", "2020-07", (), False),  # an event
]


@pytest.mark.parametrize("case", BUNDLED, ids=[f"{c[0][:24]}-{c[1]}" for c in BUNDLED])
def test_an_ego_within_dates_and_types_is_the_ego_of_their_projection(graph, case):
    ego, depth, start, end, types, sources = case
    expected = projected_then_cut(graph, *case)
    G = within(graph, *case)
    assert expected is not None and drawn(G) == drawn(expected)
    # the selection matters: the ego of the whole graph draws more
    assert set(G) < set(within(graph, ego, depth, include_sources=sources))


def test_a_centre_the_selection_leaves_out_is_not_drawn(graph):
    from kg.errors import UsageError

    for ego, start, end, types in [
        ("Amnesty International", "2019-06-01", "2019-06-30", ()),  # an actor with no event then
        ("Sophie Richardson", None, None, ("open letter",)),
        ("Renewed street protests in Hong Kong (2020)", "2021", None, ()),  # an event outside them
    ]:
        assert projected_then_cut(graph, ego, 1, start, end, types) is None
        with pytest.raises(UsageError, match=r"is not drawn in this view \(it falls outside --from/--to/--type\)"):
            within(graph, ego, 2, start, end, types)


def test_an_endpoint_draws_the_same_ego_within_dates(graph, tmp_path):
    from servers import start_oxigraph, stop

    import kg
    from kg.backends.endpoint import push

    cases = [BUNDLED[0], BUNDLED[2], BUNDLED[5], BUNDLED[7]]
    want = [drawn(within(graph, *case)) for case in cases]
    proc, base = start_oxigraph(tmp_path / "oxigraph")
    try:
        push(graph, f"{base}/store")
        with kg.open_graph(endpoint=f"{base}/query") as remote:
            assert [drawn(within(remote, *case)) for case in cases] == want
    finally:
        stop(proc)


# ---------------------------------------------------------------------------- a synthetic store


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """3,000 synthetic events (benchmarks/synth.py, CONTRACT.md's blank-node evidence) in an
    on-disk store with its event index, and in memory."""
    import pyoxigraph as ox

    import kg
    from kg.backends.loading import load_files
    from kg.backends.memory import MemoryBackend

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    where = tmp_path_factory.mktemp("synthetic")
    with (where / "g.nt").open("w", encoding="utf-8") as fh:
        generate(3000, fh, blank_evidence=True)
    with kg.open_store(where / "store", create=True) as store:
        load_files(store, [where / "g.nt"])
    memory = ox.Store()
    memory.load(path=str(ROOT / "schema" / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    memory.bulk_load(path=str(where / "g.nt"), format=ox.RdfFormat.N_TRIPLES)
    with kg.open_store(where / "store", read_only=True) as store:
        yield store, MemoryBackend(memory, label="synthetic")


def _actors(store) -> tuple[str, str]:
    """The busiest actor's name and a middling one's."""
    counts = store.event_index.actor_counts()
    names = store.labels([counts[0][0], counts[len(counts) // 2][0]])
    return names[counts[0][0]], names[counts[len(counts) // 2][0]]


def test_a_store_draws_the_ego_of_the_selections_projection(synthetic):
    store, memory = synthetic
    busiest, middling = _actors(store)
    cases = [
        (busiest, 1, "2015-03-01", "2015-05-31", (), False),
        (busiest, 2, "2012", "2013", ("statement",), False),
        (middling, 2, *WIDE, (), False),
        (middling, 2, None, None, ("open letter",), True),
        ("Place 3", 1, "2015", "2015", (), False),
        ("Place 3", 2, "2016-01", "2016-03", (), False),
    ]
    for case in cases:
        expected = projected_then_cut(store, *case)
        G = within(store, *case)
        assert expected is not None and len(G) > 3 and drawn(G) == drawn(expected), case
        assert drawn(within(memory, *case)) == drawn(G), case


def test_a_wide_range_around_a_small_ego_is_drawn_and_reads_the_neighbourhood(synthetic, monkeypatch):
    """Every event of the store is in the range, many more than the node limit: the ego view
    is drawn, and the events read are those of its neighbourhood (no selection by dates alone,
    no event described that it does not draw)."""
    from kg import viz

    store, _ = synthetic
    _, middling = _actors(store)
    limit = 400
    assert len(store.events(*WIDE)) == 3000 > limit
    with pytest.raises(Exception, match=r"at least 3000 events"):  # projecting the range is refused
        viz.select_within(store, start=WIDE[0], end=WIDE[1], node_limit=limit)
    asked, described = [], set()
    select_events, fact_values = store.select_events, store.fact_values

    def counted_select(selection):
        asked.append(selection)
        return select_events(selection)

    def counted_facts(subjects, skip=()):
        described.update(subjects)
        return fact_values(subjects, skip)

    monkeypatch.setattr(store, "select_events", counted_select)
    monkeypatch.setattr(store, "fact_values", counted_facts)
    G, words = viz.select_within(store, ego=middling, depth=1, start=WIDE[0], end=WIDE[1], node_limit=limit)
    assert 10 < len(G) < limit and f"within 1 step of {middling}" in words
    assert asked and all(s.actors for s in asked)
    events = {n for n, kind in G.nodes(data="kind") if kind == "event"}
    assert events and {e for e in described if "/event/" in e} <= events
    # a place of 150 events within a quarter: the others are not described either
    described.clear()
    G, _ = viz.select_within(store, ego="Place 3", start="2015-01-01", end="2015-03-31", node_limit=limit)
    events = {n for n, kind in G.nodes(data="kind") if kind == "event"}
    assert events and {e for e in described if "/event/" in e} <= events
    assert len(within(store, "Place 3")) > 10 * len(events)


def test_the_node_limit_counts_the_restricted_ego(synthetic):
    """The busiest actor's ego within one quarter is drawn under a limit its whole ego is
    refused by, and the same limit refuses it within a wide range, counted before its events
    are described."""
    from kg import viz
    from kg.errors import UsageError

    store, _ = synthetic
    busiest, _ = _actors(store)
    quarter = len(within(store, busiest, 1, "2015-01-01", "2015-03-31"))
    whole = len(within(store, busiest, 1))
    limit = (quarter + whole) // 2
    assert quarter < limit < whole
    G, _ = viz.select_within(store, ego=busiest, start="2015-01-01", end="2015-03-31", node_limit=limit)
    assert len(G) == quarter
    with pytest.raises(UsageError, match=rf"up to {whole} nodes, more than the limit of {limit} nodes"):
        viz.select_within(store, ego=busiest, start=WIDE[0], end=WIDE[1], node_limit=limit)
