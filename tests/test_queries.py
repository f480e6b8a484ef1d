"""The named queries of kg/sparql/queries/ on the real data, parameters, errors and result formats."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kg.errors import NotFound, QueryError
from kg.sparql import QUERY_DIR, library

SOURCES = Path(__file__).resolve().parent.parent.parent / "shared" / "sources"
INJECTION = '" } ; DROP ALL #'
LIBRARY = library()
ID = "https://w3id.org/hk-timeline-kg/id/"


def rows(graph, query, /, **params):
    return graph.select(query, params or None)


def events(graph) -> dict[str, dict]:
    return {e["label"]: e for e in graph.timeline()}


# ----------------------------------------------------------------------------- the library


def test_library_has_the_promised_queries():
    names = set(LIBRARY)
    assert len(names) >= 10
    assert {
        "timeline-between",
        "actor-timeline",
        "event-actors",
        "signatories",
        "co-signatories",
        "single-source-events",
        "causes-and-consequences",
        "quotes",
        "date-precision",
        "people-posts",
        "claims",
    } <= names
    assert {p.stem for p in QUERY_DIR.glob("*.rq")} == names


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_query_has_a_header(name):
    q = LIBRARY[name]
    assert q.title and q.title != name
    assert q.question.endswith("?")
    for pname, desc in q.params:
        assert desc, f"{name}: parameter {pname} has no description"
        assert f"?{pname}" in q.text, f"{name}: parameter {pname} is not used"


def required_params(name: str) -> dict[str, str]:
    examples = {"actor": "Human Rights Watch", "event": "open-letter-to-li-zhanshu"}
    return {p: examples[p] for p in LIBRARY[name].required_params}


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_query_runs_and_returns_rows(graph, name):
    result = graph.query(name, required_params(name))
    assert result.rows, f"{name} returned nothing"
    # the bound parameters are not echoed as columns
    assert not set(required_params(name)) & set(result.variables)


# ----------------------------------------------------------------------------- each query's promise


def test_timeline_between(graph):
    got = rows(graph, "timeline-between", **{"from": "2020-01-01", "to": "2020-12-31"})
    expected = graph.timeline(start="2020-01-01", end="2020-12-31")
    assert [r["event"] for r in got] == [e["iri"] for e in expected]
    assert len(got) >= 10
    for r in got:
        assert r["latest_begin"] >= "2020-01-01" and r["earliest_begin"] <= "2020-12-31"
    begins = [r["earliest_begin"] for r in got]
    assert begins == sorted(begins)
    everything = rows(graph, "timeline-between")
    assert len(everything) == len(graph.timeline()) > len(got)


def test_timeline_between_keeps_events_whose_begin_may_fall_in_range(graph):
    got = {r["edtf"] for r in rows(graph, "timeline-between", **{"from": "2021-06-30", "to": "2021-06-30"})}
    assert "2021-06" in got  # the June 2021 report may have been published on the 30th
    assert "2021-10-25" not in got


def test_actor_timeline(graph):
    got = rows(graph, "actor-timeline", actor="HRW")
    assert got
    assert {r["actor_label"] for r in got} == {"Human Rights Watch"}
    labels = {r["label"]: r["role"] for r in got}
    assert labels["Open letter of 86 organisations to Li Zhanshu on the proposed national security law"] == "signatory"
    assert any("Human Rights Watch news release" in label for label in labels)
    # name, alternative name and any case give the same answer
    assert rows(graph, "actor-timeline", actor="human rights watch") == got
    assert rows(graph, "actor-timeline", actor="Human Rights Watch") == got


def test_actor_timeline_is_in_date_order(graph):
    got = rows(graph, "actor-timeline", actor="Amnesty International")
    begins = {e["iri"]: e["earliest_begin"] for e in graph.timeline()}
    order = [begins[r["event"]] for r in got]
    assert order == sorted(order)
    assert len({r["event"] for r in got}) == len(graph.timeline(actor="Amnesty International"))


def test_event_actors(graph):
    got = rows(graph, "event-actors", event="open-letter-to-li-zhanshu")
    by_role: dict[str, set[str]] = {}
    for r in got:
        by_role.setdefault(r["role"], set()).add(r["actor_label"])
    assert len(by_role["signatory"]) == 86
    assert "Li Zhanshu" in by_role["addressee"]
    assert {r["kind"] for r in got if r["role"] == "signatory"} == {"organisation"}
    label = got[0]["event_label"]
    assert rows(graph, "event-actors", event=label.upper()) == got  # by label, any case


def test_event_actors_kind(graph):
    got = rows(graph, "event-actors", event="callamard-statement-2021-10-25")
    assert [(r["actor_label"], r["kind"]) for r in got] == [("Agnes Callamard", "person")]


def test_signatories(graph):
    got = rows(graph, "signatories")
    letter = [r for r in got if r["document"].startswith("Open letter of 86 organisations to Li Zhanshu")]
    assert len(letter) == 86
    assert len(got) >= 86
    assert {r["edtf"] for r in letter} == {"2020-06-16"}
    assert "Human Rights Watch" in {r["signatory_label"] for r in letter}


def test_co_signatories(graph):
    got = rows(graph, "co-signatories", actor="Amnesty International")
    labels = [r["co_signatory_label"] for r in got]
    assert len(labels) == len(set(labels)) == 85
    assert "Amnesty International" not in labels
    assert "Human Rights Watch" in labels
    assert all(r["together"] >= 1 for r in got)
    assert rows(graph, "co-signatories", actor="amnesty") == got


def test_single_source_events(graph):
    got = {r["event"] for r in rows(graph, "single-source-events")}
    counts = graph.select(
        """SELECT ?e (COUNT(DISTINCT ?s) AS ?n) WHERE { ?e a sem:Event ; prov:wasDerivedFrom ?s .
             ?s a hk:CorpusDocument } GROUP BY ?e"""
    )
    assert got == {r["e"] for r in counts if r["n"] == 1}
    assert got and len(got) < len(counts)


def test_causes_and_consequences(graph):
    everything = rows(graph, "causes-and-consequences")
    assert {r["relation"] for r in everything} >= {"motivated by", "responds to", "follows"}
    closure = "Closure of Amnesty International's local office in Hong Kong"
    got = rows(graph, "causes-and-consequences", event="amnesty-local-office-closure")
    assert got
    assert all(closure in (r["from_label"], r["to_label"]) for r in got)
    # Amnesty's stated reason, with whose statement it is
    motivated = [r for r in got if r["relation"] == "motivated by" and r["from_label"] == closure]
    assert motivated and all("national security law" in r["to_label"] for r in motivated)
    assert all(r["quote"] and "Amnesty International" in r["according_to"] for r in motivated)
    assert rows(graph, "causes-and-consequences", event=closure.lower()) == got


def test_quotes_for_an_actor(graph):
    got = rows(graph, "quotes", name="Li Zhanshu")
    assert got
    texts = {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}
    for r in got:
        assert "Li Zhanshu" in r["about"], r
        assert r["quote"] in texts[r["file"]]
    assert any(r["about"] == "Li Zhanshu" for r in got)
    assert any(r["about"].startswith("Li Zhanshu, Chairman") for r in got)  # the post's quotes


def test_quotes_for_an_unknown_name_is_not_found_as_for_kg_show(graph):
    with pytest.raises(NotFound, match="no event, actor, place, law, claim or post named 'Li Zhanshuu'; did you mean"):
        rows(graph, "quotes", name="Li Zhanshuu")


def test_quotes_default_is_every_quote_once(graph):
    got = rows(graph, "quotes")
    n = graph.select("SELECT (COUNT(*) AS ?n) WHERE { ?a a oa:Annotation }")[0]["n"]
    keyed = {(r["about"], r["quote"], r["file"]) for r in got}
    assert len(got) == len(keyed), "duplicate rows"
    assert len(keyed) <= n
    assert len(keyed) > 300


def test_date_precision(graph):
    got = rows(graph, "date-precision")
    assert {r["label"] for r in got} == {e["label"] for e in graph.timeline()}
    assert {r["precision"] for r in got} <= {"day", "month", "year", "range", "approximate"}
    report = next(r for r in got if r["edtf"] == "2021-06")
    assert (report["precision"], report["earliest_begin"], report["latest_begin"]) == (
        "month",
        "2021-06-01",
        "2021-06-30",
    )
    suspension = next(r for r in got if r["edtf"] == "2019-06-15")
    assert suspension["date_note"] and suspension["outside_reference"].startswith("https://")


def test_people_posts(graph):
    got = {(r["person_label"], r["title"], r["organisation_label"]) for r in rows(graph, "people-posts")}
    assert ("Li Zhanshu", "Chairman", "Standing Committee of the National People's Congress") in got
    assert ("Sophie Richardson", "China director", "Human Rights Watch") in got
    assert ("Agnes Callamard", "Secretary General", "Amnesty International") in got
    assert any(p == "Anjhula Mya Singh Bais" and t == "Chair" for p, t, _ in got)


def test_claims(graph):
    got = rows(graph, "claims")
    figures = {(r["qualifier"], r["value"]) for r in got}
    assert {("at least", 35), ("at least", 10000), (None, 13000000)} <= figures
    assert all(r["claimant_label"] and r["text"] for r in got)


@pytest.mark.parametrize("claimant", ["Amnesty International", "amnesty"])
def test_claims_of_one_claimant(graph, claimant):
    got = rows(graph, "claims", claimant=claimant)
    assert got
    assert {r["claimant_label"] for r in got} == {"Amnesty International"}
    assert 35 in {r["value"] for r in got}


def test_outside_references(graph):
    got = rows(graph, "outside-references")
    assert got
    urls = {r["url"] for r in graph.select("SELECT ?url WHERE { ?s a hk:OutsideReference ; schema:url ?url }")}
    assert {r["url"] for r in got} <= urls
    assert any(r["edtf"] == "2019-06-15" for r in got)


def test_event_types(graph):
    got = {r["type"]: r for r in rows(graph, "event-types")}
    for t in (
        "legislation",
        "legislative session",
        "protest",
        "statement",
        "open letter",
        "petition",
        "campaign",
        "report",
        "sanction call",
        "organisational closure",
    ):
        assert t in got, t
    assert "statement" in got["press release"]["broader"]
    assert got["open letter"]["events"] >= 1
    assert sum(r["events"] for r in got.values()) == len(graph.timeline())


# ----------------------------------------------------------------------------- parameters


@pytest.mark.parametrize("name", sorted(n for n, q in LIBRARY.items() if q.required_params))
def test_missing_required_parameter(graph, name):
    with pytest.raises(QueryError, match="needs --param"):
        graph.query(name)


def test_unknown_parameter(graph):
    with pytest.raises(QueryError, match="has no parameter 'actress'"):
        graph.query("actor-timeline", {"actor": "HRW", "actress": "x"})
    with pytest.raises(QueryError, match="has no parameter"):
        graph.query("signatories", {"x": "1"})


def test_unknown_query_name(graph):
    with pytest.raises(QueryError, match="no named query 'signatorys'"):
        graph.query("signatorys")


@pytest.mark.parametrize("name, param", sorted((n, p) for n, q in LIBRARY.items() for p in q.param_names))
def test_parameter_values_are_values_not_syntax(graph, name, param):
    before = len(graph)
    params = dict(required_params(name))
    params[param] = INJECTION
    if param in LIBRARY[name].lookups:  # a name: looked up as a name, and nothing has it
        with pytest.raises(NotFound, match=re.escape(repr(INJECTION.strip()))):
            graph.select(name, params)
    else:
        assert graph.select(name, params) == []
    assert len(graph) == before


def test_parameters_are_typed(graph):
    got = rows(graph, "timeline-between", **{"from": "2021-10-25", "to": "2021-10-25"})
    # dates compare as days: every event found may have begun on that day
    assert got and all(r["earliest_begin"] <= "2021-10-25" <= r["latest_begin"] for r in got)
    assert "2021-10-25" in {r["earliest_begin"] for r in got}


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE {\n  ?s ?p ?o .\n  SERVICE\n<http://example.org/> { ?s ?p ?x } }",
    ],
)
def test_service_is_refused(graph, query):
    with pytest.raises(QueryError, match="SERVICE"):
        graph.query(query)


def test_the_word_service_in_a_literal_or_comment_is_fine(graph):
    assert graph.select('SELECT ?x WHERE { BIND("SERVICE" AS ?x) } # no SERVICE here') == [{"x": "SERVICE"}]


@pytest.mark.parametrize(
    "query, line",
    [
        ("SELECT ?x WHERE {\n  ?x a sem:Event .\n  FILTER(?x = ) }", 3),
        ("SELEC ?x WHERE { ?x ?p ?o }", 1),
        ("SELECT ?x WHERE { ?x a nope:Event }", 1),
    ],
)
def test_syntax_error_gives_line_and_column(graph, query, line):
    with pytest.raises(QueryError) as info:
        graph.query(query)
    msg = str(info.value)
    assert f"line {line}" in msg and "column" in msg
    assert "^" in msg  # a caret under the position
    assert not re.search(r"\d+:\d+", msg)  # the position said once, not also as Oxigraph's "error at L:C"


# ----------------------------------------------------------------------------- result formats


@pytest.fixture(scope="module")
def result(graph):
    q = """SELECT ?e ?label ?begin ?n ?none WHERE {
             ?e a sem:Event ; rdfs:label ?label ; sem:hasEarliestBeginTimeStamp ?begin .
             BIND(1 AS ?n) OPTIONAL { ?e hk:noSuchProperty ?none } } ORDER BY ?begin ?label LIMIT 5"""
    return graph.query(q)


def test_json_results(result):
    doc = json.loads(result.serialize("json"))
    assert doc["head"]["vars"] == ["e", "label", "begin", "n", "none"]
    bindings = doc["results"]["bindings"]
    assert len(bindings) == 5
    first = bindings[0]
    assert first["e"]["type"] == "uri" and first["e"]["value"].startswith(ID + "event/")
    assert first["label"]["type"] == "literal" and first["label"]["xml:lang"] == "en"
    assert first["begin"] == {
        "type": "literal",
        "value": first["begin"]["value"],
        "datatype": "http://www.w3.org/2001/XMLSchema#date",
    }
    assert first["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert "none" not in first  # unbound variables are left out


def test_xml_results(result):
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(result.serialize("xml"))
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["e", "label", "begin", "n", "none"]
    results = root.findall("r:results/r:result", ns)
    assert len(results) == 5
    bindings = {b.get("name"): b for b in results[0].findall("r:binding", ns)}
    assert set(bindings) == {"e", "label", "begin", "n"}
    assert bindings["e"].find("r:uri", ns).text.startswith(ID)
    label = bindings["label"].find("r:literal", ns)
    assert label.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert bindings["begin"].find("r:literal", ns).get("datatype").endswith("#date")


def test_csv_results(result):
    table = list(csv.reader(io.StringIO(result.serialize("csv"))))
    assert table[0] == ["e", "label", "begin", "n", "none"]
    assert len(table) == 6
    assert table[1][0].startswith(ID) and table[1][3] == "1" and table[1][4] == ""
    assert [r[1] for r in table[1:]] == [d["label"] for d in result.dicts()]


def test_tsv_results(result):
    lines = result.serialize("tsv").splitlines()
    assert lines[0].split("\t") == ["?e", "?label", "?begin", "?n", "?none"]
    assert len(lines) == 6
    cells = lines[1].split("\t")
    assert cells[0].startswith(f"<{ID}") and cells[1].endswith('"@en')
    assert cells[2].endswith("^^<http://www.w3.org/2001/XMLSchema#date>")


def test_csv_quotes_commas_in_labels(graph):
    got = graph.query("signatories").serialize("csv")
    table = list(csv.DictReader(io.StringIO(got)))
    assert len(table) == len(graph.select("signatories"))
    assert {r["signatory_label"] for r in table} == {r["signatory_label"] for r in graph.select("signatories")}


def test_table_and_markdown(result):
    table = result.serialize("table")
    assert table.splitlines()[0].split() == ["e", "label", "begin", "n", "none"]
    assert table.rstrip().endswith("(5 rows)")
    md = result.serialize("md").splitlines()
    assert md[0] == "| e | label | begin | n | none |" and len(md) == 7


def test_unknown_result_format(result):
    with pytest.raises(QueryError, match="unknown result format"):
        result.serialize("yaml")


def test_ask_and_construct(graph):
    assert graph.query("ASK { ?e a sem:Event }") is True
    assert graph.query("ASK { ?e a sem:NoSuchClass }") is False
    triples = graph.query("CONSTRUCT { ?e a sem:Event } WHERE { ?e a sem:Event }")
    assert len(triples) == len(graph.timeline())


# ----------------------------------------------------------------------------- one name lookup

#: One actor, written as a researcher might: id, IRI, label, alternative name, other cases.
HRW = ["human-rights-watch", "actor/human-rights-watch", f"{ID}actor/human-rights-watch", "Human Rights Watch"]
HRW += ["HRW", "hrw", "HUMAN RIGHTS WATCH", "human rights watch"]


def test_every_parameter_that_names_a_resource_is_looked_up():
    """A parameter described as a name is declared ``# lookup:`` (the .rq compares no names itself)."""
    for q in LIBRARY.values():
        for pname, desc in q.params:
            assert ("name" in desc or " id" in desc) == (pname in q.lookups), (q.name, pname)
        assert "LCASE" not in q.text, q.name
        for kinds in q.lookups.values():
            assert kinds and set(kinds) <= set(__import__("kg.backends.lookup").backends.lookup.KINDS)


