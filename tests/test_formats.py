"""GraphML, GEXF, CSV node/edge lists and TimelineJS: read back, checked against their formats,
byte-stable across processes, published in export/."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from conftest import ROOT

from kg import export as kexport
from kg.export import formats, timelinejs
from kg.network import project

GEXF_NS = "{http://www.gexf.net/1.2draft}"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def P(graph):
    return project(graph)


@pytest.fixture(scope="module")
def files(graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("formats")
    written = {}
    for fmt, name in (
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("timelinejs", "timeline.json"),
        ("nodes-csv", "nodes.csv"),
        ("edges-csv", "edges.csv"),
    ):
        graph.export(fmt, out / name)
        written[fmt] = out / name
    return written


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


# ---------------------------------------------------------------------------- GraphML


def test_graphml_reads_back_with_the_same_counts(files, P):
    G = nx.read_graphml(files["graphml"])
    assert isinstance(G, nx.MultiDiGraph)
    assert (G.number_of_nodes(), G.number_of_edges()) == (P.number_of_nodes(), P.number_of_edges())
    li = G.nodes["actor:li-zhanshu"]
    assert li["iri"] == "https://w3id.org/hk-timeline-kg/id/actor/li-zhanshu"
    assert li["label"] == "Li Zhanshu" and li["kind"] == "person"
    assert li["classes"] == "schema:Person; sem:Actor"  # lists joined, GraphML has none
    labels = {d["label"] for *_, d in G.edges(data=True)}
    assert {"signatory", "addressee", "member of", "motivated by", "part of"} <= labels


def test_graphml_declares_typed_keys_and_holds_no_none(files):
    root = ET.parse(files["graphml"]).getroot()
    keys = root.findall(f"{GRAPHML_NS}key")
    assert keys and all(k.get("attr.type") in ("string", "int", "long", "double", "boolean") for k in keys)
    assert {(k.get("for"), k.get("attr.name")) for k in keys} >= {("node", "label"), ("edge", "predicate")}
    values = [d.text for d in root.iter(f"{GRAPHML_NS}data")]
    assert "None" not in values and all(v for v in values)
    edge_ids = [e.get("id") for e in root.iter(f"{GRAPHML_NS}edge")]
    assert len(set(edge_ids)) == len(edge_ids)


# ---------------------------------------------------------------------------- GEXF


def test_gexf_reads_back_with_the_same_counts(files, P):
    G = nx.read_gexf(files["gexf"])
    assert (G.number_of_nodes(), G.number_of_edges()) == (P.number_of_nodes(), P.number_of_edges())
    assert G.nodes["actor:li-zhanshu"]["label"] == "Li Zhanshu"


def test_gexf_is_dynamic_with_start_and_end(files, P):
    G = nx.read_gexf(files["gexf"])
    assert G.graph["mode"] == "dynamic"
    root = ET.parse(files["gexf"]).getroot()
    graph = root.find(f"{GEXF_NS}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    events = [n for n, d in G.nodes(data=True) if d["kind"] == "event"]
    assert len(events) == 38 and all("start" in G.nodes[e] for e in events)
    assert sum("end" in G.nodes[e] for e in events) == sum(1 for _, d in P.nodes(data=True) if d["end"])
    assert all("start" in d for *_, d in G.edges(data=True) if d.get("kind") == "role")
    # an actor exists from its first event
    li = G.nodes["actor:li-zhanshu"]
    first = min(G.nodes[e]["start"] for e, _ in G.in_edges("actor:li-zhanshu") if G.nodes[e]["kind"] == "event")
    assert li["start"] == first == "2020-05-21" and "end" not in li
    report = G.nodes["event:amnesty-report-june-2021"]
    assert (report["start"], report["end"]) == ("2021-06-01", "2021-06-30")


def _gexf_schema(namespace: str, tmp_path):
    """The official GEXF 1.2 XSD of tests/schemas (see its README), for the namespace the file
    declares: Gephi and networkx write 1.2 files as ``http://www.gexf.net/1.2draft``."""
    from lxml import etree

    for xsd in (ROOT / "tests" / "schemas" / "gexf-1.2").glob("*.xsd"):
        text = xsd.read_text(encoding="utf-8").replace('"http://www.gexf.net/1.2', f'"{namespace}')
        (tmp_path / xsd.name).write_text(text, encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(tmp_path / "gexf.xsd")))


