"""kg.network and `kg network`: the projection, the actor network, the measures, on the real data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import subprocess
import sys

import networkx as nx
import pytest

from kg import network as N
from kg.errors import NotFound, UsageError
from kg.namespaces import HK, ID, SEM

EVENT = ID + "event/"
ACTOR = ID + "actor/"
LETTER = EVENT + "open-letter-to-li-zhanshu"
HRW = ACTOR + "human-rights-watch"
LI = ACTOR + "li-zhanshu"


@pytest.fixture(scope="module")
def P(graph):
    return N.project(graph)


@pytest.fixture(scope="module")
def A(graph):
    return N.co_participation(graph)


@pytest.fixture(scope="module")
def signatories(P):
    return sorted(a for _, a, d in P.out_edges(LETTER, data=True) if d["label"] == "signatory")


# ---------------------------------------------------------------------------- the projection


def test_projection_nodes_have_the_documented_attributes(P):
    assert isinstance(P, nx.MultiDiGraph)
    for n, d in P.nodes(data=True):
        assert tuple(d) == N.NODE_ATTRIBUTES
        assert d["iri"] == n and n.startswith("https://")  # literals are attributes, never nodes
        assert d["kind"] in N.KINDS
        assert d["label"]
    for *_, d in P.edges(data=True):
        assert tuple(d) == N.EDGE_ATTRIBUTES
        assert d["predicate"].startswith("http")


def test_projection_counts(P, graph):
    kinds = {k: sum(1 for _, x in P.nodes(data="kind") if x == k) for k in N.KINDS}
    events = graph.select("SELECT (COUNT(?e) AS ?n) WHERE { ?e a sem:Event }")[0]["n"]
    actors = graph.select("SELECT (COUNT(?a) AS ?n) WHERE { ?a a sem:Actor }")[0]["n"]
    assert kinds["event"] == events == 38
    assert kinds["person"] + kinds["organisation"] == actors
    assert kinds["source"] == 0  # only when asked


def test_event_attributes_carry_dates_and_type(P):
    report = P.nodes[EVENT + "amnesty-report-june-2021"]
    assert report["kind"] == "event" and report["class"] == "sem:Event" and report["type"] == "report"
    assert (report["edtf"], report["precision"]) == ("2021-06", "month")
    assert (report["earliest_begin"], report["latest_begin"]) == ("2021-06-01", "2021-06-30")
    assert (report["start"], report["end"]) == ("2021-06-01", "2021-06-30")
    open_ended = P.nodes[EVENT + "hong-kong-protests-2019"]
    assert open_ended["edtf"] == "2019-03-15/.." and open_ended["end"] is None and open_ended["latest_end"] is None


def test_roles_are_collapsed_into_labelled_edges(P):
    edges = P.get_edge_data(LETTER, HRW)
    assert [d["label"] for d in edges.values()] == ["signatory"]
    (d,) = edges.values()
    assert d["predicate"] == HK + "signatory" and d["role"] == "signatory" and d["kind"] == "role"
    assert not any(d["predicate"] == SEM + "hasActor" for *_, d in P.edges(data=True) if d["role"])


def test_relations_posts_and_places_are_labelled(P):
    labels = {d["label"] for *_, d in P.edges(data=True)}
    assert {"signatory", "addressee", "motivated by", "responds to", "part of", "member of", "place"} <= labels
    (post,) = P.get_edge_data(LI, ACTOR + "npcsc").values()
    assert (post["label"], post["role"], post["kind"]) == ("member of", "Chairman", "membership")
    # posts and relation nodes are collapsed, never nodes
    assert not any("/post/" in n or "/relation/" in n for n in P)


def test_an_actor_starts_with_its_first_event(P):
    for a in (HRW, LI, ACTOR + "amnesty-international"):
        firsts = [P.nodes[e]["start"] for e, _ in P.in_edges(a) if P.nodes[e]["kind"] == "event"]
        assert P.nodes[a]["start"] == min(firsts)
        assert P.nodes[a]["end"] is None
    for s, o, d in P.edges(data=True):
        if P.nodes[s]["kind"] == "event" and P.nodes[o]["kind"] != "event":
            assert (d["start"], d["end"]) == (P.nodes[s]["start"], P.nodes[s]["end"])


def test_sources_only_when_asked(graph):
    S = N.project(graph, include_sources=True)
    sources = [n for n, k in S.nodes(data="kind") if k == "source"]
    assert len(sources) >= 5
    assert any(d["label"] == "source" for *_, d in S.out_edges(LETTER, data=True))
    assert S.nodes[ID + "source/hrw-2020-open-letter-release"]["class"].startswith("schema:")


def test_date_filter_keeps_events_in_range_and_what_they_reach(graph):
    after = N.project(graph, start="2020-06-30")
    events = [d for _, d in after.nodes(data=True) if d["kind"] == "event"]
    assert events and all(d["latest_begin"] >= "2020-06-30" for d in events)
    assert EVENT + "basic-law-promulgated" not in after
    assert ACTOR + "amnesty-international" in after
    assert ACTOR + "world-uyghur-congress" not in after  # a signatory of the 2020 letter only
    with pytest.raises(UsageError):
        N.project(graph, start="June 2020")


def test_order_is_stable(graph, P):
    again = N.project(graph)
    assert list(again.nodes) == list(P.nodes) == sorted(P.nodes)
    assert list(again.edges(keys=True)) == list(P.edges(keys=True))


def test_from_triples_projects_a_construct(graph):
    triples = graph.query(
        """CONSTRUCT { ?e a sem:Event ; rdfs:label ?l ; hk:signatory ?a . ?a a sem:Actor, schema:Organization }
           WHERE { ?e hk:signatory ?a ; rdfs:label ?l }"""
    )
    G = N.from_triples(triples)
    assert sum(1 for *_, d in G.edges(data=True) if d["label"] == "signatory") == 88
    assert G.nodes[LETTER]["kind"] == "event" and G.nodes[HRW]["kind"] == "organisation"


# ---------------------------------------------------------------------------- the actor network


def test_the_86_signatories_are_co_participants_of_the_letter(A, signatories):
    assert len(signatories) == 86
    for a, b in itertools.combinations(signatories, 2):
        assert "open-letter-to-li-zhanshu" in A.edges[a, b]["events"]
    for s in signatories:  # and of its addressee
        assert "open-letter-to-li-zhanshu" in A.edges[s, LI]["events"]


def test_co_participation_weights_count_shared_events(A):
    for _, _, d in A.edges(data=True):
        assert d["weight"] == len(d["events"]) and d["events"] == sorted(d["events"])
    assert all(d["kind"] in ("person", "organisation") for _, d in A.nodes(data=True))
    assert A.nodes[LI]["events"] == 4


# ---------------------------------------------------------------------------- measures


def test_betweenness_top_10_has_amnesty_and_li_zhanshu_first(graph):
    rows = N.centrality(graph, "betweenness", top=10)
    assert len(rows) == 10 and [r["rank"] for r in rows] == list(range(1, 11))
    assert [r["label"] for r in rows[:2]] == ["Amnesty International", "Li Zhanshu"]
    assert all(rows[i]["score"] >= rows[i + 1]["score"] for i in range(9))


@pytest.mark.parametrize("measure", N.MEASURES)
def test_every_measure_ranks_actors(graph, measure):
    rows = N.centrality(graph, measure, top=5)
    assert len(rows) == 5 and all(r["kind"] in ("person", "organisation") for r in rows)
    assert set(rows[0]) >= {"rank", "id", "label", "kind", "score", "degree", "events"}
    assert N.centrality(graph, measure, top=5) == rows


def test_centrality_before_and_after_the_law(graph):
    before = [r["id"] for r in N.centrality(graph, "degree", top=3, end="2020-06-29")]
    after = [r["id"] for r in N.centrality(graph, "degree", top=3, start="2020-06-30")]
    assert before != after and after[0] == "amnesty-international"
    with pytest.raises(UsageError):
        N.centrality(graph, "closeness")


def test_communities_repeat_with_the_same_seed(graph, signatories, P):
    first = N.communities(graph, seed=7)
    assert N.communities(graph, seed=7) == first
    assert sum(c["size"] for c in first) == N.co_participation(graph).number_of_nodes()
    # the letter's signatories act together: all but Amnesty International (which acts with its
    # own offices and officers) fall in the largest community
    letter = {P.nodes[s]["id"] for s in signatories}
    assert len(letter & set(N.communities(graph, seed=1)[0]["ids"])) >= 80


def test_components_and_stats(graph, P):
    comps = N.components(graph)
    # all events but the 2019 actions around the world, whose only actor is their own collective
    assert comps[0]["size"] == max(c["size"] for c in comps) and comps[0]["events"] == 37
    assert sum(c["size"] for c in comps) == P.number_of_nodes()
    s = N.stats(graph)
    assert (s["nodes"], s["edges"]) == (P.number_of_nodes(), P.number_of_edges())
    assert s["components"] == len(comps) and s["largest_component"] == comps[0]["size"]
    assert 0 < s["density"] < 1
    assert s["by_kind"]["event"] == 38 and s["by_class"]["schema:Person"] == s["by_kind"]["person"]
    assert s["by_edge"]["signatory"] == 88


# ---------------------------------------------------------------------------- paths


def test_hrw_and_li_zhanshu_are_connected_hop_by_hop(graph):
    hops = N.path(graph, "Human Rights Watch", "Li Zhanshu")
    assert [(h["from"], h["to"]) for h in hops] == [
        ("human-rights-watch", "open-letter-to-li-zhanshu"),
        ("open-letter-to-li-zhanshu", "li-zhanshu"),
    ]
    letter = "Open letter of 86 organisations to Li Zhanshu on the proposed national security law"
    assert hops[0]["text"] == f"Human Rights Watch —signatory of→ {letter}"
    assert hops[1]["text"] == f"{letter} ←addressee of— Li Zhanshu"
    # each hop in its true direction: the RDF edges run from the letter to the actors
    assert hops[0]["edges"][0]["direction"] == "backward" and hops[0]["edges"][0]["source"] == LETTER
    assert hops[1]["edges"][0]["direction"] == "forward" and hops[1]["edges"][0]["target"] == LI


def test_paths_find_alternatives_and_names_any_case(graph):
    found = N.paths(graph, "hrw", "NPCSC", limit=5)
    assert found and all(len(p) == len(found[0]) for p in found)
    assert found[0][-1]["to"] == "npcsc"
    with pytest.raises(NotFound, match="did you mean"):
        N.path(graph, "Human Rights Wach", "Li Zhanshu")


def test_path_respects_the_date_range(graph):
    with pytest.raises(NotFound):
        N.path(graph, "Human Rights Watch", "Li Zhanshu", start="2021-01-01")


# ---------------------------------------------------------------------------- pandas


def test_to_dataframe(graph, P):
    import pandas as pd

    df = N.to_dataframe(N.centrality(graph, "pagerank"))
    assert isinstance(df, pd.DataFrame) and list(df.columns[:3]) == ["rank", "id", "label"]
    assert len(N.to_dataframe(P, "edges")) == P.number_of_edges()


# ---------------------------------------------------------------------------- the CLI


def test_cli_stats(invoke):
    r = invoke("network", "stats", "--format", "json")
    assert r.exit_code == 0
    info = json.loads(r.output)
    assert info["by_kind"]["event"] == 38 and info["components"] >= 1
    table = invoke("network", "stats").output
    assert "density" in table and "by_kind.event" in table


def test_cli_central_formats(invoke):
    r = invoke("network", "central", "--measure", "betweenness", "--top", "10")
    assert r.exit_code == 0 and r.output.splitlines()[2].split()[:3] == ["1", "Amnesty", "International"]
    assert r.output.splitlines()[0].split()[:4] == ["rank", "label", "kind", "betweenness"]
    rows = list(csv.DictReader(io.StringIO(invoke("network", "central", "--format", "csv", "--top", "3").output)))
    assert len(rows) == 3 and list(rows[0]) == ["rank", "label", "kind", "degree", "co-actors", "events", "id"]
    data = json.loads(invoke("network", "central", "--measure", "pagerank", "--format", "json").output)
    assert len(data) == 10 and data[0]["rank"] == 1
    after = json.loads(invoke("network", "central", "--from", "2020-06-30", "--format", "json").output)
    assert after[0]["id"] == "amnesty-international"


def test_cli_path(invoke):
    r = invoke("network", "path", "Human Rights Watch", "Li Zhanshu")
    assert r.exit_code == 0
    assert "Human Rights Watch —signatory of→ Open letter" in r.output
    assert "←addressee of— Li Zhanshu" in r.output
    data = json.loads(invoke("network", "path", "HRW", "li-zhanshu", "--format", "json").output)
    assert data[0]["hops"][0]["edges"][0]["label"] == "signatory"
    rows = list(csv.DictReader(io.StringIO(invoke("network", "path", "HRW", "Li Zhanshu", "--format", "csv").output)))
    assert [r["hop"] for r in rows] == ["1", "2"]


def test_cli_path_unknown_name_exits_5(runner):
    from kg.cli import cli

    r = runner.invoke(cli, ["network", "path", "Nobody At All", "Li Zhanshu"])
    assert r.exit_code == 5 and "no actor" in r.output


def test_cli_bad_date_exits_2(runner):
    from kg.cli import cli

    r = runner.invoke(cli, ["network", "stats", "--from", "yesterday"])
    assert r.exit_code == 2 and "--from expects a date" in r.output


def test_cli_communities(invoke):
    a = invoke("network", "communities", "--seed", "3", "--format", "json").output
    assert a == invoke("network", "communities", "--seed", "3", "--format", "json").output
    groups = json.loads(a)
    assert groups[0]["size"] >= 80 and "open-letter-to-li-zhanshu" in groups[0]["events"]
    assert "community" in invoke("network", "communities").output
    assert invoke("network", "components", "--format", "csv").output.startswith("component,size,")


def test_kg_help_does_not_import_networkx():
    code = "import sys; from kg.cli import cli; print('networkx' in sys.modules, 'pyoxigraph' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_sources_add_documents_but_no_claims_or_relations(graph):
    from kg.network import project

    with_sources = project(graph, include_sources=True)
    without = project(graph)
    kinds = {d["kind"] for _, d in with_sources.nodes(data=True)}
    assert kinds == {"event", "person", "organisation", "place", "source"}
    events = [n for n, d in with_sources.nodes(data=True) if d["kind"] == "event"]
    assert len(events) == sum(1 for _, d in without.nodes(data=True) if d["kind"] == "event")
    assert not any("/claim/" in n or "/relation/" in n or "/post/" in n for n in with_sources)


# ---------------------------------------------------------------------------- reading only what is selected

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
NSL = "national-security-law-takes-effect"


class Recording:
    """A graph that records which subjects the projection asks to describe."""

    def __init__(self, graph):
        self.graph, self.described, self.queries = graph, [], []

    def select(self, sparql, params=None):
        self.queries.append(sparql)
        return self.graph.select(sparql, params)

    def fact_values(self, subjects, skip=()):
        self.described += list(subjects)
        return self.graph.fact_values(subjects, skip)

    def __getattr__(self, name):
        return getattr(self.graph, name)


def test_a_date_range_describes_only_its_events_and_their_neighbours(graph):
    spy = Recording(graph)
    P = N.project(spy, start="2021-06-01", end="2021-06-30")
    selected = {e.iri for e in graph.events(start="2021-06-01", end="2021-06-30")}
    events = {n for n, k in P.nodes(data="kind") if k == "event"}
    assert events == selected and 0 < len(events) < 33
    described = set(spy.described)
    assert described & {n for n, k in N.project(graph).nodes(data="kind") if k == "event"} == selected
    reached = {o for e in selected for _, o in P.out_edges(e)}
    assert described - selected - reached <= {n for n in described if "/post/" in n}  # posts name memberships


@pytest.fixture(scope="module")
def store(graph, tmp_path_factory):
    """The bundled graph in an on-disk store (with its event index), as `kg load` makes it."""
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.graph import open_store

    where = tmp_path_factory.mktemp("network-store")
    (where / "g.nq").write_bytes(graph.export("nq"))
    result = CliRunner().invoke(cli, ["--store", str(where / "store"), "load", str(where / "g.nq")])
    assert result.exit_code == 0, result.output
    return open_store(where / "store", read_only=True), where / "store"


@pytest.mark.parametrize("window", [{}, {"start": "2020-06-30"}, {"start": "2020-01-01", "end": "2020-06-29"}])
def test_the_same_projection_in_memory_and_on_a_store(graph, store, window):
    on_disk, _ = store
    a, b = N.project(graph, **window), N.project(on_disk, **window)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert N.centrality(graph, "betweenness", **window) == N.centrality(on_disk, "betweenness", **window)


def test_the_same_windows_in_memory_and_on_a_store(graph, store):
    on_disk, path = store
    kwargs = {"split_at": [NSL], "exclude_roles": "addressee", "top": 5}
    assert N.central_windows(graph, "degree", **kwargs) == N.central_windows(on_disk, "degree", **kwargs)


# ---------------------------------------------------------------------------- roles


def test_the_default_projection_links_the_addressee_to_every_signatory(A, signatories):
    assert A.edges[HRW, LI]["roles"] == ["addressee–signatory"]
    assert A.edges[signatories[0], signatories[1]]["roles"] == ["signatory–signatory"]
    assert "addressee" in A.nodes[LI]["roles"]


def test_role_filters_change_the_ranking_as_expected(graph, signatories):
    default = N.centrality(graph, "betweenness", top=None)
    li = next(r for r in default if r["id"] == "li-zhanshu")
    assert li["rank"] <= 2 and "addressee" in li["roles"]
    without = N.centrality(graph, "betweenness", top=None, exclude_roles="addressee")
    li_without = next(r for r in without if r["id"] == "li-zhanshu")  # still an actor of his other events
    # all his brokerage came from being addressed: the 86 signatories reached the others through him
    assert li_without["score"] == 0.0 and "addressee" not in li_without["roles"]
    hrw = [r["score"] for r in without if r["id"] == "human-rights-watch"]
    assert hrw[0] > next(r["score"] for r in default if r["id"] == "human-rights-watch")
    only = N.co_participation(graph, roles="signatory")
    assert LI not in only and set(signatories) <= set(only)
    assert {t for *_, d in only.edges(data=True) for t in d["roles"]} == {"signatory–signatory"}
    # every signatory of the letter acts with the 85 others, and only with them in this network
    assert all(only.degree(s) >= 85 for s in signatories)


def test_roles_are_checked_and_named_in_any_case(graph):
    assert (
        N.co_participation(graph, roles="Signatory").number_of_nodes()
        == N.co_participation(graph, roles=["signatory"]).number_of_nodes()
    )
    with pytest.raises(UsageError, match="no role 'signatories'.*signatory"):
        N.centrality(graph, roles="signatories")


def test_bipartite_keeps_events_actors_and_one_edge_per_role(graph, P):
    B = N.bipartite(graph)
    assert {k for _, k in B.nodes(data="kind")} == {"event", "person", "organisation"}
    assert all(d["kind"] == "role" and B.nodes[e]["kind"] == "event" for e, _, d in B.edges(data=True))
    role_edges = [(e, a, k) for e, a, k, d in P.edges(keys=True, data=True) if d["kind"] == "role"]
    assert sorted(B.edges(keys=True)) == sorted(role_edges)
    letters = N.bipartite(graph, roles="signatory,addressee")
    assert Counter_of(letters) == {"signatory": 88, "addressee": 12}


def Counter_of(G):
    from collections import Counter

    return dict(Counter(d["role"] for *_, d in G.edges(data=True)))


def test_cli_export_bipartite_graphml_reads_back(invoke, tmp_path, graph):
    out = tmp_path / "b.graphml"
    r = invoke("network", "export", "--bipartite", "--roles", "signatory", "-o", str(out))
    assert r.exit_code == 0
    G = nx.read_graphml(out)
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert "event" in kinds and kinds <= {"event", "organisation", "person"}
    assert {d["role"] for *_, d in G.edges(data=True)} == {"signatory"}
    assert G.number_of_edges() == N.bipartite(graph, roles="signatory").number_of_edges() == 88
    edges = invoke("network", "export", "--bipartite", "--format", "edges-csv").output
    assert edges.startswith("Source,Target,Type,Id,Label,") and ",addressee," in edges
    bad = invoke("network", "export", "--roles", "signatory")
    assert bad.exit_code == 2 and "--bipartite" in bad.output


# ---------------------------------------------------------------------------- time windows


def test_windows_split_at_the_day_the_event_begins(graph):
    before, after = N.windows(graph, split_at=[NSL])
    assert (before.start, before.end, after.start, after.end) == (None, "2020-06-29", "2020-06-30", None)
    assert NSL not in {local for local in _events(graph, before)} and NSL in _events(graph, after)
    assert N.windows(graph, split_at=["2020-06-30"]) == [before, after]
    rows = N.central_windows(graph, "degree", top=3, split_at=[NSL])
    assert [r["window"] for r in rows] == ["../2020-06-29"] * 3 + ["2020-06-30/.."] * 3
    assert [r["id"] for r in rows[3:]] == [r["id"] for r in N.centrality(graph, "degree", top=3, start="2020-06-30")]
    assert [r["id"] for r in rows[:3]] == [r["id"] for r in N.centrality(graph, "degree", top=3, end="2020-06-29")]


def _events(graph, window):
    P = N.project(graph, start=window.start, end=window.end)
    return {d["id"] for _, d in P.nodes(data=True) if d["kind"] == "event"}


def test_spans_are_consecutive_and_cover_the_range(graph):
    found = N.windows(graph, every="6M", start="2019-03-15", end="2021-12-31")
    assert found[0].start == "2019-03-15" and found[-1].end == "2021-12-31"
    assert [w.end for w in found[:2]] == ["2019-09-14", "2020-03-14"]
    for a, b in zip(found, found[1:], strict=False):
        assert dt.date.fromisoformat(a.end) + dt.timedelta(days=1) == dt.date.fromisoformat(b.start)
    years = N.windows(graph, every="1Y")
    assert years[0].start.endswith("-01-01") and len({w.start[:4] for w in years}) == len(years)
    for bad in ({"every": "6 months"}, {"every": "0M"}, {}, {"every": "6M", "split_at": [NSL]}):
        with pytest.raises(UsageError):
            N.windows(graph, **bad)
    with pytest.raises(NotFound):
        N.windows(graph, split_at=["no-such-event-anywhere"])


def test_cli_central_one_table_per_window(invoke):
    r = invoke("network", "central", "--split-at", NSL, "--top", "2", "--measure", "pagerank", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert [row["window"] for row in rows] == ["../2020-06-29", "../2020-06-29", "2020-06-30/..", "2020-06-30/.."]
    assert "pagerank" in rows[0] and "score" not in rows[0]
    table = invoke("network", "central", "--window", "1Y", "--from", "2020-01-01", "--top", "1").output
    assert [line.split()[0] for line in table.splitlines()[2:4]] == ["2020-01-01/2020-12-31", "2021-01-01/2021-12-31"]


# ---------------------------------------------------------------------------- output that fits


@pytest.mark.parametrize(
    "args",
    [
        ["stats"],
        ["central", "--measure", "betweenness"],
        ["central", "--split-at", NSL],
        ["central", "--window", "6M", "--from", "2019-06-01"],
        ["communities"],
        ["components"],
        ["path", "HRW", "NPCSC", "--format", "table"],
    ],
)
def test_every_table_fits_80_columns(invoke, args):
    from wcwidth import wcswidth

    r = invoke("network", *args, "--width", "80")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert len(lines) > 3 and max(wcswidth(line) for line in lines) <= 80


def test_stats_counts_edges_as_exports_and_pairs_as_kg_viz_draws(graph, P):
    from kg.viz import view

    s = N.stats(graph)
    assert s["edges"] == P.number_of_edges() == sum(s["by_edge"].values())
    assert s["linked_pairs"] == len(set(P.edges())) == view(graph).edges
    assert s["linked_pairs"] < s["edges"]  # two edges between one pair: one line
    signing = {a for _, a, d in P.edges(data=True) if d["role"] == "signatory"}
    assert N.stats(graph, roles="signatory")["actors"]["nodes"] == len(signing) >= 86


# ---------------------------------------------------------------------------- a synthetic store


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """2,000 synthetic events (benchmarks/synth.py) in memory and in an on-disk store."""
    import pyoxigraph as ox

    from kg.backends.loading import load_files
    from kg.backends.memory import MemoryBackend
    from kg.graph import open_store

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    where = tmp_path_factory.mktemp("synth")
    with (where / "g.nt").open("w", encoding="utf-8") as fh:
        generate(2000, fh)
    memory = ox.Store()
    memory.load(path=str(ROOT / "schema" / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    memory.bulk_load(path=str(where / "g.nt"), format=ox.RdfFormat.N_TRIPLES)
    on_disk = open_store(where / "store", create=True)
    load_files(on_disk, [where / "g.nt"])
    return MemoryBackend(memory, label="synthetic"), on_disk


def test_synthetic_month_is_the_same_in_memory_and_on_a_store(synthetic):
    memory, on_disk = synthetic
    month = {"start": "2015-03-01", "end": "2015-03-31"}
    a, b = N.project(memory, **month), N.project(on_disk, **month)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True)) and a.number_of_edges() == b.number_of_edges()
    assert 0 < sum(1 for _, k in a.nodes(data="kind") if k == "event") < 100
    assert N.centrality(memory, "pagerank", **month) == N.centrality(on_disk, "pagerank", **month)
    kwargs = {"every": "3M", "start": "2015-01-01", "end": "2015-12-31", "top": 3, "roles": "signatory,organiser"}
    assert N.central_windows(memory, **kwargs) == N.central_windows(on_disk, **kwargs)


def test_windows_of_a_range_read_once_equal_window_by_window(synthetic):
    from kg.network import participation
    from kg.network.actors import _co_participation

    span = {"start": "2015-01-01", "end": "2015-06-30"}
    for graph in synthetic:
        rows = N.central_windows(graph, "betweenness", top=5, every="1M", roles="signatory,organiser", **span)
        expected = []
        spans = N.windows(graph, every="1M", **span)
        for w in spans:
            ranked = N.centrality(graph, "betweenness", 5, w.start, w.end, roles="signatory,organiser")
            expected += [{"window": w.name, "from": w.start, "to": w.end, **r} for r in ranked]
        # most months of the seeded data have signatories or organisers (not every one must)
        assert rows == expected and len(spans) == 6 and len({r["window"] for r in rows}) >= 4
        pooled = participation.read(graph, {e.iri: e for e in graph.events(**span)})
        for w in spans:  # every attribute, the actors' first event in the window included
            A = _co_participation(graph, w.start, w.end, N.Roles(), pooled)
            B = N.co_participation(graph, start=w.start, end=w.end)
            assert list(A.nodes(data=True)) == list(B.nodes(data=True))
            assert list(A.edges(data=True)) == list(B.edges(data=True))


def test_synthetic_role_filters(synthetic):
    _, on_disk = synthetic
    year = {"start": "2016-01-01", "end": "2016-12-31"}
    everyone = N.co_participation(on_disk, **year)
    signatories = N.co_participation(on_disk, roles="signatory", **year)
    assert 0 < signatories.number_of_edges() < everyone.number_of_edges()
    assert {t for *_, d in signatories.edges(data=True) for t in d["roles"]} == {"signatory–signatory"}
    assert set(signatories.edges()) <= {tuple(sorted(e)) for e in everyone.edges()} | set(everyone.edges())
    no_addressee = N.co_participation(on_disk, exclude_roles="addressee", **year)
    assert not any("addressee" in t for *_, d in no_addressee.edges(data=True) for t in d["roles"])


@pytest.mark.parametrize("roles", [{}, {"roles": "signatory"}, {"exclude_roles": "addressee,actor"}])
def test_whole_graph_stats_from_arrays_equal_those_of_the_projection(graph, P, roles):
    from kg.network.measures import projection_stats

    chosen = N.Roles.of(roles.get("roles"), roles.get("exclude_roles"))
    whole = N.stats(graph, **roles)
    assert {k: v for k, v in whole.items() if k not in ("from", "to", "roles")} == projection_stats(P, chosen)


def test_synthetic_whole_graph_stats_equal_those_of_the_projection(synthetic):
    from kg.network.measures import projection_stats

    memory, on_disk = synthetic
    expected = projection_stats(N.project(memory))
    assert expected["by_kind"]["event"] == 2000 and expected["actors"]["edges"] > 1000
    for graph in (memory, on_disk):
        whole = N.stats(graph)
        assert {k: v for k, v in whole.items() if k not in ("from", "to", "roles")} == expected
    signing = N.stats(on_disk, roles="signatory")["actors"]
    assert signing == projection_stats(N.project(memory), N.Roles.of("signatory", None))["actors"]


# ---------------------------------------------------------------------------- a SPARQL endpoint


@pytest.fixture(scope="module")
def endpoint(graph, tmp_path_factory):
    """A stock Oxigraph server (default graph only) holding the bundled graph, as `kg push` leaves it."""
    from servers import start_oxigraph, stop

    from kg.backends.endpoint import EndpointBackend, push

    proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph-network"))
    try:
        push(graph, f"{base}/store")
        yield EndpointBackend(f"{base}/query")
    finally:
        stop(proc)


@pytest.mark.endpoint
def test_the_same_figures_from_an_endpoint(graph, endpoint):
    assert N.stats(endpoint) == N.stats(graph)
    assert N.stats(endpoint, start="2020-06-30") == N.stats(graph, start="2020-06-30")
    kwargs = {"split_at": [NSL], "exclude_roles": "addressee", "top": 5}
    assert N.central_windows(endpoint, "betweenness", **kwargs) == N.central_windows(graph, "betweenness", **kwargs)
    assert N.bipartite(endpoint, roles="signatory").number_of_edges() == 88


def test_an_empty_role_list_is_an_error_not_every_role(graph, invoke):
    with pytest.raises(UsageError, match="--roles needs role names"):
        N.co_participation(graph, roles=" , ")
    r = invoke("network", "central", "--exclude-roles", "")
    assert r.exit_code == 2 and "--exclude-roles needs role names" in r.output


@pytest.mark.parametrize("window", [{}, {"start": "2020-06-30"}, {"end": "2020-06-29"}])
def test_the_actor_network_reads_participations_only_and_equals_the_full_projections(graph, window):
    spy = Recording(graph)
    light = N.co_participation(spy, **window)
    full = N.co_participation(N.project(graph, **window))
    assert list(light.nodes(data=True)) == list(full.nodes(data=True))
    assert list(light.edges(data=True)) == list(full.edges(data=True))
    B = N.bipartite(graph, **window)
    assert list(B.edges(keys=True, data=True)) == list(
        N.bipartite(N.project(graph, **window)).edges(keys=True, data=True)
    )
    if window:  # no place was described: only events and the actors they reach
        places = {n for n, k in N.project(graph).nodes(data="kind") if k == "place"}
        assert not places & set(spy.described)
        assert spy.queries and not any(f"<{p}>" in q for p in places for q in spy.queries)


def test_whole_graph_stats_count_actors_without_a_role(graph):
    """Events whose actors have no role (sem:hasActor alone), beside events with roles."""
    import pyoxigraph as ox

    from kg.backends.memory import MemoryBackend
    from kg.network.measures import projection_stats

    triples = graph.query(
        """CONSTRUCT { ?e a sem:Event ; rdfs:label ?l ; sem:hasEarliestBeginTimeStamp ?b ;
                        sem:hasLatestBeginTimeStamp ?lb ; sem:eventType ?t ; sem:hasActor ?a ; ?role ?r .
                       ?a a sem:Actor . ?r a sem:Actor }
           WHERE { ?e a sem:Event ; rdfs:label ?l ; sem:hasEarliestBeginTimeStamp ?b ;
                      sem:hasLatestBeginTimeStamp ?lb ; sem:eventType ?t ; sem:hasActor ?a .
                   OPTIONAL { ?e ?role ?r . ?role rdfs:subPropertyOf hk:role FILTER(CONTAINS(STR(?e), "letter")) } }"""
    )
    store = ox.Store()
    store.load(path=str(ROOT / "schema" / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    mixed = MemoryBackend(store, label="mixed")
    whole = N.stats(mixed)
    assert whole["by_edge"]["actor"] > 10 and whole["by_edge"]["signatory"] >= 86
    assert {k: v for k, v in whole.items() if k not in ("from", "to", "roles")} == projection_stats(N.project(mixed))
    plain = N.stats(mixed, roles="actor")["actors"]
    assert plain == projection_stats(N.project(mixed), N.Roles.of("actor", None))["actors"]


def test_whole_graph_stats_from_the_event_index_count_actors_without_a_role(graph, tmp_path):
    """The same figures from a store's event index (integer links) as from the projection."""
    import pyoxigraph as ox

    from kg.backends.loading import load_files
    from kg.graph import open_store
    from kg.network.measures import projection_stats

    kept = graph.query(
        """CONSTRUCT { ?e a sem:Event ; rdfs:label ?l ; sem:hasEarliestBeginTimeStamp ?b ;
                        sem:hasLatestBeginTimeStamp ?lb ; sem:eventType ?t ; sem:hasActor ?a ; ?role ?r ;
                        sem:hasPlace ?p . ?a a sem:Actor . ?r a sem:Actor . ?p a sem:Place }
           WHERE { ?e a sem:Event ; rdfs:label ?l ; sem:hasEarliestBeginTimeStamp ?b ;
                      sem:hasLatestBeginTimeStamp ?lb ; sem:eventType ?t ; sem:hasActor ?a .
                   OPTIONAL { ?e sem:hasPlace ?p }
                   OPTIONAL { ?e ?role ?r . ?role rdfs:subPropertyOf hk:role FILTER(CONTAINS(STR(?e), "letter")) } }"""
    )
    (tmp_path / "g.nt").write_bytes(ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES))
    with open_store(tmp_path / "store", create=True) as store:
        load_files(store, [tmp_path / "g.nt"])
        assert store.event_index is not None and store.event_index.describes
        P = N.project(store)
        whole = N.stats(store)
        assert whole["by_edge"]["actor"] > 10 and whole["by_edge"]["place"] > 10
        assert {k: v for k, v in whole.items() if k not in ("from", "to", "roles")} == projection_stats(P)
        for roles in ("actor", "signatory"):
            expected = projection_stats(P, N.Roles.of(roles, None))["actors"]
            assert N.stats(store, roles=roles)["actors"] == expected
