"""The event index of on-disk stores: built while loading or by a scan, kept in step, and
giving the same timelines as SPARQL."""

from __future__ import annotations

import bisect
import itertools

import pyoxigraph as ox
import pytest

from kg.backends.event_index import FILENAME, EventIndex, IndexedEvent
from kg.backends.index_builder import IndexBuilder
from kg.backends.index_graph import index_token, invalidate_index
from kg.backends.loading import load_files
from kg.backends.memory import MemoryBackend
from kg.backends.store import reindex
from kg.graph import KnowledgeGraph, open_store
from kg.namespaces import RDFS, SEM

FILTERS = [
    {},
    {"start": "2020-06-30", "end": "2020-06-30"},
    {"start": "2020-05-01", "end": "2020-07-31"},
    {"start": "2021-06-01"},
    {"end": "2019-12-31"},
    {"actor": "Li Zhanshu"},
    {"actor": "Amnesty International"},
    {"actor": "Amnesty International", "start": "2021-01-01", "end": "2021-12-31"},
    {"actor": "Amnesty International", "start": "2019-06-01", "end": "2019-06-30"},
    {"actor": "Li Zhanshu", "end": "2020-06-30"},
    {"actor": "Amnesty International", "type": "statement"},
    {"start": "2020-01-01", "end": "2020-12-31", "type": "statement"},
]


@pytest.fixture(scope="module")
def stored(graph, tmp_path_factory):
    """The bundled graph loaded as N-Triples in small pieces, indexed from the text."""
    where = tmp_path_factory.mktemp("indexed")
    graph.export("nt", where / "g.nt")
    store = open_store(where / "store", create=True)
    load_files(store, [where / "g.nt"], chunk_bytes=4096)
    return store


def _index(store):
    index = store.event_index
    assert index is not None and index.describes
    events = [e.iri for e in index.select()]
    facts = sorted(index.event_facts(events, index.predicates()))
    return index.select(), index.actor_counts(), index.date_range(), facts


def _sparql(store):
    """The same Oxigraph store without its event index: every read by SPARQL."""
    return KnowledgeGraph(store.store, label="sparql", union=None)


def test_a_loaded_store_has_an_index_in_step(stored, graph):
    assert stored.event_index is not None
    assert len(stored.event_index) == len(graph.timeline())
    assert stored.date_index() == graph.date_index()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_indexed_timelines_equal_the_sparql_ones(stored, graph, filters):
    assert stored.timeline(**filters) == graph.timeline(**filters)
    assert stored.events(**filters) == graph.events(**filters)


def test_events_carry_dates_and_labels_in_timeline_order(stored):
    found = stored.events(start="2020-06-30", end="2020-06-30")
    assert "Entry into force of the Hong Kong national security law" in [e.label for e in found]
    assert all(e.earliest_begin <= "2020-06-30" <= e.latest_begin for e in found)
    assert found == sorted(found, key=lambda e: (e.earliest_begin, e.latest_begin, e.iri))


def test_index_read_from_text_equals_index_from_a_scan(graph, stored, tmp_path):
    graph.export("ttl", tmp_path / "g.ttl")  # Turtle is indexed by scanning the store
    scanned = open_store(tmp_path / "s", create=True)
    load_files(scanned, [tmp_path / "g.ttl"])
    assert _index(scanned) == _index(stored)


def test_nquads_in_pieces_index_like_triples(graph, stored, tmp_path):
    graph.export("nq", tmp_path / "g.nq")
    quads = open_store(tmp_path / "s", create=True)
    load_files(quads, [tmp_path / "g.nq"], chunk_bytes=2048)
    assert _index(quads) == _index(stored)


def test_loading_in_two_steps_indexes_like_one(graph, stored, tmp_path):
    lines = graph.export("nt").decode().splitlines(keepends=True)
    half = len(lines) // 2
    (tmp_path / "a.nt").write_text("".join(lines[:half]))
    (tmp_path / "b.nt").write_text("".join(lines[half:]))
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [tmp_path / "a.nt"])
    first = store.event_index
    load_files(store, [tmp_path / "b.nt"])
    assert store.event_index.token != first.token
    assert _index(store) == _index(stored)


def test_a_second_load_keeps_the_labels_of_the_linked_nodes(graph, stored, tmp_path):
    """The index names the actors, places and sources events link to; a load on top of it
    keeps those names (else every one the new files do not label again is asked of the store)."""
    import sqlite3

    def names(store) -> dict[str, str | None]:
        with sqlite3.connect(store.location / FILENAME) as db:
            return dict(db.execute("SELECT iri, label FROM nodes"))

    graph.export("nt", tmp_path / "g.nt")
    (tmp_path / "more.nt").write_text('<urn:x:p> <http://www.w3.org/2000/01/rdf-schema#label> "not linked" .\n')
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [tmp_path / "g.nt"])
    load_files(store, [tmp_path / "more.nt"])
    assert names(store) == names(stored) and sum(v is not None for v in names(stored).values()) > 100