def test_gexf_validates_against_the_official_xsd(files, tmp_path):
    from lxml import etree

    doc = etree.parse(str(files["gexf"]))
    assert doc.getroot().tag == f"{GEXF_NS}gexf"
    schema = _gexf_schema(GEXF_NS.strip("{}"), tmp_path)
    assert schema.validate(doc), schema.error_log
    assert b"networkx_key" not in files["gexf"].read_bytes()
    # the schema is strict: the name networkx puts on <graph> is refused
    doc.getroot().find(f"{GEXF_NS}graph").set("name", "hk-timeline-kg")
    assert not schema.validate(doc)


def test_graphml_loads_in_python_igraph_without_warnings(files, P):
    import warnings

    import igraph

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = igraph.Graph.Read_GraphML(str(files["graphml"]))
    assert (g.vcount(), g.ecount()) == (P.number_of_nodes(), P.number_of_edges())
    assert {"label", "kind", "iri"} <= set(g.vs.attributes())
    assert {"label", "predicate", "key"} <= set(g.es.attributes())


def test_gexf_structure_follows_the_1_2_schema(files):
    """The schema's rules that matter to Gephi, checked one by one (see also the XSD test)."""
    root = ET.parse(files["gexf"]).getroot()
    assert root.tag == f"{GEXF_NS}gexf" and root.get("version") == "1.2"
    meta = root.find(f"{GEXF_NS}meta")
    assert meta.get("lastmodifieddate") is None  # no clock in the bytes
    graph = root.find(f"{GEXF_NS}graph")
    assert graph.get("defaultedgetype") in ("directed", "undirected", "mutual")
    declared = {}
    for attrs in graph.findall(f"{GEXF_NS}attributes"):
        assert attrs.get("class") in ("node", "edge") and attrs.get("mode") in ("static", "dynamic")
        for a in attrs.findall(f"{GEXF_NS}attribute"):
            assert a.get("type") in ("integer", "long", "double", "float", "boolean", "string", "liststring", "anyURI")
            declared[(attrs.get("class"), a.get("id"))] = a.get("type")
    nodes = graph.find(f"{GEXF_NS}nodes").findall(f"{GEXF_NS}node")
    ids = [n.get("id") for n in nodes]
    assert len(ids) == len(set(ids)) and all(n.get("label") for n in nodes)
    edges = graph.find(f"{GEXF_NS}edges").findall(f"{GEXF_NS}edge")
    assert len({e.get("id") for e in edges}) == len(edges)
    for cls, elements in (("node", nodes), ("edge", edges)):
        for el in elements:
            if el.get("start") and el.get("end"):
                assert _date(el.get("start")) <= _date(el.get("end"))
            for bound in ("start", "end"):
                if el.get(bound):
                    _date(el.get(bound))
            for v in el.iter(f"{GEXF_NS}attvalue"):
                assert (cls, v.get("for")) in declared
    for e in edges:
        assert e.get("source") in ids and e.get("target") in ids


def test_gexf_is_written_without_a_timestamp(graph):
    data = formats.gexf(project(graph))
    assert b"lastmodifieddate" not in data and b"NetworkX" not in data


# ---------------------------------------------------------------------------- CSV lists


