"""The back-end interface: one protocol, three implementations chosen by one factory, the
same answers from each; one date-range check; stores released by ``with``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from servers import start_oxigraph, stop

import kg
from kg.backends import Backend
from kg.backends.endpoint import push
from kg.backends.loading import load_files
from kg.backends.selection import date_range
from kg.errors import QueryError, UsageError
from kg.graph import RemoteGraph, StoreGraph, open_graph, open_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def stored(graph, tmp_path_factory):
    """The bundled graph loaded into an on-disk store (indexed), as `kg load` makes it."""
    where = tmp_path_factory.mktemp("backends")
    (where / "g.nq").write_bytes(graph.export("nq"))
    with open_store(where / "store", create=True) as target:
        load_files(target, [where / "g.nq"])
    return where / "store"


@pytest.fixture(scope="module")
def stock_oxigraph(graph, tmp_path_factory):
    """A stock Oxigraph server (no union default graph) that `kg push` filled."""
    proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        push(graph, f"{base}/store")
        yield f"{base}/query"
    finally:
        stop(proc)


def test_open_graph_chooses_each_back_end(stored, stock_oxigraph):
    memory = open_graph()
    with open_graph(store=stored) as store:
        assert isinstance(store, StoreGraph) and store.event_index is not None
        assert isinstance(store, Backend)
    remote = open_graph(endpoint=stock_oxigraph)
    assert isinstance(remote, RemoteGraph) and isinstance(remote, Backend)
    assert isinstance(memory, Backend) and not isinstance(memory, (StoreGraph, RemoteGraph))


@pytest.mark.parametrize(
    "filters",
    [
        {"start": "2020-06-01", "end": "2020-07-31"},
        {"actor": "Amnesty International"},
        {"type": "statement", "start": "2020"},
        {},
    ],
)
def test_every_back_end_selects_the_same_events(graph, stored, stock_oxigraph, filters):
    expected = graph.events(**filters)
    assert expected
    with open_graph(store=stored) as store:
        assert store.events(**filters) == expected
    assert open_graph(endpoint=stock_oxigraph).events(**filters) == expected


def test_with_open_store_releases_the_store(stored):
    with kg.open_store(stored) as g:
        assert len(g.events(start="2020-06-30", end="2020-06-30")) > 0
    with pytest.raises(QueryError, match="closed"):  # released: nothing left to query
        len(g)
    with open_store(stored) as again:  # read-write: RocksDB's lock must have been released
        assert len(again) > 0


@pytest.mark.parametrize("args", [("2021", "2020"), ("2020-07-01", "2020-06-30"), ("2020-12", "2020-11")])
def test_a_range_that_ends_before_it_starts_is_refused_everywhere(graph, stored, invoke, args):
    with pytest.raises(UsageError, match="is after --to"):
        date_range(*args)
    with pytest.raises(UsageError, match="is after --to"):
        graph.timeline(start=args[0], end=args[1])
    from click.testing import CliRunner

    from kg.cli import cli

    for prefix in ([], ["--store", str(stored)]):
        result = CliRunner().invoke(cli, [*prefix, "timeline", "--from", args[0], "--to", args[1]])
        assert result.exit_code == 2 and "is after --to" in result.output


def test_years_and_months_stand_for_their_days(graph):
    assert graph.events(start="2020-06", end="2020-06") == graph.events(start="2020-06-01", end="2020-06-30")
    assert graph.events(start="2020", end="2020") == graph.events(start="2020-01-01", end="2020-12-31")


def test_no_back_end_branch_outside_the_back_end_package():
    pattern = re.compile(
        r"isinstance\([^)]*(RemoteGraph|StoreGraph|KnowledgeGraph)|\.location is|(?<!backends)\.event_index\b"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "kg").rglob("*.py")
        if "backends" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_push_to_a_stock_oxigraph_server_reads_back(graph, stock_oxigraph, invoke):
    result = invoke("--endpoint", stock_oxigraph, "stats", "--format", "json")
    import json

    counted = json.loads(result.stdout)
    assert counted["triples"] == len(set(graph.triples())) > 1000
    assert counted["event_types"] == graph.stats()["event_types"]
    remote = RemoteGraph(stock_oxigraph)
    assert remote.timeline(actor="Amnesty International") == graph.timeline(actor="Amnesty International")


def test_an_endpoint_syntax_error_points_into_the_users_query(stock_oxigraph, invoke):
    result = invoke("--endpoint", stock_oxigraph, "query", "SELECT ?e WHERE {\n  ?e a sem:Event \n  FILTER(\n}")
    assert result.exit_code == 4
    message = result.stderr
    assert "line 4" in message and "b'" not in message and "PREFIX" not in message


SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
PLAIN_SEM = f"""@prefix sem: <{SEM}> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:march a sem:Event ; rdfs:label "A march" ; sem:hasBeginTimeStamp "2020-06-30"^^xsd:date ;
  sem:hasActor ex:crowd .
