"""The ``kg`` command with CliRunner: output, formats, --data/KG_DATA and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import cli

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINI = TESTS / "fixtures" / "mini"
COMMANDS = ("query", "queries", "timeline", "show", "validate", "export", "publish", "stats")


def mini_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    return root


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# ----------------------------------------------------------------------------- help


def test_help_lists_the_commands(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    listed = re.findall(r"^  (\w[\w-]*)\s", result.output.split("Commands:")[1], re.M)
    assert set(COMMANDS) <= set(listed)
    assert "Exit codes" in result.output


def test_help_imports_neither_rdflib_nor_pyoxigraph():
    code = (
        "import sys\n"
        "from kg.cli import cli\n"
        "try:\n"
        "    cli.main(['--help'], prog_name='kg', standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('rdflib' in sys.modules, 'pyoxigraph' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "Commands:" in proc.stdout  # the help was really printed
    assert proc.stderr.strip().splitlines()[-1] == "False False"


def test_version(invoke):
    import kg

    result = invoke("--version")
    assert result.exit_code == 0 and kg.__version__ in result.output


# ----------------------------------------------------------------------------- timeline


def test_timeline_2020(invoke, graph):
    result = invoke("timeline", "--from", "2020-01-01", "--to", "2020-12-31")
    assert result.exit_code == 0
    out = result.output
    expected = graph.timeline(start="2020-01-01", end="2020-12-31")
    assert out.rstrip().endswith(f"({len(expected)} rows)")
    positions = [out.index(e["label"]) for e in expected]
    assert positions == sorted(positions)  # in order
    assert "2020-06-18/2020-06-20" in out and "Standing Committee of the National People's Congress" in out
    assert "Amnesty International announces" not in out and "1984-12-19" not in out


def test_timeline_json_for_amnesty(invoke):
    result = invoke("timeline", "--actor", "Amnesty International", "--format", "json")
    assert result.exit_code == 0
    events = json.loads(result.output)
    assert len(events) >= 4
    for e in events:
        assert {
            "id",
            "label",
            "type",
            "edtf",
            "earliest_begin",
            "latest_begin",
            "earliest_end",
            "latest_end",
            "actors",
            "sources",
        } <= set(e)
        assert "Amnesty International" in e["actors"]
        assert isinstance(e["sources"], list) and e["sources"]
    assert [e["earliest_begin"] for e in events] == sorted(e["earliest_begin"] for e in events)


def test_timeline_csv_and_md(invoke, graph):
    result = invoke("timeline", "--type", "statement", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["event"] for r in rows] == [e["label"] for e in graph.timeline(type="statement")]
    assert "press release" in {r["type"] for r in rows}
    md = invoke("timeline", "--actor", "npcsc", "--format", "md").output.splitlines()
    assert md[0].startswith("| date | event |")
    assert any("2020-06-18/2020-06-20" in line for line in md)


def test_timeline_to_a_file(invoke, tmp_path):
    out = tmp_path / "t.json"
    result = invoke("timeline", "--actor", "HRW", "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    assert {"Human Rights Watch"} <= set(json.loads(out.read_text())[0]["actors"])


# ----------------------------------------------------------------------------- query


def test_query_text(invoke):
    result = invoke("query", 'SELECT ?l WHERE { ?a skos:altLabel "HRW"@en ; rdfs:label ?l }')
    assert result.exit_code == 0
    assert "Human Rights Watch" in result.output and "(1 row)" in result.output


def test_query_signatories_csv(invoke):
    result = invoke("query", "signatories", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    letter = [r for r in rows if r["document"].startswith("Open letter of 86 organisations")]
    assert len(letter) == 86
    assert set(rows[0]) == {"document", "edtf", "signatory_label", "signatory"}


def test_query_from_stdin(invoke):
    result = invoke("query", "-", "--format", "json", input="SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert int(doc["results"]["bindings"][0]["n"]["value"]) >= 30


def test_query_from_a_file(invoke, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(
        "# who chairs the NPCSC?\nSELECT ?name WHERE {\n  ?p hk:holdsPost/hk:postIn ?o ; rdfs:label ?name .\n"
        '  ?o skos:altLabel "NPCSC"@en }\n',
        encoding="utf-8",
    )
    result = invoke("query", "-f", str(path), "--format", "tsv")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["?name", '"Li Zhanshu"@en']


def test_query_with_a_parameter(invoke):
    result = invoke("query", "actor-timeline", "--param", "actor=HRW", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {r["actor_label"] for r in rows} == {"Human Rights Watch"}


def test_query_parameter_is_a_value(invoke):
    result = invoke("query", "actor-timeline", "--param", 'actor=" } ; DROP ALL #', "--format", "csv")
    assert result.exit_code == 5  # a name nothing answers to, as kg timeline --actor says it
    assert result.output.startswith("Error: no actor named '\" } ; DROP ALL #'")
    result = invoke("query", "timeline-between", "--param", 'from=" } ; DROP ALL #', "--format", "csv")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == 1  # the header only


def test_query_xml_and_construct(invoke):
    import xml.etree.ElementTree as ET

    result = invoke("query", "people-posts", "--format", "xml")
    assert result.exit_code == 0
    assert ET.fromstring(result.output).tag.endswith("}sparql")
    result = invoke(
        "query", 'CONSTRUCT { ?e a sem:Event } WHERE { ?e hk:edtf "2021-06"^^<http://id.loc.gov/datatypes/edtf> }'
    )
    assert result.exit_code == 0
    assert "amnesty-report-june-2021" in result.output
    assert invoke("query", "ASK { ?e a sem:Event }").output.strip() == "true"


def test_queries_lists_the_library(invoke):
    from kg.sparql import library

    result = invoke("queries")
    assert result.exit_code == 0
    for name, q in library().items():
        assert name in result.output and q.question in result.output
    assert "--param actor=" in result.output
    listed = json.loads(invoke("queries", "--format", "json").output)
    assert {q["name"] for q in listed} == set(library())


# ----------------------------------------------------------------------------- show, stats


def test_show_li_zhanshu(invoke):
    result = invoke("show", "Li Zhanshu")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Li Zhanshu  [actor/li-zhanshu]")
    assert "Posts:" in out and "Chairman, Standing Committee of the National People's Congress" in out
    assert "Events:" in out and "Open letter of 86 organisations" in out
    assert "Quotes:" in out and "“Sign the petition urging Li Zhanshu”" in out


def test_show_json_and_alt_label(invoke):
    info = json.loads(invoke("show", "hrw", "--format", "json").output)
    assert info["label"] == "Human Rights Watch"
    assert "schema:Organization" in info["classes"]
    assert any(q["quote"] == "said Sophie Richardson, China director at Human Rights Watch" for q in info["quotes"])


def test_show_gives_a_skos_xl_name_by_its_form(invoke):
    """A name with sources of its own (a SKOS-XL label) reads as the name, not as its node's id."""
    info = json.loads(invoke("show", "Li Zhanshu", "--format", "json").output)
    names = sorted(f["value"] for f in info["facts"] if f["property"] == "skosxl:altLabel")
    assert names == ["栗战书", "栗戰書"]