def _query_events(invoke, pre: list[str], actor: str) -> list[str]:
    result = invoke(*pre, "query", "actor-timeline", "--param", f"actor={actor}", "--format", "json")
    assert result.exit_code == 0, result.output
    return list(dict.fromkeys(b["event"]["value"] for b in json.loads(result.output)["results"]["bindings"]))


def _timeline_events(invoke, pre: list[str], actor: str) -> list[str]:
    result = invoke(*pre, "timeline", "--actor", actor, "--format", "json")
    assert result.exit_code == 0, result.output
    return [e["iri"] for e in json.loads(result.output)]


def _same_answers(invoke, pre: list[str]) -> None:
    expected = _timeline_events(invoke, pre, "Human Rights Watch")
    assert len(expected) >= 2
    for name in HRW:
        assert _query_events(invoke, pre, name) == _timeline_events(invoke, pre, name) == expected, name
    for name in ("Amnesty", "npcsc", "Li Zhanshu", "li-zhanshu"):  # alternative names, ids, labels
        assert _query_events(invoke, pre, name) == _timeline_events(invoke, pre, name), name
    # the same refusal for a name nothing answers to: exit 5, with suggestions
    query = invoke(*pre, "query", "actor-timeline", "--param", "actor=Human Rights Wach")
    timeline = invoke(*pre, "timeline", "--actor", "Human Rights Wach")
    assert query.exit_code == timeline.exit_code == 5
    assert query.output == timeline.output and "did you mean: 'Human Rights Watch'" in query.output