def test_a_store_loaded_before_any_index_is_scanned_on_the_next_load(graph, stored, tmp_path):
    graph.export("nt", tmp_path / "g.nt")
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [tmp_path / "g.nt"])
    (tmp_path / "s" / FILENAME).unlink()  # as a store made by an older kg
    del store
    store = open_store(tmp_path / "s")
    assert store.event_index is None
    (tmp_path / "empty.nt").write_text("")
    load_files(store, [tmp_path / "empty.nt"])
    assert _index(store) == _index(stored)


def test_a_store_changed_by_other_means_falls_back_to_sparql_until_reindexed(graph, stored, tmp_path, invoke):
    graph.export("nt", tmp_path / "g.nt")
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [tmp_path / "g.nt"])
    event = ox.NamedNode("https://example.org/event/new")
    day = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    invalidate_index(store.store)  # what `kg serve --writable` does before clients write
    for p, o in [
        (SEM + "hasEarliestBeginTimeStamp", ox.Literal("2020-06-30", datatype=day)),
        (SEM + "hasLatestBeginTimeStamp", ox.Literal("2020-06-30", datatype=day)),
        (SEM + "eventType", ox.NamedNode("https://w3id.org/hk-timeline-kg/ns/event-type/protest")),
        (RDFS + "label", ox.Literal("A protest added by hand", language="en")),
    ]:
        store.store.add(ox.Quad(event, ox.NamedNode(p), o))
    store.store.flush()
    del store
    reopened = open_store(tmp_path / "s", read_only=True)
    assert reopened.event_index is None
    labels = [e["label"] for e in reopened.timeline(start="2020-06-30", end="2020-06-30")]
    assert "A protest added by hand" in labels  # SPARQL sees the change
    del reopened
    result = invoke("--store", str(tmp_path / "s"), "reindex")
    assert result.exit_code == 0, result.output
    assert f"indexed {len(graph.timeline()) + 1} events" in result.output
    again = open_store(tmp_path / "s", read_only=True)
    assert again.event_index is not None
    assert [e["label"] for e in again.timeline(start="2020-06-30", end="2020-06-30")] == labels


def test_a_failed_load_leaves_the_index_marked_out_of_step(graph, tmp_path):
    graph.export("nt", tmp_path / "g.nt")
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [tmp_path / "g.nt"])
    bad = tmp_path / "bad.nt"
    bad.write_text('<urn:a> <urn:b> "fine" .\n' * 500 + "<urn:a> <urn:b> broken .\n")
    with pytest.raises(Exception, match="bad.nt"):
        load_files(store, [bad], chunk_bytes=1024)
    assert store.event_index is None  # part of the file may be in the store
    assert index_token(store.store) is None  # and a later reader will not trust the index either
    assert sorted(p.name for p in (tmp_path / "s").glob("kg-event-index*")) == [FILENAME]


def test_reindex_of_a_graph_in_memory_keeps_only_the_index_graph(graph):
    copy = MemoryBackend(ox.Store(), union=True)
    copy.store.extend(graph.store)
    reindex(copy)
    low, high, span = graph.date_index()
    assert copy.select(
        "SELECT ?min ?max ?span WHERE { GRAPH <https://w3id.org/hk-timeline-kg/graph/index> {"
        " ?g hk:minEarliestBegin ?min ; hk:maxEarliestBegin ?max ; hk:maxBeginSpanDays ?span } }"
    ) == [{"min": low.isoformat(), "max": high.isoformat(), "span": span}]


def test_an_index_that_does_not_match_the_token_is_not_opened(stored):
    assert EventIndex.open(stored.location, stored.event_index.token) is not None
    assert EventIndex.open(stored.location, "another token") is None


def test_text_is_read_as_ntriples_writes_it(tmp_path):
    text = (
        b'# <urn:e> <http://www.w3.org/2000/01/rdf-schema#label> "a comment" .\n'
        b'<urn:e>\t<http://www.w3.org/2000/01/rdf-schema#label>  "tab \\"quoted\\" \\u00e9\\n"@en  .\r\n'
        b'<urn:e> <urn:note> "<urn:x> <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> <urn:y> ." .\n'
        b"<urn:e> <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> <urn:a\\u0031> <urn:graph> .\n"
        b"<urn:e> <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> _:b0 .\n"
        b"<urn:e> <http://semanticweb.cs.vu.nl/2009/11/sem/eventType> <urn:protest> .\n"
        b'<urn:e>  <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp> "2020-06-30"'
        b"^^<http://www.w3.org/2001/XMLSchema#date> . # trailing comment\n"
        b'<urn:e> <http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestBeginTimeStamp> "2020-07-01T12:00:00Z"'
        b"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
        b'<urn:f> <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp> "2020-06-30"'
        b"^^<http://www.w3.org/2001/XMLSchema#date> .\n"  # no type, no latest begin: not an event
    )
    builder = IndexBuilder(tmp_path)
    builder.add_ntriples(text)
    index = builder.commit("t")
    assert index.select() == [IndexedEvent("urn:e", "2020-06-30", "2020-07-01", 'tab "quoted" é\n')]
    assert index.actor_counts() == [("urn:a1", 1)]