def test_show_an_event(invoke):
    info = json.loads(invoke("show", "npcsc-session-june-2020", "--format", "json").output)
    assert info["iri"].endswith("/event/npcsc-session-june-2020")
    assert any(f["value"] == "2020-06-18/2020-06-20" for f in info["facts"])
    assert info["quotes"]


def test_show_finds_laws_claims_and_posts_by_id_or_name(invoke):
    """Every kind a page exists for can be shown, not only events, actors, places and sources."""
    for text in ("national-security-law", "National Security Law", "law/basic-law"):
        info = json.loads(invoke("show", text, "--format", "json").output)
        assert "hk:Law" in info["classes"], text
    law = json.loads(invoke("show", "national-security-law", "--format", "json").output)
    assert law["iri"].endswith("/law/national-security-law")
    assert any(e["event"].startswith("Passage of the Hong Kong national security law") for e in law["incoming"])


def test_show_gives_each_claim_once_with_its_claimants_folded(invoke):
    from kg.explore.show import CLAIMANTS_SHOWN

    claims = json.loads(invoke("show", "Amnesty International", "--format", "json").output)["claims"]
    by_claim: dict[str, list[str]] = {}
    for c in claims:
        by_claim.setdefault(c["text"], []).append(c["claimant"])
    text, who = max(by_claim.items(), key=lambda kv: len(kv[1]))  # a claim of the letter's signatories
    assert len(who) > CLAIMANTS_SHOWN + 1  # json keeps every claimant
    for fmt in ("text", "md"):
        out = invoke("show", "Amnesty International", "--format", fmt, "--width", "0").output
        assert out.count(text) == 1 and f"and {len(who) - CLAIMANTS_SHOWN} more: {text}" in out
        assert who[-1] not in out.split("Claims")[1].split("Quotes")[0] and "--all" in out
        full = invoke("show", "Amnesty International", "--format", fmt, "--width", "0", "--all").output
        assert full.count(text) == 1 and all(name in full for name in who) and len(full) > len(out)