ex:vigil a sem:Event ; rdfs:label "A vigil" ; sem:hasTimeStamp "2020-06-04T20:00:00Z"^^xsd:dateTime ;
  sem:eventType ex:vigil-type ; sem:hasActor ex:crowd .
ex:strike a sem:Event ; rdfs:label "A strike" ; schema:startDate "2020-06"^^xsd:gYearMonth .
ex:rumour a sem:Event ; rdfs:label "An undated rumour" .
ex:crowd a sem:Actor ; rdfs:label "The crowd" .
"""


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_events_with_only_a_time_stamp_appear_in_every_back_end(tmp_path, invoke, suffix):
    import pyoxigraph as ox

    source = tmp_path / f"sem{suffix}"
    triples = ox.parse(PLAIN_SEM.encode(), format=ox.RdfFormat.TURTLE)
    source.write_bytes(
        ox.serialize(triples, format=ox.RdfFormat.TURTLE if suffix == ".ttl" else ox.RdfFormat.N_TRIPLES)
    )
    result = invoke("load", str(source), "--store", str(tmp_path / "s"))
    assert result.exit_code == 0
    assert "4 events" in result.stderr
    assert "Warning: 1 event(s) without a date" in result.stderr
    assert "Warning: 3 event(s) without a type" in result.stderr
    assert "Warning: 2 event(s) without an actor" in result.stderr
    june = [
        ("http://example.org/vigil", "2020-06-04", "2020-06-04"),
        ("http://example.org/strike", "2020-06-01", "2020-06-30"),
        ("http://example.org/march", "2020-06-30", "2020-06-30"),
    ]
    with open_store(tmp_path / "s") as store:  # the event index
        got = [(e.iri, e.earliest_begin, e.latest_begin) for e in store.events(start="2020-06-01", end="2020-06-30")]
        assert sorted(got) == sorted(june)
        assert [e.iri for e in store.events(start="2020-06-30", end="2020-07-31")] == [
            "http://example.org/strike",
            "http://example.org/march",
        ]
        assert [e.iri for e in store.events(actor="The crowd")] == [
            "http://example.org/vigil",
            "http://example.org/march",
        ]
    memory = kg.KnowledgeGraph(ox.Store(), union=False)  # the SPARQL fallback
    memory.store.load(PLAIN_SEM.encode(), format=ox.RdfFormat.TURTLE)
    assert [(e.iri, e.earliest_begin, e.latest_begin) for e in memory.events(start="2020-06-01", end="2020-06-30")] == [
        june[1],
        june[0],
        june[2],
    ]
    assert [e["label"] for e in memory.timeline()] == ["A strike", "A vigil", "A march"]
    result = invoke(
        "--store", str(tmp_path / "s"), "timeline", "--from", "2020-06", "--to", "2020-06", "--format", "csv"
    )
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == ["A strike", "A vigil", "A march"]


def test_export_from_a_store_streams_the_same_triples(graph, stored, invoke, tmp_path):
    import pyoxigraph as ox

    result = invoke("--store", str(stored), "export", "--format", "nt", "-o", str(tmp_path / "s.nt"))
    assert result.exit_code == 0
    streamed = {q.triple for q in ox.parse(path=str(tmp_path / "s.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert streamed == set(graph.triples())
    invoke("export", "--format", "nt", "-o", str(tmp_path / "m.nt"))
    assert (tmp_path / "m.nt").read_bytes() == graph.export("nt")  # the bundled graph's stays sorted


def test_show_is_the_same_on_a_store_and_an_endpoint(graph, stored, stock_oxigraph):
    remote = open_graph(endpoint=stock_oxigraph)
    with open_store(stored, read_only=True) as store:
        assert store.event_index is not None and store.event_index.describes
        for name in ("Amnesty International", "Sophie Richardson", "Hong Kong", "statement"):
            assert store.show(name) == graph.show(name) == remote.show(name), name


def _with_mistakes(graph):
    """A copy of the bundled graph with a mistake for most kinds of constraint of the shapes."""
    import pyoxigraph as ox

    from kg.namespaces import HK, ID, OA, OWL, RDF, RDFS, SCHEMA, XSD

    def n(iri):
        return ox.NamedNode(iri)

    store, data = ox.Store(), n("https://w3id.org/hk-timeline-kg/graph/data")
    store.extend(graph.store)
    events = [n(r["e"]) for r in graph.select("SELECT ?e WHERE { ?e a sem:Event } ORDER BY ?e LIMIT 4")]
    actors = [n(r["a"]) for r in graph.select("SELECT ?a WHERE { ?a a sem:Actor } ORDER BY ?a LIMIT 2")]

    def replace(subject, predicate, new=None):
        old = next(store.quads_for_pattern(subject, n(predicate), None))
        store.remove(old)
        if new is not None:
            store.add(ox.Quad(old.subject, old.predicate, new(old.object), old.graph_name))
        return old

    for q in list(store.quads_for_pattern(events[0], n(SEM + "hasActor"), None)):
        store.remove(q)  # minCount
    replace(events[1], SEM + "hasEarliestBeginTimeStamp", lambda _: ox.Literal("2099-01-01", datatype=n(XSD + "date")))
    replace(events[3], SEM + "hasLatestEndTimeStamp")  # the Dated shape's SPARQL constraint, through sh:node
    store.add(ox.Quad(events[2], n(HK + "organiser"), n(ID + "actor/nobody"), data))  # SPARQL constraint
    store.add(ox.Quad(events[2], n(SEM + "hasPlace"), actors[0], data))  # class
    store.add(ox.Quad(actors[0], n(RDFS + "label"), ox.Literal("second"), data))  # maxCount, datatype, language
    store.add(ox.Quad(actors[0], n(OWL + "sameAs"), ox.Literal("Q1"), data))  # nodeKind
    store.add(ox.Quad(actors[1], n(RDF + "type"), n(SCHEMA + "Person"), data))  # xone
    store.add(ox.Quad(actors[1], n(RDF + "type"), n(SCHEMA + "Organization"), data))
    replace(actors[1], SCHEMA + "name", lambda _: ox.Literal("Other", language="en"))  # equals
    replace(None, OA + "exact")  # minCount two sh:node levels down
    replace(None, HK + "sha256", lambda old: ox.Literal(old.value.upper()))  # pattern
    replace(None, RDF + "object", lambda _: n(ID + "event/nothing"))  # SPARQL constraint
    stated = "SELECT ?r WHERE { ?r a hk:EventRelation ; hk:accordingTo ?who } ORDER BY ?r LIMIT 1"
    relation = n(graph.select(stated)[0]["r"])
    replace(relation, RDF + "predicate", lambda _: n(HK + "precedes"))  # sh:in
    replace(relation, HK + "accordingTo", lambda _: n(ID + "place/hong-kong"))  # sh:or on a property
    author = graph.select("SELECT ?a WHERE { ?a a hk:UnidentifiedAuthor } ORDER BY ?a LIMIT 1")[0]["a"]
    store.add(ox.Quad(n(author), n(RDF + "type"), n(SEM + "Actor"), data))  # sh:not
    return kg.KnowledgeGraph(store)


def test_the_shapes_on_the_engine_report_what_pyshacl_reports(graph, tmp_path):
    import pyoxigraph as ox
    import rdflib
    from pyshacl import validate as shacl_validate

    from kg import paths
    from kg.curate.shacl import compile_shapes, violations
    from kg.curate.validate import check_shacl
    from kg.namespaces import SH, shorten

    broken = _with_mistakes(graph)
    data = rdflib.Graph().parse(data=ox.serialize(set(broken.triples()), format=ox.RdfFormat.N_TRIPLES), format="nt")
    shapes = rdflib.Graph().parse(paths.schema_dir() / "shapes.ttl", format="turtle")
    _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True)
    expected = []
    for res in results.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult")):
        path = results.value(res, rdflib.URIRef(SH + "resultPath"))
        expected.append(
            (
                shorten(str(results.value(res, rdflib.URIRef(SH + "focusNode")))),
                shorten(str(path)) if isinstance(path, rdflib.URIRef) else ("" if path is None else "(path)"),
            )
        )
    found = check_shacl(broken)
    assert sorted((v["focus"], v["path"]) for v in found) == sorted(expected)
    plan = compile_shapes(paths.schema_dir() / "shapes.ttl")  # both ways of running a shape
    assert violations(broken, plan, per_node=True) == violations(broken, plan, per_node=False) == found
    assert len(expected) >= 20
    assert check_shacl(graph) == []
    # A store of the same data reports the same, by SPARQL on Oxigraph.
    (tmp_path / "broken.nq").write_bytes(ox.serialize(broken.quads(), format=ox.RdfFormat.N_QUADS))
    with open_store(tmp_path / "s", create=True) as store:
        load_files(store, [tmp_path / "broken.nq"])
        assert check_shacl(store) == found