def test_kg_query_and_kg_timeline_find_the_same_actor(invoke):
    _same_answers(invoke, [])


@pytest.mark.slow
def test_kg_query_and_kg_timeline_find_the_same_actor_in_a_store(graph, invoke, tmp_path):
    dump = tmp_path / "graph.nt"
    dump.write_bytes(graph.export("nt"))
    assert invoke("load", str(dump), "--store", str(tmp_path / "store")).exit_code == 0
    _same_answers(invoke, ["--store", str(tmp_path / "store")])


@pytest.mark.endpoint
def test_kg_query_and_kg_timeline_find_the_same_actor_at_an_endpoint(invoke):
    from servers import start_kg_serve, stop

    proc, base = start_kg_serve()
    try:
        _same_answers(invoke, ["--endpoint", f"{base}/query"])
    finally:
        stop(proc)


def test_a_name_of_several_resources_is_refused_with_their_ids(graph, invoke):
    """A parameter is one resource: "Beijing" is a place and an alternative name of the
    Chinese government, so the query asks which (kg show picks the first and lists the others)."""
    with pytest.raises(NotFound, match=r"'Beijing' names 2 resources \(actor/chinese-government, place/beijing\)"):
        graph.select("quotes", {"name": "Beijing"})
    assert graph.select("quotes", {"name": "place/beijing"})
    result = invoke("query", "quotes", "--param", "name=BEIJING")  # (beijing: the id of the place)
    assert result.exit_code == 5 and "give one of these ids" in result.output


def test_a_parameter_given_as_an_iri_is_that_resource(graph):
    by_iri = rows(graph, "actor-timeline", actor=f"<{ID}actor/human-rights-watch>")
    assert by_iri == rows(graph, "actor-timeline", actor="HRW") and by_iri
    import pyoxigraph as ox

    assert rows(graph, "actor-timeline", actor=ox.NamedNode(f"{ID}actor/human-rights-watch")) == by_iri