def test_show_folds_long_lists_unless_all(invoke):
    from kg.explore.show import FOLD

    info = json.loads(invoke("show", "open-letter-to-li-zhanshu", "--format", "json").output)
    signatories = [f["value"] for f in info["facts"] if f["property"] == "signatory"]
    assert len(signatories) > FOLD + 1 and len(info["quotes"]) > FOLD + 1  # json has them all
    out = invoke("show", "open-letter-to-li-zhanshu", "--width", "0").output
    assert f"… and {len(signatories) - FOLD} more values of signatory (--all lists them all)" in out
    assert f"signatory: {signatories[FOLD - 1]}" in out and f"signatory: {signatories[FOLD]}" not in out
    assert "more quotes (--all lists them all)" in out
    full = invoke("show", "open-letter-to-li-zhanshu", "--width", "0", "--all").output
    assert all(f"signatory: {name}" in full for name in signatories) and "--all" not in full
    assert len(full.splitlines()) > 3 * len(out.splitlines())


def test_stats(invoke, graph):
    result = invoke("stats")
    assert result.exit_code == 0
    assert re.match(r"\d+ triples", result.output)
    assert "events by type:" in result.output and "events by date precision:" in result.output
    info = json.loads(invoke("stats", "--format", "json").output)
    assert info["classes"]["sem:Event"] == len(graph.timeline())
    assert sum(info["event_types"].values()) == len(graph.timeline())
    assert sum(info["date_precision"].values()) == len(graph.timeline())
    assert info["triples"] == len(graph)


# ----------------------------------------------------------------------------- validate


def test_validate_bundled_data(invoke, monkeypatch):
    from shared_results import shacl_of_bundled_graph, shacl_violations

    import kg.curate.validate

    def shared_shacl(graph):  # the same graph: reuse the session's pySHACL run (several seconds)
        assert len(graph) == shacl_of_bundled_graph()[0] and graph.data_dir == (ROOT / "data").resolve()
        return shacl_violations()

    monkeypatch.setattr(kg.curate.validate, "check_shacl", shared_shacl)
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert "OK: the graph holds to CONTRACT.md" in result.output


def test_validate_fails_on_an_altered_quote(invoke, tmp_path):
    root = mini_copy(tmp_path)
    path = root / "events" / "closure.yaml"
    path.write_text(
        path.read_text().replace("Agnes Callamard said in the statement", "Agnes Callamard said in a statement")
    )
    result = invoke("--data", str(root), "validate")
    assert result.exit_code == 1
    assert "1 not verbatim" in result.output
    assert "“Agnes Callamard said in a statement”" in result.output
    assert "FAILED" in result.output
    doc = json.loads(invoke("--data", str(root), "validate", "--format", "json").output)
    assert doc["conforms"] is False and len(doc["quotes"]) == 1 and doc["shacl"] == []


