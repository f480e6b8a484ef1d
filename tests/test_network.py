"""kg.network and `kg network`: the projection, the actor network, the measures, on the real data."""

from __future__ import annotations

import csv
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
    rows = list(csv.DictReader(io.StringIO(invoke("network", "central", "--format", "csv", "--top", "3").output)))
    assert len(rows) == 3 and set(rows[0]) == {"rank", "label", "kind", "score", "degree", "events", "id"}
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