def test_node_and_edge_lists_in_the_import_layout(files, P):
    nodes = list(csv.DictReader(io.StringIO(files["nodes-csv"].read_text(encoding="utf-8"))))
    edges = list(csv.DictReader(io.StringIO(files["edges-csv"].read_text(encoding="utf-8"))))
    assert list(nodes[0])[:2] == ["Id", "Label"] and list(edges[0])[:5] == ["Source", "Target", "Type", "Id", "Label"]
    assert (len(nodes), len(edges)) == (P.number_of_nodes(), P.number_of_edges())
    ids = {n["Id"] for n in nodes}
    assert all(e["Source"] in ids and e["Target"] in ids and e["Type"] == "Directed" for e in edges)
    assert {"actor:li-zhanshu", "event:open-letter-to-li-zhanshu", "place:hong-kong"} <= ids
    graphml_ids = set(nx.read_graphml(files["graphml"]).nodes)
    assert ids == graphml_ids  # the same ids in every format


# ---------------------------------------------------------------------------- TimelineJS

SLIDE_KEYS = {"start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink", "unique_id"}
DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date", "format"}


def _check_date(d: dict) -> None:
    assert set(d) <= DATE_KEYS and isinstance(d["year"], int)  # year is required
    if "month" in d:
        assert 1 <= d["month"] <= 12
    if "day" in d:
        assert "month" in d and 1 <= d["day"] <= 31
        dt.date(d["year"], d["month"], d["day"])


def test_timelinejs_has_the_documented_fields(files, graph):
    doc = json.loads(files["timelinejs"].read_text(encoding="utf-8"))
    assert set(doc) <= {"events", "title", "eras", "scale"} and doc["scale"] == "human"
    assert set(doc["title"]) <= SLIDE_KEYS and doc["title"]["text"]["headline"]
    events = doc["events"]
    background = timelinejs.background_split(graph.timeline())
    assert background == 1 and len(events) == len(graph.timeline()) - background  # the 1984 Joint Declaration
    for slide in events:
        assert set(slide) <= SLIDE_KEYS
        _check_date(slide["start_date"])
        if "end_date" in slide:
            _check_date(slide["end_date"])
        assert isinstance(slide["text"]["headline"], str) and isinstance(slide["text"]["text"], str)
        assert "group" not in slide and slide["display_date"]  # --group-by none is the default
    assert len({s["unique_id"] for s in events}) == len(events)
    assert [s["unique_id"] for s in events] == [e["id"] for e in graph.timeline()][background:]


def test_timelinejs_honours_precision(files):
    by_id = {s["unique_id"]: s for s in json.loads(files["timelinejs"].read_text(encoding="utf-8"))["events"]}
    month = by_id["amnesty-report-june-2021"]  # 2021-06
    assert month["start_date"] == {"year": 2021, "month": 6} and "end_date" not in month
    year = by_id["actions-around-the-world-2019"]  # 2019
    assert year["start_date"] == {"year": 2019}
    day = by_id["national-security-law-takes-effect"]  # 2020-06-30
    assert day["start_date"] == {"year": 2020, "month": 6, "day": 30} and "end_date" not in day
    interval = by_id["npcsc-session-june-2020"]  # 2020-06-18/2020-06-20
    assert interval["end_date"] == {"year": 2020, "month": 6, "day": 20}
    some_day = by_id["petition-to-li-zhanshu"]  # [2020-05-21..2020-06-30]: one day, not known which
    assert (some_day["start_date"], some_day["end_date"]) == (
        {"year": 2020, "month": 5, "day": 21},
        {"year": 2020, "month": 6, "day": 30},
    )
    assert "not known which" in some_day["display_date"]