def test_validate_explains_a_near_miss(invoke, tmp_path):
    root = mini_copy(tmp_path)
    path = root / "claims" / "figures.yaml"
    path.write_text(path.read_text().replace("groups\\u00a0have", "groups have"))
    result = invoke("--data", str(root), "validate")
    assert result.exit_code == 1
    assert "non-breaking space" in result.output


def test_validate_with_other_sources(invoke, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    result = invoke("--data", str(mini_copy(tmp_path)), "validate", "--sources", str(sources))
    assert result.exit_code == 1
    assert "not found" in result.output


# ----------------------------------------------------------------------------- export


def test_export_ttl_to_a_file(invoke, graph, tmp_path):
    out = tmp_path / "hk-timeline.ttl"
    result = invoke("export", "--format", "ttl", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_bytes() == graph.export("ttl")
    assert f"wrote {out}" in result.stderr


def test_export_to_stdout(invoke, mini, tmp_path):
    result = invoke("--data", str(MINI), "export", "--format", "nt")
    assert result.exit_code == 0
    assert result.stdout_bytes == mini.export("nt")


def test_export_write_failure_keeps_the_old_file(invoke, tmp_path, monkeypatch):
    out = tmp_path / "g.ttl"
    out.write_text("old\n")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    result = invoke("export", "--format", "ttl", "-o", str(out))
    assert result.exit_code == 6
    assert "No space left on device" in result.output
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]
    no_traceback(result)


# ----------------------------------------------------------------------------- --data and KG_DATA


def test_data_option(invoke):
    result = invoke("--data", str(MINI), "timeline", "--format", "json")
    assert result.exit_code == 0
    assert [e["id"] for e in json.loads(result.output)] == ["nsl-takes-effect", "closure-announcement"]


def test_kg_data_environment(runner):
    result = runner.invoke(cli, ["timeline", "--format", "json"], env={"KG_DATA": str(MINI)}, catch_exceptions=False)
    assert result.exit_code == 0
    assert [e["id"] for e in json.loads(result.output)] == ["nsl-takes-effect", "closure-announcement"]


def test_data_option_wins_over_environment(runner, tmp_path):
    result = runner.invoke(
        cli,
        ["--data", str(MINI), "stats", "--format", "json"],
        env={"KG_DATA": str(tmp_path / "nowhere")},
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert json.loads(result.output)["classes"]["sem:Event"] == 2


# ----------------------------------------------------------------------------- errors and exit codes


def test_broken_yaml_exit_3(invoke, tmp_path):
    root = mini_copy(tmp_path)
    path = root / "places.yaml"
    path.write_text(path.read_text().replace("  label: Hong Kong", "  label: Hong Kong: SAR"))
    result = invoke("--data", str(root), "timeline")
    assert result.exit_code == 3
    assert "places.yaml:2:" in result.stderr and "YAML syntax error" in result.stderr
    assert result.stdout == ""
    no_traceback(result)


def test_data_mistakes_exit_3_with_every_problem(invoke, tmp_path):
    root = mini_copy(tmp_path)
    path = root / "events" / "closure.yaml"
    path.write_text(
        path.read_text().replace("role: authority", "role: boss").replace("date: 2021-10-25", "date: 2021-10-32")
    )
    result = invoke("--data", str(root), "validate")
    assert result.exit_code == 3
    assert "events/closure.yaml:" in result.output
    assert "'boss' is not one of" in result.output and "bad EDTF date" in result.output
    no_traceback(result)


def test_missing_data_directory_exit_3(invoke, tmp_path):
    result = invoke("--data", str(tmp_path / "nowhere"), "timeline")
    assert result.exit_code == 3
    assert "no such data directory" in result.output
    no_traceback(result)


def test_bad_sparql_exit_4_with_position(invoke):
    result = invoke("query", "SELECT ?x WHERE {\n  ?x a sem:Event\n  FILTER(?x = ) }")
    assert result.exit_code == 4
    assert "line 3" in result.stderr and "column" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    "args, message",
    [
        (("query", "actor-timeline"), "needs --param actor="),
        (("query", "signatories", "--param", "x=1"), "has no parameter 'x'"),
        (("query", "no-such-query"), "no named query 'no-such-query'"),
        (("query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"), "SERVICE"),
    ],
)
def test_query_errors_exit_4(invoke, args, message):
    result = invoke(*args)
    assert result.exit_code == 4
    assert message in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        ("timeline", "--actor", "Nobody In Particular"),
        ("show", "Nobody In Particular"),
        ("timeline", "--type", "revolution"),
    ],
)
def test_unknown_name_exit_5(invoke, args):
    result = invoke(*args)
    assert result.exit_code == 5
    assert "Nobody In Particular" in result.stderr or "revolution" in result.stderr
    no_traceback(result)


