"""``kg validate`` on an on-disk store reports what it reports on the data the store was loaded
from, and finds mistakes planted in a synthetic store of CONTRACT.md's shape (evidence as blank
nodes), both ways the checks run (a set at a time, or node by node for few focus nodes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SOURCES

from kg import paths
from kg.backends.loading import load_files
from kg.curate.shacl import compile_shapes, violations
from kg.graph import open_store

MINI = ROOT / "tests" / "fixtures" / "mini"
OA = "http://www.w3.org/ns/oa#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"


def _report(invoke, *args: str) -> dict:
    result = invoke(*args, "validate", "--sources", str(SOURCES), "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.output)


def test_a_broken_record_gives_the_same_violations_from_the_data_and_from_a_store(invoke, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    events = root / "events" / "closure.yaml"
    text = events.read_text(encoding="utf-8")
    text = text.replace("  date: 2021-10-25\n", '  date: "[2021-10-25..2021-10-20]"\n', 1)  # ends before it begins
    text = text.replace("Agnes Callamard said in the statement", "Agnes Callamard said in a statement", 1)
    events.write_text(text, encoding="utf-8")
    from_data = _report(invoke, "--data", str(root))
    assert {"event/closure-announcement"} == {v["focus"] for v in from_data["shacl"]}
    assert any("not after the latest begin" in v["message"] for v in from_data["shacl"])
    assert len(from_data["quotes"]) == 1 and "said in a statement" in from_data["quotes"][0]

    export = tmp_path / "mini.nq"
    assert invoke("--data", str(root), "export", "--format", "nq", "-o", str(export)).exit_code == 0
    assert invoke("load", str(export), "--store", str(tmp_path / "store")).exit_code == 0
    from_store = _report(invoke, "--store", str(tmp_path / "store"))
    assert from_store["shacl"] == from_data["shacl"]
    assert from_store["quotes"] == from_data["quotes"]
    assert from_store["checked_quotes"] == from_data["checked_quotes"]
    assert from_store["documents"] == from_data["documents"] == []


def test_outside_the_checkout_validate_checks_what_it_can_and_says_the_quotes_were_not(tmp_path):
    """The package as a wheel installs it (data and schema in kg/_bundled), run where no
    ../shared/sources is: the shapes and rules run, the quotes are counted but not checked, and
    the report says how to give the texts; the exit is 0 when all that ran holds, 1 when
    something broke, and with the texts given every quote is checked."""
    package = tmp_path / "site-packages" / "kg"
    shutil.copytree(ROOT / "kg", package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("data", "schema"):
        (package / "_bundled" / name).parent.mkdir(exist_ok=True)
        (package / "_bundled" / name).symlink_to(ROOT / name)
    (tmp_path / "work").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "KG_SOURCES"} | {"PYTHONPATH": str(package.parent)}

    def kg(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "kg", *args]
        return subprocess.run(command, cwd=tmp_path / "work", env=env, capture_output=True, text=True, check=False)

    result = kg("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "SHACL (schema/shapes.ttl): conforms" in lines
    assert (
        "Source documents: NOT CHECKED, nor the quotes against their texts: no corpus texts at"
        " ../shared/sources (give --sources DIR or set KG_SOURCES)"
    ) in lines
    quotes = next(line for line in lines if line.startswith("Quotes: "))
    assert quotes.startswith("Quotes: 0 checked, all verbatim, ") and quotes.endswith(" not checked (no corpus texts)")
    assert lines[-1] == "OK as far as checked: the quotes were not checked against the corpus texts"
    doc = json.loads(kg("validate", "--format", "json").stdout)
    assert doc["conforms"] and not doc["sources_found"] and doc["checked_quotes"] == 0 < doc["unchecked_quotes"]

    root = tmp_path / "broken"
    shutil.copytree(MINI, root)
    events = root / "events" / "closure.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace("  date: 2021-10-25\n", '  date: "[2021-10-25..2021-10-20]"\n', 1), encoding="utf-8")
    broken = kg("--data", str(root), "validate")
    assert broken.returncode == 1 and broken.stdout.endswith("FAILED\n")
    assert "not after the latest begin" in broken.stdout and "NOT CHECKED" in broken.stdout
    given = kg("validate", "--sources", str(SOURCES))
    assert given.returncode == 0 and "Quotes: 0 checked" not in given.stdout
    assert given.stdout.endswith("OK: the graph holds to CONTRACT.md\n")


def _synthetic(tmp_path: Path, name: str, edit=None) -> Path:
    """A store of 300 synthetic events (benchmarks/synth.py), its N-Triples changed by ``edit``."""
    nt = tmp_path / f"{name}.nt"
    synth = [sys.executable, str(ROOT / "benchmarks" / "synth.py"), "300", str(nt), "--blank-evidence"]
    subprocess.run(synth, check=True)
    if edit is not None:
        nt.write_text(edit(nt.read_text(encoding="utf-8")), encoding="utf-8")
    with open_store(tmp_path / name, create=True) as store:
        load_files(store, [nt])
    return tmp_path / name


def _without(text: str, *parts: str) -> str:
    """The N-Triples without the one line holding every one of ``parts``."""
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if all(p in line for p in parts)]
    assert len(found) == 1, parts
    del lines[found[0]]
    return "".join(lines)


def _planted(text: str) -> str:
    text = _without(text, "/id/event/e1> ", "rdf-schema#label")  # an event without a label
    late = "/id/event/e2> <" + SEM + "hasLatestBeginTimeStamp>"
    lines = text.splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if late in line)
    lines[i] = lines[i].split('"')[0] + '"2000-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n'  # out of order
    text = "".join(lines)
    return _without(text, "_:t3 ", OA + "hasSelector")  # a quote's target without its selector


def test_a_synthetic_store_conforms_and_reports_the_mistakes_planted_in_it(tmp_path):
    plan = compile_shapes(paths.schema_dir() / "shapes.ttl")
    with open_store(_synthetic(tmp_path, "clean"), read_only=True) as store:
        assert violations(store, plan) == []  # benchmarks/synth.py writes what the contract asks
    with open_store(_synthetic(tmp_path, "planted", _planted), read_only=True) as store:
        found_all = violations(store, plan)
        assert violations(store, plan, per_node=True) == violations(store, plan, per_node=False) == found_all
    found = {(v["focus"] if not v["focus"].startswith("_:") else "_:", v["path"], v["message"]) for v in found_all}
    details = "See details for more information."
    assert ("event/e1", "rdfs:label", "exactly one rdfs:label in English (@en)") in found
    assert ("event/e1", "schema:name", "schema:name repeats the rdfs:label") in found  # a label of its own
    order = "one xsd:date earliest begin, not after the latest begin"
    assert ("event/e2", "sem:hasEarliestBeginTimeStamp", order) in found
    assert ("event/e2", "", f"Value does not conform to Shape hks:Dated. {details}") in found
    assert any(f == "_:" and p == "oa:hasSelector" and m.startswith("Less than 1 values") for f, p, m in found)
    assert ("_:", "oa:hasTarget", f"Value does not conform to Shape hks:TargetShape. {details}") in found
    # and nothing else: the label and its name; the date and the shape it fails; the selector and its annotation
    assert len(found_all) == 6, found_all
