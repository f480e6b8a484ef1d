"""Exports: every syntax re-parses to the same graph, bytes are stable, writes are atomic,
and export/ is not stale."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import export as kg_export
from kg.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
GRAPH_BASE = "https://w3id.org/hk-timeline-kg/graph/"
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "rdfxml": "xml", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
SINGLE = ("ttl", "nt", "rdfxml", "jsonld")
QUADS = ("trig", "nq")


@pytest.fixture(scope="module")
def regenerated(graph, tmp_path_factory) -> Path:
    """Every published file, regenerated from the bundled data into a fresh directory."""
    directory = tmp_path_factory.mktemp("export")
    written = kg_export.publish(graph, directory)
    assert sorted(written) == sorted(kg_export.PUBLISHED)
    return directory


@pytest.fixture(scope="module")
def exported(regenerated) -> dict[str, bytes]:
    """The RDF exports and the CSV timeline, by format, as ``kg publish`` wrote them."""
    out = {fmt: (regenerated / name).read_bytes() for name, fmt in kg_export.PUBLISHED.items()}
    assert set(RDFLIB_FORMATS) | {"csv"} <= set(out)
    return out


@pytest.fixture(scope="module")
def parsed(exported) -> dict[str, rdflib.Graph]:
    """Each RDF export parsed by rdflib; for TriG and N-Quads, the union of their graphs."""
    out = {}
    for fmt, syntax in RDFLIB_FORMATS.items():
        if fmt in QUADS:
            ds = rdflib.Dataset()
            ds.parse(data=exported[fmt], format=syntax)
            union = rdflib.Graph()
            for s, p, o, _g in ds.quads((None, None, None, None)):
                union.add((s, p, o))
            out[fmt] = union
        else:
            out[fmt] = rdflib.Graph().parse(data=exported[fmt], format=syntax)
    return out


def distinct_triples(graph) -> int:
    return graph.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")[
        0
    ]["n"]


# ----------------------------------------------------------------------------- re-parsing


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_export_reparses_to_the_whole_graph(graph, parsed, fmt):
    assert len(parsed[fmt]) == distinct_triples(graph) > 5000


@pytest.mark.parametrize("fmt", [f for f in sorted(RDFLIB_FORMATS) if f != "nt"])
def test_exports_are_isomorphic(parsed, fmt):
    assert isomorphic(parsed["nt"], parsed[fmt])


def test_isomorphism_would_notice_a_difference(parsed):
    changed = rdflib.Graph()
    for t in parsed["nt"]:
        changed.add(t)
    changed.remove(next(iter(changed)))
    assert not isomorphic(parsed["nt"], changed)


def test_literals_survive_every_syntax(parsed):
    """Dates stay xsd:date, EDTF keeps its datatype, labels keep @en, in every syntax."""
    edtf = rdflib.URIRef("http://id.loc.gov/datatypes/edtf")
    for fmt, g in parsed.items():
        eb = list(g.objects(None, rdflib.URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp")))
        assert eb and all(o.datatype == rdflib.XSD.date for o in eb), fmt
        ed = list(g.objects(None, rdflib.URIRef("https://w3id.org/hk-timeline-kg/ns/edtf")))
        assert ed and all(o.datatype == edtf for o in ed), fmt
        assert rdflib.Literal("Li Zhanshu", lang="en") in set(g.objects(None, rdflib.RDFS.label)), fmt


@pytest.mark.parametrize("fmt", QUADS)
def test_named_graphs(exported, fmt):
    ds = rdflib.Dataset()
    ds.parse(data=exported[fmt], format=RDFLIB_FORMATS[fmt])
    graphs = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    assert set(graphs) == {GRAPH_BASE + "ontology", GRAPH_BASE + "data"}
    onto = ds.graph(rdflib.URIRef(GRAPH_BASE + "ontology"))
    data = ds.graph(rdflib.URIRef(GRAPH_BASE + "data"))
    sem_event = rdflib.URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")
    assert (None, rdflib.RDF.type, sem_event) in data
    assert (None, rdflib.RDF.type, sem_event) not in onto
    assert (None, rdflib.RDF.type, rdflib.OWL.ObjectProperty) in onto


def test_single_graph_exports_have_no_named_graphs(exported):
    for fmt in ("ttl", "nt"):
        assert b"GRAPH" not in exported[fmt] and GRAPH_BASE.encode() not in exported[fmt]


def test_jsonld_uses_the_context(exported):
    doc = json.loads(exported["jsonld"])
    assert set(doc) == {"@context", "@graph"}
    assert doc["@context"] == kg_export.context()
    ids = [n["@id"] for n in doc["@graph"]]
    assert ids == sorted(ids)


def test_csv_timeline(graph, exported):
    table = list(csv.DictReader(io.StringIO(exported["csv"].decode())))
    events = graph.timeline()
    assert [r["id"] for r in table] == [e["id"] for e in events]
    assert {"id", "edtf", "earliest_begin", "latest_begin", "label", "type", "actors", "sources"} <= set(table[0])
    letter = next(r for r in table if r["id"] == "open-letter-to-li-zhanshu")
    assert len(letter["actors"].split("; ")) >= 87  # every signatory, and the addressee


# ----------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS) + ["csv"])
def test_export_is_repeatable_in_process(graph, exported, fmt):
    assert graph.export(fmt) == exported[fmt]


@pytest.fixture(scope="module")
def subprocess_exports(tmp_path_factory) -> dict[str, list[bytes]]:
    """Each format written by two ``python -m kg`` processes with different hash seeds, each
    building the graph from data/ into a cache of its own: ``kg export --format X`` with one
    seed, ``kg publish DIR`` with the other."""
    formats = (*RDFLIB_FORMATS, "csv")
    base = tmp_path_factory.mktemp("seeds")
    published = base / "published"

    def start(seed: str, *args: str) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k != "KG_DATA"}
        env["PYTHONHASHSEED"] = seed
        env["KG_CACHE_DIR"] = str(base / f"cache-{seed}")
        return subprocess.Popen(
            [sys.executable, "-m", "kg", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )

    def finish(proc: subprocess.Popen) -> bytes:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        return out

    publisher = start("4242", "publish", str(published))
    first = finish(start("1", "export", "--format", formats[0]))  # builds the cache of seed 1
    others = [start("1", "export", "--format", fmt) for fmt in formats[1:]]
    out = {fmt: [data] for fmt, data in zip(formats, [first, *map(finish, others)], strict=True)}
    finish(publisher)
    for name, fmt in kg_export.PUBLISHED.items():
        if fmt in out:
            out[fmt].append((published / name).read_bytes())
    for seed in ("1", "4242"):  # each seed built the graph itself, once
        assert len(list((base / f"cache-{seed}").glob("graph-*.nq"))) == 1
    return out


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS) + ["csv"])
def test_export_is_byte_stable_across_processes(subprocess_exports, exported, fmt):
    first, second = subprocess_exports[fmt]
    assert first == second
    assert first == exported[fmt]  # and the same as this process's export


# ----------------------------------------------------------------------------- writing files


def test_export_writes_the_file(graph, tmp_path):
    path = tmp_path / "out" / "graph.ttl"
    data = graph.export("ttl", path)
    assert path.read_bytes() == data == graph.export("ttl")


def test_format_from_the_file_extension(graph, exported, tmp_path):
    assert graph.export(None, tmp_path / "g.nt") == exported["nt"]
    assert graph.export(None, tmp_path / "g.trig") == exported["trig"]
    assert (tmp_path / "g.trig").read_bytes() == exported["trig"]
    with pytest.raises(UsageError, match="cannot tell the format"):
        graph.export(None, tmp_path / "g.unknown")


def test_unknown_format(graph):
    with pytest.raises(UsageError, match="unknown format 'owl2'"):
        graph.export("owl2")


def test_failing_write_leaves_the_old_file(graph, tmp_path, monkeypatch):
    path = tmp_path / "hk-timeline.ttl"
    path.write_bytes(b"old content\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        graph.export("ttl", path)
    assert path.read_bytes() == b"old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["hk-timeline.ttl"]  # no temporary file left


def test_failing_serialisation_writes_nothing(graph, tmp_path, monkeypatch):
    path = tmp_path / "hk-timeline.nt"
    path.write_bytes(b"old\n")

    def broken(*args, **kwargs):
        raise RuntimeError("serialiser broke")

    monkeypatch.setattr(kg_export, "serialize_triples", broken)
    with pytest.raises(RuntimeError):
        graph.export("nt", path)
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["hk-timeline.nt"]


def test_failing_write_of_data_leaves_no_temp_file(tmp_path, monkeypatch):
    from kg import atomic

    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    real_fdopen = os.fdopen

    class Exploding:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[:3])
            raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Exploding(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="I/O error"):
        atomic.write_bytes(path, b"new content")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


# ----------------------------------------------------------------------------- export/


@pytest.fixture(scope="module")
def published_dir() -> Path:
    directory = ROOT / "export"
    if not directory.is_dir():  # a generated directory: create it as `kg publish` would
        subprocess.run([sys.executable, "-m", "kg", "publish", str(directory)], cwd=ROOT, check=True)
    return directory


def test_publish_writes_every_published_file(regenerated, exported):
    assert sorted(p.name for p in regenerated.iterdir()) == sorted(kg_export.PUBLISHED)
    for name, fmt in kg_export.PUBLISHED.items():
        if fmt in exported:
            assert (regenerated / name).read_bytes() == exported[fmt], name
    for fmt in ("ttl", "jsonld", "trig", "nt", "csv"):
        assert fmt in kg_export.PUBLISHED.values()


@pytest.mark.parametrize("name", sorted(kg_export.PUBLISHED))
def test_export_dir_is_not_stale(regenerated, published_dir, name):
    published = published_dir / name
    assert published.is_file(), f"export/{name} is missing: run `kg publish`"
    assert published.read_bytes() == (regenerated / name).read_bytes(), f"export/{name} is stale: run `kg publish`"


# ----------------------------------------------------------------------------- TimelineJS options


def _slides(graph, **options) -> list[dict]:
    return json.loads(kg_export.export(graph, "timelinejs", **options))["events"]


def test_timelinejs_group_by(graph):
    by_type = _slides(graph, group_by="type")
    assert {s["group"] for s in by_type} <= {e["type"] for e in graph.timeline()}
    by_actor = {s["unique_id"]: s["group"] for s in _slides(graph, group_by="actor")}
    assert by_actor["open-letter-to-li-zhanshu"] in {e for e in by_actor.values()}
    assert by_actor["npcsc-session-june-2020"] == "Standing Committee of the National People's Congress"
    assert all("group" not in s for s in _slides(graph, group_by="none"))
    with pytest.raises(UsageError):
        _slides(graph, group_by="colour")


def test_timelinejs_date_window(graph):
    slides = _slides(graph, start="2020-06-01", end="2020-06-30")
    expected = [e["id"] for e in graph.timeline(start="2020-06-01", end="2020-06-30")]
    assert [s["unique_id"] for s in slides] == expected and 3 < len(slides) < 20
    doc = json.loads(kg_export.export(graph, "timelinejs", start="2020-06-01", end="2020-06-30"))
    assert "Background" not in doc["title"]["text"]["text"]  # an explicit window drops, not lists


def test_timelinejs_cites_sources_by_title(graph):
    import html

    doc = kg_export.export(graph, "timelinejs").decode()
    assert not re.search(r"\btexts? \d{3}\b", doc)  # the corpus's file numbers are internal names
    titles = {r["f"][:3]: r["t"] for r in graph.select("SELECT ?f ?t WHERE { ?s hk:fileName ?f ; dcterms:title ?t }")}
    slides = {s["unique_id"]: s["text"]["text"] for s in json.loads(doc)["events"]}
    cited = 0
    for r in graph.select("SELECT ?e ?c WHERE { ?e a sem:Event ; rdfs:comment ?c }"):
        event = r["e"].rsplit("/", 1)[1]
        for number in re.findall(r"\btext (\d{3})\b", r["c"]):
            if event in slides:
                assert html.escape(titles[number]) in slides[event]
                cited += 1
    assert cited >= 1


def test_timelinejs_options_on_the_command_line(invoke, tmp_path):
    out = tmp_path / "t.json"
    result = invoke("export", "--format", "timelinejs", "--group-by", "type", "--from", "2021-01-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    slides = json.loads(out.read_text(encoding="utf-8"))["events"]
    assert slides and all(s["start_date"]["year"] >= 2021 or "end_date" in s for s in slides)
    assert all("group" in s for s in slides)
    assert invoke("export", "--format", "ttl", "--group-by", "type").exit_code == 2