def test_blank_nodes_cut_across_pieces_stay_one_node_and_apart_from_other_files(tmp_path):
    lines = [
        f'_:ann{i} <http://www.w3.org/ns/oa#hasTarget> _:t{i} .\n_:t{i} <urn:exact> "quote {i}" .\n' for i in range(400)
    ]
    text = "".join(lines) + '_:ann0 <urn:late> "the first annotation, far from its other lines" .\n'
    (tmp_path / "a.nt").write_text(text)
    (tmp_path / "b.nt").write_text('_:ann0 <urn:other> "another file\'s node" .\n')
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [tmp_path / "a.nt", tmp_path / "b.nt"], chunk_bytes=1024)  # dozens of pieces
    rows = store.select(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a <http://www.w3.org/ns/oa#hasTarget>/<urn:exact> ?q }"
    )
    assert rows == [{"n": 400}]
    late = store.select("SELECT ?q WHERE { ?a <urn:late> ?x ; <http://www.w3.org/ns/oa#hasTarget>/<urn:exact> ?q }")
    assert late == [{"q": "quote 0"}]
    assert store.select("SELECT ?a WHERE { ?a <urn:other> ?x ; <http://www.w3.org/ns/oa#hasTarget> ?t }") == []


def test_pieces_whose_blank_nodes_no_other_piece_names_go_to_oxigraphs_loader(tmp_path):
    """Evidence written node by node (CONTRACT.md's shape) makes closed pieces, cut between two
    annotations; a label named again far away opens the pieces that name it, and only those."""
    from kg.backends.pieces import plan as _plan

    def annotation(i: int) -> str:
        return (
            f'<urn:e{i}> <urn:label> "event {i}" .\n_:a{i} <http://www.w3.org/ns/oa#hasBody> <urn:e{i}> .\n'
            f'_:a{i} <http://www.w3.org/ns/oa#hasTarget> _:t{i} .\n_:t{i} <urn:exact> "quote {i}" .\n'
        )

    text = "".join(annotation(i) for i in range(300))
    path = tmp_path / "a.nt"
    path.write_text(text)
    plan = _plan(path, 1024)
    assert len(plan) > 10 and all(closed for _, closed in plan)
    assert sum(n for n, _ in plan) == len(text)
    path.write_text(text + '_:t7 <urn:late> "far from its other lines" .\n')
    plan = _plan(path, 1024)
    ends = list(itertools.accumulate(n for n, _ in plan))
    holding = bisect.bisect_right(ends, text.index("_:t7 "))  # the piece with annotation 7
    assert [i for i, (_, closed) in enumerate(plan) if not closed] == [holding, len(plan) - 1]
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [path], chunk_bytes=1024)
    assert store.select("SELECT ?q WHERE { ?t <urn:late> ?x ; <urn:exact> ?q }") == [{"q": "quote 7"}]
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?a <http://www.w3.org/ns/oa#hasTarget>/<urn:exact> ?q }")
    assert rows == [{"n": 300}]


# ---------------------------------------------------------------------------- descriptions


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_descriptions_from_the_index_equal_those_of_sparql(stored, filters):
    assert stored.event_index.describes
    assert stored.timeline(**filters) == _sparql(stored).timeline(**filters)


def test_an_index_without_descriptions_falls_back_to_sparql(graph, tmp_path):
    import sqlite3

    graph.export("nt", tmp_path / "g.nt")
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [tmp_path / "g.nt"])
    store.close()
    with sqlite3.connect(tmp_path / "s" / FILENAME) as db:  # as the previous kg wrote it
        db.executescript(
            "DROP TABLE event_links; DROP TABLE event_values; DROP TABLE nodes; DROP TABLE predicates;"
            " DELETE FROM meta WHERE key = 'describes';"
        )
    with open_store(tmp_path / "s", read_only=True) as old:
        assert old.event_index is not None and not old.event_index.describes
        assert old.timeline() == graph.timeline()
        assert old.show("Amnesty International") == graph.show("Amnesty International")
        more = tmp_path / "more.nt"
        more.write_text("")
    with open_store(tmp_path / "s") as old:
        load_files(old, [more])  # loading on top of it keeps it working, still without descriptions
        assert not old.event_index.describes and old.timeline() == graph.timeline()
        reindex(old)  # kg reindex adds them
        assert old.event_index.describes and old.timeline() == graph.timeline()


