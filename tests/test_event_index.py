"""The event index of on-disk stores: built while loading or by a scan, kept in step, and
giving the same timelines as SPARQL."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.backends.event_index import FILENAME, EventIndex, IndexedEvent
from kg.backends.index_builder import IndexBuilder
from kg.backends.loading import load_files
from kg.backends.store import index_token, invalidate_index, open_store, reindex
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
    assert index is not None
    return index.select(), index.actor_counts(), index.date_range()


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
    from kg.backends.memory import KnowledgeGraph

    copy = KnowledgeGraph(ox.Store(), union=True)
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
