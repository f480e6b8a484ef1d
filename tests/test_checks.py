"""The curation rules of ``kg validate`` (kg.curate.checks): each catches its class of error by
itself, on a copy of the real data broken in exactly that way, and names file, line and rule.

The copy's records are chosen by reading it, not by their ids, so that the tests hold while
the data changes; a finding counts only if the unbroken copy did not have it already.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SOURCES

from kg.curate import checks
from kg.curate.records import RELATIONS, Dataset

DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def _no_shacl(monkeypatch):
    """SHACL (several seconds a run) is tested elsewhere; here only the curation rules matter."""
    import kg.curate.validate

    monkeypatch.setattr(kg.curate.validate, "check_shacl", lambda graph: [])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    return root


def records(root: Path) -> Dataset:
    return checks.read_dataset(root)


def present(root: Path) -> set[tuple[str, int, str]]:
    return {(f.file, f.line, f.rule) for f in checks.check_directory(root)}


def edit(root: Path, file: str, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on one line (1-based) of a data file."""
    path = root / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], (file, line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def drop(root: Path, file: str, line: int) -> None:
    """Delete the key on a line of a data file, with its value's lines (indented deeper)."""
    path = root / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    end = line
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    del lines[line - 1 : end]
    path.write_text("".join(lines), encoding="utf-8")


def assert_caught(root: Path, file: str, line: int, rule: str, *words: str) -> None:
    """The library's validate and ``kg --data DIR validate`` both fail on it, naming file, line, rule."""
    import kg
    from kg.cli import cli
    from kg.curate.validate import validate

    where = f"{file}:{line}: [{rule}]"
    report = validate(kg.load(root), SOURCES)
    assert not report.conforms
    found = [f for f in report.curation if (f["file"], f["line"], f["rule"]) == (file, line, rule)]
    assert found, report.render()
    assert all(w in found[0]["message"] for w in words), found[0]["message"]
    result = CliRunner().invoke(cli, ["--data", str(root), "validate"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert where in result.output, result.output
    assert "FAILED" in result.output
    doc = json.loads(CliRunner().invoke(cli, ["--data", str(root), "validate", "--format", "json"]).output)
    assert doc["conforms"] is False and found[0] in doc["curation"]


# ----------------------------------------------------------------------------- each rule


def test_a_cause_that_may_begin_after_its_effect(data):
    before = present(data)
    ds = records(data)
    event, rel = next(
        (e, r)
        for e in ds["event"].values()
        for key in RELATIONS
        for r in e.get(key) or []
        if (e.file, r.line, "temporal-order") not in before
    )
    other = ds["event"][rel["event"]]
    edit(data, other.file, other.line_of("date"), str(other["date"]), "2099-01-01")
    assert_caught(data, event.file, rel.line, "temporal-order", event["id"], other["id"], "2099-01-01")


def test_a_part_that_begins_before_its_whole(data):
    before = present(data)
    ds = records(data)
    event = next(
        e
        for e in ds["event"].values()
        if e.get("part_of") and (e.file, e.line_of("part_of"), "temporal-order") not in before
    )
    edit(data, event.file, event.line_of("date"), str(event["date"]), "1901-01-01")
    assert_caught(data, event.file, event.line_of("part_of"), "temporal-order", "1901-01-01", "begins before")


def test_an_actor_whose_quotes_never_name_it(data):
    before = present(data)
    actor = next(
        a
        for a in records(data)["actor"].values()
        if not a.get("alt_labels") and a.get("evidence") and (a.file, a.line, "actor-named") not in before
    )
    edit(data, actor.file, actor.line_of("label"), str(actor["label"]), "Qwzx Nonesuch")
    assert_caught(data, actor.file, actor.line, "actor-named", actor["id"], "Qwzx Nonesuch")


def test_a_role_without_a_quote_of_its_own(data):
    event, role = next(
        (e, r)
        for e in records(data)["event"].values()
        for r in e["actors"]
        if r.get("evidence") and r.line_of("evidence") > r.line
    )
    drop(data, event.file, role.line_of("evidence"))
    assert_caught(data, event.file, role.line, "quote-of-its-own", event["id"], role["actor"])


def test_a_relation_without_a_quote_is_refused_when_loading(data):
    """Relations need ``evidence`` in the record format itself: the data is refused (exit 3)."""
    from kg.cli import cli

    event, rel = next((e, r) for e in records(data)["event"].values() for k in RELATIONS for r in e.get(k) or [])
    drop(data, event.file, rel.line_of("evidence"))
    result = CliRunner().invoke(cli, ["--data", str(data), "validate"])
    assert result.exit_code == 3
    assert f"{event.file}:{rel.line}:" in result.output and "missing required field 'evidence'" in result.output


def test_a_date_more_precise_than_its_quotes_without_a_note(data):
    def too_precise(rec) -> bool:
        quoted = max((checks.quoted_precision(e["quote"]) for e in rec["evidence"]), default=0)
        return rec.get("date_note") is not None and checks.written_precision(str(rec["date"])) > quoted

    candidates = [e for e in records(data)["event"].values() if too_precise(e)]
    event = min(candidates, key=lambda e: "date_sources" in e)  # one without date_sources if there is
    line = event.line_of("date")
    if "date_sources" in event:
        drop(data, event.file, event.line_of("date_sources"))
    drop(data, event.file, event.line_of("date_note"))
    assert_caught(data, event.file, line, "date-precision", event["id"], "date_note")


def test_an_outside_reference_without_its_publisher(data):
    source = next(s for s in records(data)["source"].values() if "file" not in s)
    for key in ("publisher", "publisher_name"):
        if key in source:
            drop(data, source.file, source.line_of(key))
    assert_caught(data, source.file, source.line, "outside-reference", source["id"], "publisher")


def test_loaded_vocabulary_in_an_own_label(data):
    before = present(data)
    event = next(
        e for e in records(data)["event"].values() if (e.file, e.line_of("label"), "loaded-vocabulary") not in before
    )
    edit(data, event.file, event.line_of("label"), str(event["label"]), "Brutal crackdown in Hong Kong")
    assert_caught(data, event.file, event.line_of("label"), "loaded-vocabulary", "'crackdown'", "'brutal*'")


# ----------------------------------------------------------------------------- the real data


def test_the_bundled_data_holds_to_every_rule(graph):
    from kg.curate.validate import check_curation

    findings = check_curation(graph)
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}: [{f['rule']}] {f['message']}" for f in findings)


def test_the_graph_and_the_edtf_give_the_same_findings(graph):
    """``kg validate`` reads the events' bounds from the graph; parsed from EDTF, they agree."""
    from kg.curate.validate import check_curation

    assert [checks.Finding(**f) for f in check_curation(graph)] == checks.check_directory(DATA)


# ----------------------------------------------------------------------------- the rules' edges


@pytest.mark.parametrize(
    ("quote", "level"),
    [
        ("at the Great Hall of the People in Beijing, May 25, 2020.", 3),
        ("the NPCSC session from June 18 to 20, 2020", 3),
        ("published on 25 October 2021", 3),
        ("In June\u00a02021,\u00a0Amnesty published a report", 2),
        ("In 2019, pressure from the millions", 1),
        ("according to a statement published Monday", 0),
        ("Since major protests began last year", 0),
        ("The law may allow agencies", 0),
        ("2047 HK Monitor", 0),
    ],
)
def test_quoted_precision(quote, level):
    assert checks.quoted_precision(quote) == level


@pytest.mark.parametrize(
    ("edtf", "level"),
    [("2020-06-30", 3), ("[2020-05-25..2020-06-18]", 3), ("2020-06-18/2020-06-20", 3), ("2021-10~", 2), ("2019/..", 1)],
)
def test_written_precision(edtf, level):
    assert checks.written_precision(edtf) == level


def test_names_match_across_typography_and_case():
    rx = checks._words("Amnesty’s  international board")
    assert rx.search(checks.fold("the chair of AMNESTY'S\u00a0international board said"))
    assert not checks._words("NPC").search(checks.fold("the NPCSC session"))
    assert checks._words("repress*").search(checks.fold("a new repressive law"))
    assert not checks._words("impose").search(checks.fold("effectively impossible"))


def test_quoted_words_are_the_texts_not_the_projects():
    assert "crackdown" not in checks._own_words('Campaign "Stop the crackdown on freedoms in Hong Kong"')
    assert "crackdown" not in checks._own_words("Campaign “Stop the crackdown on freedoms”")
    assert "crackdown" in checks._own_words("The crackdown on freedoms")


def test_a_vocabulary_file_that_is_not_a_list_of_words(data):
    (data / checks.VOCABULARY_FILE).write_text("crackdown: yes\n", encoding="utf-8")
    assert (checks.VOCABULARY_FILE, 1, "loaded-vocabulary") in present(data)


def test_every_vocabulary_entry_is_in_a_text_or_marked_as_not():
    """The list is the sources' vocabulary: each entry occurs in a text, except the ones its
    comment sets apart."""
    text = (DATA / checks.VOCABULARY_FILE).read_text(encoding="utf-8")
    own, extra = text.split("# Not in the five texts", 1)
    corpus = " ".join(checks.fold(p.read_text(encoding="utf-8")) for p in SOURCES.glob("*.txt"))
    entries = re.findall(r"^- (.+?)\s*(?:#.*)?$", own, flags=re.M)
    assert len(entries) > 30
    assert [e for e in entries if not checks._words(e).search(corpus)] == []
    assert not [e for e in re.findall(r"^- (.+?)\s*(?:#.*)?$", extra, flags=re.M) if checks._words(e).search(corpus)]
