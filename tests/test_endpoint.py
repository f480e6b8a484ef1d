"""SPARQL endpoints: `kg serve` (Oxigraph's server) and Virtuoso, both really started; reads
with `--endpoint`, SPARQLWrapper and `kg push` over the Graph Store Protocol."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from servers import free_port, start_kg_serve, start_virtuoso, stop, wait_for
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from kg.backends.endpoint import bind_values, push
from kg.backends.store import open_store
from kg.graph import RemoteGraph

COUNT_EVENTS = (
    "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> SELECT (COUNT(?e) AS ?n) WHERE { ?e a sem:Event }"
)


@pytest.fixture(scope="module")
def served():
    """`kg serve` on a free port of 127.0.0.1, read-only."""
    proc, base = start_kg_serve()
    try:
        yield base
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    proc, base = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield base
    finally:
        stop(proc)


def _wrapper(url: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_serve_answers_sparql_with_content_negotiation(served, graph):
    url = f"{served}/query"
    result = _wrapper(url, COUNT_EVENTS, JSON).query().convert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) == len(graph.timeline())
    csv_text = _wrapper(url, COUNT_EVENTS, CSV).query().convert().decode()
    assert csv_text.splitlines()[0].strip() == "n"
    xml = _wrapper(url, COUNT_EVENTS, XML).query().convert()
    assert xml.getElementsByTagName("literal")[0].firstChild.data == str(len(graph.timeline()))
    construct = (
        "CONSTRUCT { ?e <urn:x> ?l } WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> ;"
        " <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    turtle = _wrapper(url, construct, TURTLE).query().convert().decode()
    assert turtle.count("<urn:x>") == len(graph.timeline())
    request = urllib.request.Request(
        url + "?query=" + urllib.parse.quote(COUNT_EVENTS), headers={"Accept": "text/tab-separated-values"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"].startswith("text/tab-separated-values")


def test_serve_is_read_only(served):
    request = urllib.request.Request(
        f"{served}/update",
        data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code in (403, 405)


def test_query_page_works_offline(served):
    with urllib.request.urlopen(f"{served}/") as response:
        page = response.read().decode()
    assert "<html" in page.lower()
    assert not re.findall(r"""(?:src|href)=["']https?://""", page)


def test_endpoint_reads_match_the_local_graph(served, graph, invoke):
    remote = RemoteGraph(f"{served}/query")
    assert remote.timeline() == graph.timeline()
    assert remote.timeline(actor="HRW", start="2020-01-01") == graph.timeline(actor="HRW", start="2020-01-01")
    assert remote.show("Li Zhanshu")["posts"] == graph.show("Li Zhanshu")["posts"]
    assert remote.query("signatories").dicts() == graph.query("signatories").dicts()
    result = invoke(
        "--endpoint", f"{served}/query", "query", "actor-timeline", "--param", "actor=npcsc", "--format", "json"
    )
    assert json.loads(result.stdout)["results"]["bindings"]
    exported = invoke("--endpoint", f"{served}/query", "export", "--format", "nt").stdout_bytes
    assert exported == graph.export("nt")


def test_values_binding_keeps_a_hostile_value_a_value():
    query = bind_values("SELECT ?x WHERE { ?x <urn:p> ?v }", {"v": __import__("pyoxigraph").Literal('" } DROP ALL #')})
    assert 'VALUES (?v) { ("\\" } DROP ALL #") }' in query


def test_push_to_a_writable_oxigraph_server(graph, tmp_path):
    port = free_port()
    from kg import serve

    proc = serve.start(tmp_path / "store", port=port, writable=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D", proc)
        done = push(graph, f"{base}/store", named_graphs=True)
        assert {name for name, _, _ in done} == {
            "https://w3id.org/hk-timeline-kg/graph/data",
            "https://w3id.org/hk-timeline-kg/graph/ontology",
        }
        assert all(status in (200, 201, 204) for _, status, _ in done)
        remote = RemoteGraph(f"{base}/query")
        assert remote.timeline() == graph.timeline()
        push(graph, f"{base}/store", named_graphs=True)  # PUT replaces: pushing twice does not double the graph
        assert len(remote) == len(graph)
    finally:
        stop(proc)


def test_virtuoso_push_and_read(virtuoso, graph, invoke):
    result = invoke("push", "--named-graphs", "--endpoint", f"{virtuoso}/sparql-graph-crud")
    assert result.exit_code == 0, result.stderr
    assert "graph/data" in result.stdout
    remote = RemoteGraph(f"{virtuoso}/sparql")
    assert [e["id"] for e in remote.timeline()] == [e["id"] for e in graph.timeline()]
    assert remote.timeline(actor="Amnesty International") == graph.timeline(actor="Amnesty International")
    assert remote.show("Sophie Richardson")["posts"] == graph.show("Sophie Richardson")["posts"]
    result = invoke("--endpoint", f"{virtuoso}/sparql", "query", "signatories", "--format", "csv")
    assert sum(line.startswith("Open letter of 86") for line in result.stdout.splitlines()) == 86


def test_unreachable_endpoint_is_a_clear_error(invoke):
    result = invoke("--endpoint", f"http://127.0.0.1:{free_port()}/query", "timeline")
    assert result.exit_code == 4
    assert "cannot reach" in result.stderr


def test_network_and_validate_work_against_an_endpoint(served, graph, invoke):
    from kg.network import project

    remote = RemoteGraph(f"{served}/query")
    local_net, remote_net = project(graph), project(remote)
    assert sorted(remote_net.nodes) == sorted(local_net.nodes)
    assert remote_net.number_of_edges() == local_net.number_of_edges()
    result = invoke("--endpoint", f"{served}/query", "network", "path", "Human Rights Watch", "Li Zhanshu")
    assert result.exit_code == 0 and "signatory" in result.stdout
    report = remote.validate()
    assert report.conforms, report.render()
    assert report.checked_quotes == graph.validate().checked_quotes


def test_writable_serve_of_a_store_reindexes_it_when_stopped(graph, tmp_path, invoke):
    graph.export("nt", tmp_path / "g.nt")
    assert invoke("--store", str(tmp_path / "s"), "load", str(tmp_path / "g.nt")).exit_code == 0
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--store", str(tmp_path / "s"), "serve", "--writable", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    update = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
    PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    PREFIX hkt: <https://w3id.org/hk-timeline-kg/ns/event-type/>
    INSERT DATA { <https://example.org/event/added> sem:eventType hkt:protest ;
      sem:hasEarliestBeginTimeStamp "2020-06-30"^^xsd:date ; sem:hasLatestBeginTimeStamp "2020-06-30"^^xsd:date ;
      <http://www.w3.org/2000/01/rdf-schema#label> "Added over HTTP"@en }"""
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D", proc)
        request = urllib.request.Request(
            f"{base}/update", data=urllib.parse.urlencode({"update": update}).encode(), method="POST"
        )
        with urllib.request.urlopen(request) as response:
            assert response.status in (200, 204)
    finally:
        stop(proc)  # SIGTERM, as a service manager sends: kg stops the server, then reindexes
    assert proc.returncode == 0, proc.stderr.read()
    store = open_store(tmp_path / "s", read_only=True)
    assert store.event_index is not None
    assert "Added over HTTP" in [e.label for e in store.events(start="2020-06-30", end="2020-06-30")]