def test_unknown_actor_suggests(invoke):
    result = invoke("timeline", "--actor", "Sophie Richardsen")
    assert result.exit_code == 5
    assert "did you mean: 'Sophie Richardson'" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "owl2"),
        ("timeline", "--format", "yaml"),
        ("query", "signatories", "--format", "yaml"),
        ("timeline", "--from", "2020-13-01"),
        ("query", "signatories", "--format", "ttl"),
        ("query", "signatories", "--param", "novalue"),
        ("no-such-command",),
    ],
)
def test_usage_errors_exit_2(invoke, args):
    result = invoke(*args)
    assert result.exit_code == 2
    no_traceback(result)


def test_validate_without_the_texts_checks_no_quote_and_fails(invoke, tmp_path):
    result = invoke("validate", "--sources", str(tmp_path))
    assert result.exit_code == 1
    assert "Quotes: 0 checked" in result.stdout
    assert " not checked (their document is missing)" in result.stdout
    assert "give --sources DIR" in result.stdout


# ----------------------------------------------------------------------------- what a new user hits


def test_show_every_source(invoke, graph):
    sources = graph.select("SELECT ?s WHERE { ?s dcterms:title ?t . ?s a prov:Entity } ORDER BY ?s")
    assert len(sources) >= 10
    for row in sources:
        result = invoke("show", row["s"])
        assert result.exit_code == 0, row["s"]
        no_traceback(result)
        assert "dcterms:title:" in result.output


def test_a_directory_without_data_files_is_an_error(invoke, tmp_path):
    result = invoke("--data", str(tmp_path), "timeline")
    assert result.exit_code == 3
    assert "no data files" in result.output and "(0 rows)" not in result.output


def test_publish_needs_a_directory(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["publish"])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_output_under_a_file_says_which_path_is_a_file(invoke, tmp_path):
    (tmp_path / "afile").write_text("keep\n")
    for args in (("timeline", "-o"), ("export", "--format", "ttl", "-o"), ("query", "signatories", "-o")):
        result = invoke(*args, str(tmp_path / "afile" / "out.txt"))
        assert result.exit_code == 6, args
        assert f"{tmp_path / 'afile'} is a file, not a directory" in result.output
        assert "File exists" not in result.output
    assert (tmp_path / "afile").read_text() == "keep\n"


@pytest.mark.parametrize("option", ["--actor", "--type"])
def test_an_empty_filter_is_a_usage_error(invoke, option):
    result = invoke("timeline", option, "")
    assert result.exit_code == 2
    assert f"{option} needs a name" in result.output


def test_load_survives_a_date_cut_inside_a_character(tmp_path):
    """N-Triples whose xsd:date has a multi-byte character where the index reads ten bytes."""
    nt = tmp_path / "odd.nt"
    event = "<https://example.org/e1>"
    nt.write_text(
        f"{event} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://semanticweb.cs.vu.nl/2009/11/sem/Event> .\n"
        f'{event} <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp> "2020-01-0é"'
        "^^<http://www.w3.org/2001/XMLSchema#date> .\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "kg", "load", str(nt), "--store", str(tmp_path / "store")],
        capture_output=True,
        text=True,
    )
    assert "UnicodeDecodeError" not in done.stderr and "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr


def test_stats_counts_what_the_readme_speaks_of(invoke):
    records = json.loads(invoke("stats", "--format", "json").output)["records"]
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = {
        "events": r"(\d+) events, \d+ actors",
        "actors": r"\d+ events, (\d+) actors",
        "attributed claims": r"(\d+) attributed claims",
        "evidenced links between events (causes, stated motivations, responses, sequels)": r"(\d+) evidenced links",
        "roles of actors with their own quotes": r"(\d+) roles with their own quotes",
        "verbatim quotes": r"(\d+) verbatim quotes",
        "source documents": r"verbatim quotes from (\d+) documents",
        "outside references": r"(\d+) outside references",
    }
    for name, pattern in said.items():
        assert int(re.search(pattern, text).group(1)) == records[name], name
    table = invoke("stats").output
    assert "roles of actors with their own quotes" in table and "hk:EventRelation: the evidence of" in table


# ----------------------------------------------------------------------------- coordinates and row facts


def test_import_keeps_coordinates_fatalities_notes_and_codes(tmp_path):
    import pyoxigraph as ox

    from kg.curate.importer import convert
    from kg.namespaces import HK, RDFS, SCHEMA, WGS84, XSD

    examples = ROOT / "examples"
    store = ox.Store()
    for table, mapping in (("acled-hong-kong.csv", "acled"), ("gdelt-sample.export.CSV", "gdelt")):
        out = tmp_path / f"{mapping}.nq"
        convert(examples / table, mapping, out)
        store.load(path=str(out), format=ox.RdfFormat.N_QUADS)

    def values(s: str, p: str) -> list:
        return [q.object for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)]

    place = "https://w3id.org/hk-timeline-kg/id/place/admiralty"
    (point,) = values(place, SCHEMA + "geo")
    assert values(point.value, SCHEMA + "latitude")[0].value == "22.2793"
    assert values(place, WGS84 + "long")[0] == ox.Literal("114.1652", datatype=ox.NamedNode(XSD + "decimal"))
    event = "https://w3id.org/hk-timeline-kg/id/event/acled-exa0002"
    assert values(event, HK + "fatalities") == [ox.Literal("0", datatype=ox.NamedNode(XSD + "integer"))]
    assert "not ACLED data" in values(event, RDFS + "comment")[0].value
    china = "https://w3id.org/hk-timeline-kg/id/actor/china"
    assert [v.value for v in values(china, SCHEMA + "identifier")] == ["CHNGOV"]
    gdelt = "https://w3id.org/hk-timeline-kg/id/event/gdelt-900000001"
    assert values(gdelt, SCHEMA + "subjectOf") == [ox.NamedNode("https://example.org/illustrative/gdelt-layout-1")]


def test_a_mapping_with_a_bad_fact_is_refused(invoke, tmp_path):
    mapping = (ROOT / "kg" / "curate" / "mappings" / "acled.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(mapping.replace("property: hk:fatalities", "property: nope:fatalities"), encoding="utf-8")
    result = invoke(
        "import", str(ROOT / "examples" / "acled-hong-kong.csv"), "--mapping", str(bad), "--store", str(tmp_path / "s")
    )
    assert result.exit_code == 3 and "nope:fatalities" in result.output


def test_places_take_coordinates_from_a_cited_reference(invoke, tmp_path):
    root = mini_copy(tmp_path)
    places = root / "places.yaml"
    text = places.read_text(encoding="utf-8")
    source = "amnesty-press-release"  # an outside reference of the mini data
    with_geo = text.replace(
        "- id: hong-kong\n", f"- id: hong-kong\n  geo: {{latitude: 22.3, longitude: 114.2, reference: {source}}}\n"
    )
    assert with_geo != text
    places.write_text(with_geo, encoding="utf-8")
    facts = json.loads(invoke("--data", str(root), "show", "hong-kong", "--format", "json").output)["facts"]
    assert {"property": "wgs84:lat", "value": 22.3} in facts and {
        "property": "schema:geo",
        "value": "geo/hong-kong",
    } in facts
    places.write_text(with_geo.replace("latitude: 22.3", "latitude: 122.3"), encoding="utf-8")
    result = invoke("--data", str(root), "timeline")
    assert result.exit_code == 3 and "not a WGS 84 latitude and longitude" in result.output
