"""Hostile queries on the command line: no request leaves the machine, no crash, no hang.

Each case runs `kg` in a process of its own with a time bound (the subprocess timeout), and
checks the exit code, a one-line error without a traceback, and that nothing was written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile import Listener, clean_error, ctrl_c_default, kg, service_queries

pytestmark = pytest.mark.hostile

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture()
def listener():
    found = Listener()
    yield found
    found.close()


def test_kg_query_refuses_service_in_every_form(listener):
    for text in service_queries(listener.url):
        result = kg("query", text, timeout=60)
        clean_error(result, 4, "SERVICE")
    listener.close()
    assert listener.hits == 0


def test_kg_query_refuses_service_from_a_file_and_stdin(listener, tmp_path):
    text = service_queries(listener.url)[0]
    (tmp_path / "q.rq").write_text(text, encoding="utf-8")
    clean_error(kg("query", "-f", str(tmp_path / "q.rq")), 4, "SERVICE")
    clean_error(kg("query", "-", stdin=text.encode()), 4, "SERVICE")
    listener.close()
    assert listener.hits == 0


def test_kg_viz_query_refuses_service(listener, tmp_path):
    query = tmp_path / "sub.rq"
    query.write_text(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND('''x''' AS ?x) SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        encoding="utf-8",
    )
    out = tmp_path / "view.html"
    clean_error(kg("viz", "--query", str(query), "-o", str(out)), 4, "SERVICE")
    assert not out.exists()
    listener.close()
    assert listener.hits == 0


def test_the_word_service_in_data_strings_and_iris_is_no_service():
    ok = kg(
        "query",
        "SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(?l, 'Service') || ?s = <urn:x:SERVICE>) } LIMIT 1",
        timeout=60,
    )
    assert ok.returncode == 0 and ok.stderr == b"", ok.stderr  # nothing freed on the wrong thread either


def test_the_shape_of_a_service_clause_is_refused_even_in_a_string():
    # where rdflib sees a string, another parser might not: the text is not trusted to either
    clean_error(kg("query", "SELECT * WHERE { BIND('SERVICE <http://127.0.0.1:9/> {' AS ?x) }"), 4, "SERVICE")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{" * 10000 + "}" * 10000,
        "SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 5000 + "1" + " ]" * 5000 + " }",
    ],
    ids=["braces", "parentheses", "blank-nodes"],
)
def test_deep_nesting_is_refused_before_parsing(text):
    result = kg("query", "-", stdin=text.encode(), timeout=60)
    clean_error(result, 4, "nested too deeply")


def test_deep_nesting_in_strings_is_data_not_nesting():
    text = "SELECT ?x WHERE { BIND('" + "{" * 5000 + "' AS ?x) }"
    result = kg("query", "-", "--format", "csv", stdin=text.encode(), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[1] == "{" * 5000


def test_validate_reads_no_file_outside_the_sources_directory(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    sources = tmp_path / "sources"
    sources.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("guess me", encoding="utf-8")
    text = (data / "sources.yaml").read_text(encoding="utf-8")
    name = text.split("file: ", 1)[1].split("\n", 1)[0]
    (data / "sources.yaml").write_text(text.replace(f"file: {name}", "file: ../secret.txt", 1), encoding="utf-8")
    result = kg("--data", str(data), "validate", "--sources", str(sources), timeout=120)
    assert result.returncode == 1, result.stderr
    out = (result.stdout + result.stderr).decode()
    assert "'../secret.txt' is outside the sources directory" in out
    assert "Traceback" not in out


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    where = tmp_path_factory.mktemp("store")
    assert kg("export", "--format", "nt", "-o", str(where / "g.nt")).returncode == 0
    assert kg("load", str(where / "g.nt"), "--store", str(where / "s")).returncode == 0
    return where / "s"


@pytest.mark.parametrize("on_store", [False, True], ids=["memory", "store"])
def test_query_timeout_stops_a_heavy_query(store, on_store):
    where = ("--store", str(store)) if on_store else ()
    result = kg(*where, "query", "--timeout", "2", HEAVY, timeout=30)
    clean_error(result, 4, "timed out after 2 s")
    assert result.stdout == b""


@pytest.mark.parametrize("on_store", [False, True], ids=["memory", "store"])
def test_ctrl_c_stops_a_heavy_query_at_once(store, on_store):
    import signal
    import subprocess
    import sys
    import time

    where = ["--store", str(store)] if on_store else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", *where, "query", HEAVY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_default,
    )
    time.sleep(3)  # loaded, and deep in the query
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)  # not the minutes the query would take
    assert proc.returncode == 130 and b"interrupted" in err and b"Traceback" not in err and out == b""


@pytest.mark.parametrize(
    ("param", "needle"),
    [("x y=3", "not a SPARQL variable name"), ("1-x=3", "not a SPARQL variable name"), ("=3", "NAME=VALUE")],
)
def test_bad_parameter_names(param, needle):
    clean_error(kg("query", "SELECT ?x WHERE { BIND(1 AS ?y) }", "--param", param), 2, needle)


def test_a_parameter_iri_that_is_not_one():
    clean_error(kg("query", "actor-timeline", "--param", "actor=<not an iri>"), 4, "not an IRI")


def test_a_query_that_is_not_utf_8(tmp_path):
    (tmp_path / "q.rq").write_bytes(b'SELECT * WHERE { ?s ?p "\xff\xfe" }')
    clean_error(kg("query", "-f", str(tmp_path / "q.rq")), 2, "not UTF-8")
    clean_error(kg("query", "-", stdin=b"SELECT \xff"), 4, "not UTF-8")
    clean_error(kg("query", 'SELECT * WHERE { BIND("\\ud800" AS ?x) }'), 4, "not UTF-8")


@pytest.mark.parametrize(
    "dates",
    [
        ("--from", "0001-01-01"),
        ("--to", "0001-01-01"),
        ("--from", "9999-12-31"),
        ("--from", "0001-01-01", "--to", "9999-12-31"),
    ],
)
def test_dates_at_the_ends_of_the_calendar(store, dates):
    for where in ((), ("--store", str(store))):
        for command in (("timeline", *dates, "--format", "json"), ("network", "central", "--window", "1W", *dates)):
            result = kg(*where, *command)
            assert result.returncode == 0 or clean_error(result, 2, "windows"), result.stderr[-800:]
            assert b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    "update",
    ["DROP ALL", "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", "CLEAR DEFAULT", "LOAD <http://127.0.0.1:9/>"],
)
def test_updates_are_refused_and_the_store_unchanged(store, update):
    count = ("--store", str(store), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    before = kg(*count).stdout
    clean_error(kg("--store", str(store), "query", update), 4)
    assert kg(*count).stdout == before