def test_timelinejs_text_has_the_quotes_and_sources_escaped(files, graph):
    by_id = {s["unique_id"]: s for s in json.loads(files["timelinejs"].read_text(encoding="utf-8"))["events"]}
    rows = graph.select(
        """SELECT ?event ?quote ?title WHERE { ?event a sem:Event . ?a oa:hasBody ?event ; oa:hasTarget ?t .
           ?t oa:hasSource ?s ; oa:hasSelector [ oa:exact ?quote ] . ?s dcterms:title ?title }"""
    )
    assert rows
    for r in rows:
        if r["event"].rsplit("/", 1)[1] not in by_id:  # a background event, on the title slide
            continue
        text = by_id[r["event"].rsplit("/", 1)[1]]["text"]["text"]
        assert html.escape(r["quote"]) in text and html.escape(r["title"]) in text
    letter = by_id["open-letter-to-li-zhanshu"]
    assert "<blockquote>" in letter["text"]["text"]
    assert "Human Rights Watch" in letter["text"]["text"].split("<b>signatory (86):</b>")[1]
    assert all("<script" not in s["text"]["text"] for s in by_id.values())


def test_timeline_dates_for_each_edtf_form():
    assert timelinejs.timeline_dates("2021-10-25") == ({"year": 2021, "month": 10, "day": 25}, None, "25 October 2021")
    assert timelinejs.timeline_dates("2021-10")[0] == {"year": 2021, "month": 10}
    assert timelinejs.timeline_dates("2019")[0] == {"year": 2019}
    assert timelinejs.timeline_dates("2021-10~")[2] == "approximately October 2021"
    assert timelinejs.timeline_dates("2019/..")[1] is None


# ---------------------------------------------------------------------------- export, publish, stability


def test_formats_are_known_to_export():
    for fmt in ("graphml", "gexf", "timelinejs", "nodes-csv", "edges-csv"):
        assert fmt in kexport.FORMATS
    assert kexport.normalise_format(None, "x.graphml") == "graphml"
    assert kexport.normalise_format(None, "x.gexf") == "gexf"
    assert kexport.normalise_format(None, "x.csv") == "csv"  # still the timeline
    assert kexport.normalise_format(None, "x.json") == "jsonld"
    assert {"graphml", "gexf", "timelinejs"} <= set(kexport.PUBLISHED.values())


def test_export_writes_atomically(graph, tmp_path, monkeypatch):
    from kg import atomic

    calls = []
    real = atomic.write_bytes
    monkeypatch.setattr(atomic, "write_bytes", lambda p, d: calls.append(p) or real(p, d))
    for fmt in ("gexf", "graphml", "timelinejs", "nodes-csv"):
        graph.export(fmt, tmp_path / f"out.{fmt}")
    assert len(calls) == 4 and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_cli_export_formats(invoke, tmp_path):
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("timelinejs", "timeline.json")):
        r = invoke("export", "--format", fmt, "-o", str(tmp_path / name))
        assert r.exit_code == 0 and (tmp_path / name).stat().st_size > 10_000
    assert invoke("export", "--format", "edges-csv").output.startswith("Source,Target,Type,Id,Label")


_HASHES = """
import hashlib, json, kg
g = kg.load()
print(json.dumps({f: hashlib.sha256(g.export(f)).hexdigest() for f in %r}))
"""
NETWORK_AND_TIMELINE = ["graphml", "gexf", "timelinejs", "nodes-csv", "edges-csv"]


def test_byte_stable_across_processes(graph, tmp_path):
    import hashlib
    import os

    runs = []
    for name in ("a", "b"):  # each process with a fresh cache: the graph is built anew
        env = dict(os.environ, KG_CACHE_DIR=str(tmp_path / name))
        code = _HASHES % (NETWORK_AND_TIMELINE,)
        cmd = [sys.executable, "-c", code]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env, cwd=ROOT)
        runs.append(json.loads(done.stdout))
    here = {f: hashlib.sha256(graph.export(f)).hexdigest() for f in NETWORK_AND_TIMELINE}
    assert runs[0] == runs[1] == here


def test_published_network_files_are_fresh(graph):
    for name, fmt in kexport.PUBLISHED.items():
        if fmt in ("graphml", "gexf", "timelinejs"):
            assert (ROOT / "export" / name).read_bytes() == graph.export(fmt), f"run `kg publish` ({name})"
