"""On-disk stores: kg load, kg --store, kg import (ACLED and GDELT layouts), kg validate --store."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

import kg
from kg.backends.loading import load_files
from kg.curate.importer import import_table, read_mapping
from kg.graph import open_store
from kg.namespaces import OWL

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
    "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
    "tags,timestamp"
)
ACLED_ROWS = [
    "HKG1,2020-05-24,2020,1,Demonstrations,Protests,Peaceful protest,Protesters (Hong Kong),Civil Human Rights"
    " Front,6,,,0,60,,344,East Asia,China,Hong Kong,,,Causeway Bay,22.28,114.18,1,Paper,National,"
    '"Protesters marched against the ""national security law"".",0,,1',
    "HKG2,2020-07-01,2020,2,Political violence,Violence against civilians,Arrests,Hong Kong Police Force,,1,"
    "Protesters (Hong Kong),,6,16,Civilians targeted,344,East Asia,China,Hong Kong,,,Causeway Bay,22.28,"
    "114.18,1,Paper,National,Arrests on the first day of the law.,0,,1",
    "HKG3,2021-06-04,2021,3,Demonstrations,Protests,Peaceful protest,Protesters (Hong Kong),,6,,,0,60,,344,"
    "East Asia,China,Hong Kong,,,Victoria Park,22.28,114.19,1,Paper,National,Vigil.,0,,1",
]


def _gdelt_row(event_id: str, day: str, actor1: str, actor2: str, root: str, place: str) -> str:
    cols = [""] * 61
    cols[0], cols[1], cols[6], cols[16] = event_id, day, actor1, actor2
    cols[26], cols[27], cols[28], cols[52] = root + "1", root + "1", root, place
    cols[60] = f"https://news.example.org/{event_id}"
    return "\t".join(cols)


@pytest.fixture
def acled(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text("\n".join([ACLED_HEADER, *ACLED_ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def gdelt(tmp_path):
    path = tmp_path / "20200630.export.CSV"
    rows = [
        _gdelt_row("900001", "20200630", "HONG KONG", "CHINA", "14", "Hong Kong, Hong Kong (general), Hong Kong"),
        _gdelt_row("900002", "20200701", "POLICE", "PROTESTER", "17", "Hong Kong, Hong Kong (general), Hong Kong"),
        _gdelt_row(
            "900003", "20211025", "AMNESTY INTERNATIONAL", "", "01", "Hong Kong, Hong Kong (general), Hong Kong"
        ),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_load_exports_into_a_store_gives_the_same_timeline(graph, tmp_path):
    exported = tmp_path / "g.trig"
    graph.export("trig", exported)
    store = open_store(tmp_path / "store", create=True)
    load_files(store, [exported])
    assert [e["id"] for e in store.timeline()] == [e["id"] for e in graph.timeline()]
    assert store.timeline(actor="NPCSC") == graph.timeline(actor="NPCSC")


def test_triples_file_gets_no_second_copy_of_the_ontology(graph, tmp_path):
    path = tmp_path / "g.nt"
    graph.export("nt", path)
    store = open_store(tmp_path / "store", create=True)
    load_files(store, [path])
    import pyoxigraph as ox

    header = (ox.NamedNode("https://w3id.org/hk-timeline-kg/ns/"), None, ox.NamedNode(OWL + "Ontology"), None)
    assert len(list(store.store.quads_for_pattern(*header))) == 1
    index = ox.NamedNode("https://w3id.org/hk-timeline-kg/graph/index")
    assert sum(q.graph_name != index for q in store.store) == len(graph.triples())
    assert not store.union  # triples stay in the default graph, the fast one to query


def test_load_keeps_the_index_graph_in_step(graph, tmp_path):
    path = tmp_path / "g.nq"
    graph.export("nq", path)
    store = open_store(tmp_path / "store", create=True)
    load_files(store, [path])
    counts = store.select(
        "SELECT ?n WHERE { GRAPH <https://w3id.org/hk-timeline-kg/graph/index> { ?a hk:eventCount ?n }"
        " ?a rdfs:label 'Li Zhanshu'@en }"
    )
    assert counts == [{"n": len(graph.timeline(actor="Li Zhanshu"))}]
    assert store.date_index() == graph.date_index()


def test_cli_load_then_query_the_store(invoke, graph, tmp_path):
    path = tmp_path / "g.ttl"
    graph.export("ttl", path)
    result = invoke("load", str(path), "--store", str(tmp_path / "s"))
    assert result.exit_code == 0
    assert "loaded" in result.stderr
    result = invoke("--store", str(tmp_path / "s"), "timeline", "--actor", "Amnesty International", "--format", "json")
    labels = [e["label"] for e in json.loads(result.stdout)]
    assert "Amnesty International announces the closure of its Hong Kong offices" in labels
    result = invoke("--store", str(tmp_path / "s"), "query", "signatories", "--format", "csv")
    rows = result.stdout.splitlines()[1:]
    assert sum(r.startswith("Open letter of 86 organisations") for r in rows) == 86


def test_missing_store_is_a_usage_error(invoke, tmp_path):
    result = invoke("--store", str(tmp_path / "nothing"), "timeline")
    assert result.exit_code == 2
    assert "kg load" in result.stderr


def test_bad_rdf_file_names_the_file(invoke, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    result = invoke("load", str(bad), "--store", str(tmp_path / "s"))
    assert result.exit_code == 3
    assert "bad.ttl" in result.stderr


def test_import_acled_meets_the_contract(acled, tmp_path):
    graph = open_store(tmp_path / "s", create=True)
    summary = import_table(acled, "acled", graph)
    assert (summary.rows, summary.events, summary.skipped) == (3, 3, [])
    events = {e["id"]: e for e in graph.timeline()}
    assert events["acled-hkg1"]["edtf"] == "2020-05-24"
    assert events["acled-hkg1"]["type"] == "protest"
    assert events["acled-hkg2"]["edtf"] == "[2020-06-28..2020-07-04]"  # time_precision 2: within a week
    assert events["acled-hkg3"]["edtf"] == "2021-06"  # time_precision 3: the month
    assert {"actor": "Protesters (Hong Kong)", "role": "target"} in events["acled-hkg2"]["roles"]
    report = graph.validate(acled.parent)
    assert report.conforms, report.render()
    assert report.checked_quotes >= 3


def test_import_gdelt_layout(gdelt, tmp_path):
    graph = open_store(tmp_path / "s", create=True)
    summary = import_table(gdelt, "gdelt", graph)
    assert summary.events == 3
    events = {e["id"]: e for e in graph.timeline()}
    assert events["gdelt-900001"]["type"] == "protest"
    assert events["gdelt-900002"]["type"] == "repression"
    assert events["gdelt-900003"]["actors"] == ["AMNESTY INTERNATIONAL"]
    assert events["gdelt-900003"]["places"] == ["Hong Kong, Hong Kong (general), Hong Kong"]
    assert graph.validate(gdelt.parent).conforms


def test_bad_row_aborts_without_touching_the_store(invoke, acled, tmp_path):
    with acled.open("a", encoding="utf-8") as fh:
        fh.write("HKG4,2020-13-01,2020,1,,Protests,x,Someone,,,,,,,,,,,,,,Here,,,,,,n,0,,1\n")
    store = tmp_path / "s"
    result = invoke("import", str(acled), "--mapping", "acled", "--store", str(store))
    assert result.exit_code == 3
    assert "acled.csv:5" in result.stderr and "2020-13-01" in result.stderr
    assert not store.exists()
    result = invoke("import", str(acled), "--mapping", "acled", "--store", str(store), "--skip-bad")
    assert result.exit_code == 0
    assert "3 events from 4 rows (1 skipped)" in result.stderr


def test_a_failed_import_into_an_existing_store_adds_nothing(acled, graph, tmp_path):
    target = open_store(tmp_path / "s", create=True)
    import_table(acled, "acled", target)
    before = len(target)
    with acled.open("a", encoding="utf-8") as fh:
        fh.write("HKG9,2020-02-01,2020,1,,Unknown type,x,Someone,,,,,,,,,,,,,,Here,,,,,,n,0,,1\n")
    with pytest.raises(kg.DataError, match="acled.csv:5"):
        import_table(acled, "acled", target)
    assert len(target) == before


def test_mapping_mistakes_are_reported(tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text("id: '{a}'\nlabel: '{b}'\ndate: {column: d}\ntype: protest\nactors:\n  - {column: x, role: boss}\n")
    with pytest.raises(kg.DataError, match="role 'boss'"):
        read_mapping(bad)


def test_validate_store_option(invoke, acled, tmp_path):
    invoke("import", str(acled), "--mapping", "acled", "--store", str(tmp_path / "s"))
    result = invoke("validate", "--store", str(tmp_path / "s"), "--sources", str(acled.parent))
    assert result.exit_code == 0, result.stdout
    assert "OK" in result.stdout


def test_pieces_load_the_same_as_a_whole_file(graph, tmp_path):
    path = tmp_path / "g.nt"
    graph.export("nt", path)
    whole = open_store(tmp_path / "whole", create=True)
    load_files(whole, [path], chunk_bytes=0)
    pieces = open_store(tmp_path / "pieces", create=True)
    load_files(pieces, [path], chunk_bytes=4096)  # hundreds of pieces

    def content(store):  # the event index tokens differ: each index build has its own
        return sorted(str(q) for q in store.store if not q.predicate.value.endswith("eventIndexToken"))

    assert content(whole) == content(pieces)


def test_blank_nodes_are_not_split_between_pieces(tmp_path):
    path = tmp_path / "b.nt"
    plain = [f'<urn:s{i}> <urn:q> "{i}" .' for i in range(1000)]  # pieces without blank nodes first
    lines = plain + [f'_:n{i % 7} <urn:p> "{i}" .' for i in range(2000)]
    path.write_text("\n".join(lines) + "\n")
    store = open_store(tmp_path / "s", create=True)
    load_files(store, [path], chunk_bytes=1024)
    subjects = {
        q.subject for q in store.store.quads_for_pattern(None, None, None, None) if str(q.predicate) == "<urn:p>"
    }
    assert len(subjects) == 7
    assert sum(1 for q in store.store if str(q.predicate) == "<urn:q>") == 1000


@pytest.mark.parametrize("subject", ["<urn:s{i}>", "_:n{i}"])  # pieces given to Oxigraph as text, or parsed
def test_a_syntax_error_in_a_later_piece_names_its_line_in_the_file(tmp_path, subject):
    lines = [f'{subject.format(i=i % 50)} <urn:p> "{i}" .' for i in range(3000)]
    lines[2345] = '<urn:x> <urn:p> "no end .'
    path = tmp_path / "bad.nt"
    path.write_text("\n".join(lines) + "\n")
    store = open_store(tmp_path / "s", create=True)
    with pytest.raises(kg.DataError, match=r"bad\.nt: N-Triples syntax error: .*\bline 2346 column") as found:
        load_files(store, [path], chunk_bytes=1024)  # about a hundred pieces
    assert "line 2346 column" in str(found.value) and str(found.value).count("line ") == 1


def test_each_file_keeps_its_own_blank_nodes(tmp_path):
    """A file loaded first into an empty store keeps its labels; the same labels in a second
    file, in the same load or a later one, are other nodes."""
    path = tmp_path / "b.nt"
    path.write_text("".join(f'_:n{i % 7} <urn:p> "{i}" .\n' for i in range(2000)))

    def subjects(store) -> int:
        return len({q.subject for q in store.store.quads_for_pattern(None, ox.NamedNode("urn:p"), None, None)})

    together = open_store(tmp_path / "together", create=True)
    load_files(together, [path, path], chunk_bytes=1024)
    assert subjects(together) == 14
    later = open_store(tmp_path / "later", create=True)
    load_files(later, [path], chunk_bytes=1024)
    load_files(later, [path], chunk_bytes=1024)
    assert subjects(later) == 14


def test_big_inputs_are_indexed_in_a_process_of_their_own(graph, tmp_path, monkeypatch):
    """Above the size that sends indexing to a child process, the store gets the same event
    index (events, descriptions) as when a thread builds it."""
    from kg.backends import loading

    path = tmp_path / "g.nt"
    graph.export("nt", path)
    on_thread = open_store(tmp_path / "thread", create=True)
    load_files(on_thread, [path])
    monkeypatch.setattr(loading, "_PROCESS_BYTES", 0)
    made = []
    child = loading._index_apart
    monkeypatch.setattr(loading, "_index_apart", lambda *args: made.append(child(*args)) or made[-1])
    apart = open_store(tmp_path / "apart", create=True)
    load_files(apart, [path])
    assert made and made[0] is not None  # the child wrote it (else the store would have been scanned)
    assert apart.event_index is not None and apart.event_index.describes
    assert apart.timeline() == on_thread.timeline() != []
    assert not list(tmp_path.glob("apart/*.staging")) and not list(tmp_path.glob("apart/*.tmp"))


@pytest.mark.parametrize("compact_bytes", [None, 0], ids=["small load", "at the compaction threshold"])
def test_a_small_load_into_a_store_leaves_its_files_shared(tmp_path, monkeypatch, compact_bytes):
    """`kg load` and `kg import` load into a copy of the store made of hard links to its
    files; compacting the copy rewrites every file, so a few rows added to a big store would
    cost a copy of it. Only a big load compacts."""
    from kg.backends import loading
    from kg.backends.safe_load import staged_store

    if compact_bytes is not None:
        monkeypatch.setattr(loading, "COMPACT_BYTES", compact_bytes)
    big = tmp_path / "big.nt"
    big.write_text("".join(f'<urn:s{i}> <urn:p{i % 7}> "value number {i}" .\n' for i in range(100_000)))
    small = tmp_path / "small.nt"
    small.write_text('<urn:x> <urn:p> "a few rows" .\n')
    with open_store(tmp_path / "s", create=True) as store:
        load_files(store, [big])

    def rewritten(directory) -> float:  # the part of the copy's files not shared with the store
        files = [f.stat() for f in directory.glob("*.sst")]
        return sum(s.st_size for s in files if s.st_nlink == 1) / sum(s.st_size for s in files)

    with staged_store(tmp_path / "s", "load") as new:
        with open_store(new, create=True) as copy:
            load_files(copy, [small])
        share = rewritten(new)
    assert share < 0.1 if compact_bytes is None else share > 0.9