def test_a_role_the_ontology_does_not_know_is_described(tmp_path):
    hk, sem = "https://w3id.org/hk-timeline-kg/ns/", SEM
    day = "^^<http://www.w3.org/2001/XMLSchema#date>"
    (tmp_path / "g.nt").write_text(
        f'<urn:moderator> <{RDFS}subPropertyOf> <{hk}role> .\n<urn:moderator> <{RDFS}label> "moderator" .\n'
        f'<urn:e> <{sem}eventType> <urn:debate> .\n<urn:e> <{RDFS}label> "A debate" .\n'
        f'<urn:e> <{sem}hasEarliestBeginTimeStamp> "2020-06-30"{day} .\n'
        f'<urn:e> <{sem}hasLatestBeginTimeStamp> "2020-06-30"{day} .\n'
        f'<urn:e> <{sem}hasActor> <urn:ann> .\n<urn:e> <urn:moderator> <urn:ann> .\n<urn:ann> <{RDFS}label> "Ann" .\n'
    )
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [tmp_path / "g.nt"])  # the role is declared in the file itself
    expected = [{"actor": "Ann", "role": "moderator"}]
    assert [e["roles"] for e in store.timeline()] == [expected]
    reindex(store)  # a scan knows the store's roles: the index keeps this one
    assert "urn:moderator" in store.event_index.predicates()
    assert [e["roles"] for e in store.timeline()] == [expected]
    assert store.timeline() == _sparql(store).timeline()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """3,000 synthetic events with CONTRACT.md's blank-node evidence (benchmarks/synth.py) in
    an on-disk store, loaded in small pieces."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synth import generate

    where = tmp_path_factory.mktemp("synthetic")
    with (where / "g.nt").open("w", encoding="utf-8") as fh:
        generate(3000, fh, blank_evidence=True)
    store = open_store(where / "store", create=True)
    load_files(store, [where / "g.nt"], chunk_bytes=256 * 1024)
    return store


def test_synthetic_descriptions_equal_those_of_sparql(synthetic):
    (busiest, _), *_ = synthetic.event_index.actor_counts()
    for filters in ({"start": "2015-03-01", "end": "2015-03-31"}, {"actor": busiest}, {"type": "statement"}):
        described = synthetic.timeline(**filters)
        assert described and described == _sparql(synthetic).timeline(**filters)
        assert all(e["type"] and e["edtf"] and e["actors"] and e["sources"] for e in described)


def test_the_busiest_actors_page_lists_a_few_events_and_counts_them_all(synthetic):
    from kg.explore.show import EVENTS_SHOWN, render

    (busiest, count), *_ = synthetic.event_index.actor_counts()
    page = synthetic.show(busiest)
    assert page == _sparql(synthetic).show(busiest)
    assert page["event_count"] == count == len(synthetic.events(actor=busiest)) > EVENTS_SHOWN
    first = [e.iri.rsplit("/id/", 1)[1] for e in synthetic.events(actor=busiest)[:EVENTS_SHOWN]]
    assert sorted(dict.fromkeys(e["id"] for e in page["events"])) == sorted(first)
    assert all(e["role"] for e in page["events"])  # each listed with its role
    assert sum(page["roles"].values()) == count  # each event gives it one role
    assert "Roles:" in render(page) and not page["incoming"]
    text = render(page)
    assert f"Events (the first {EVENTS_SHOWN} of {count:,}; all: kg timeline --actor {page['id']})" in text
    assert len(text.splitlines()) < 4 * EVENTS_SHOWN
    place = synthetic.show("place/p0")
    assert place["incoming_counts"]["sem:hasPlace"] > EVENTS_SHOWN == len(place["incoming"])
    assert place == _sparql(synthetic).show("place/p0")


def test_the_index_gives_integer_links_and_names_their_nodes(synthetic):
    index = synthetic.event_index
    first = synthetic.events(start="2015-03-01", end="2015-03-31")[0]
    ids = index.event_ids([first.iri])
    links = index.links(list(ids.values()), [SEM + "hasActor"])
    names = index.nodes(n for _, _, n in links)
    actors = {names[n][0] for _, p, n in links if p == SEM + "hasActor"}
    quads = synthetic.store.quads_for_pattern(ox.NamedNode(first.iri), ox.NamedNode(SEM + "hasActor"), None)
    assert actors == {q.object.value for q in quads}
    assert all(label and label.startswith("Actor ") for _, label in names.values())
