"""Hostile queries on the command line: no request leaves the machine, no crash, no hang.

Each case runs `kg` in a process of its own with a time bound (the subprocess timeout), and
checks the exit code, a one-line error without a traceback, and that nothing was written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile import Listener, clean_error, kg, service_queries

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
    assert ok.returncode == 0, ok.stderr


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
