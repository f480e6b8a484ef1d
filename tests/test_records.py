"""Broken data gives a DataError naming file, line and field, every problem at once."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import kg
from kg.curate.records import load_records
from kg.errors import DataError

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def mini_copy(tmp_path: Path, edits: dict[str, Callable[[str], str]] | None = None) -> Path:
    """A copy of tests/fixtures/mini with each file of ``edits`` rewritten by its function."""
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    for rel, edit in (edits or {}).items():
        path = root / rel
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        new = edit(old)
        assert new != old, f"the edit of {rel} changed nothing"
        path.write_text(new, encoding="utf-8")
    return root


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) >= 1, f"{old!r} not in the file"
        return text.replace(old, new, count)

    return edit


def problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_records(root)
    assert info.value.problems, "a DataError must list its problems"
    assert str(info.value) == "\n".join(info.value.problems)
    return info.value.problems


def line_of(root: Path, rel: str, needle: str) -> int:
    """1-based number of the first line of ``rel`` that contains ``needle``."""
    for n, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {rel}")


def one_problem(root: Path) -> str:
    found = problems(root)
    assert len(found) == 1, found
    return found[0]


# ----------------------------------------------------------------------------- the good case


def test_mini_fixture_loads(tmp_path):
    dataset = load_records(mini_copy(tmp_path))
    assert sorted(dataset["event"]) == ["closure-announcement", "nsl-takes-effect"]
    assert sorted(dataset["actor"]) == ["agnes-callamard", "amnesty-international"]
    assert sorted(dataset["source"]) == ["amnesty-closing-article", "amnesty-press-release"]
    assert list(dataset["place"]) == ["hong-kong"]
    assert list(dataset["claim"]) == ["at-least-35-groups"]
    # dates stay the strings written (YAML would otherwise turn 2021-10-25 into a date)
    assert dataset["event"]["closure-announcement"]["date"] == "2021-10-25"
    assert dataset["event"]["nsl-takes-effect"]["date"] == "2020-06"
    rec = dataset["event"]["closure-announcement"]
    assert rec.file == "events/closure.yaml"
    assert rec.line == line_of(MINI, "events/closure.yaml", "id: closure-announcement")
    assert rec.line_of("date") == line_of(MINI, "events/closure.yaml", "date: 2021-10-25")


# ----------------------------------------------------------------------------- one mistake each


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    root = mini_copy(tmp_path, {"places.yaml": replace("  label: Hong Kong", "  label: Hong Kong: SAR")})
    found = problems(root)
    line = line_of(root, "places.yaml", "Hong Kong: SAR")
    assert found[0] == f"places.yaml:{line}: YAML syntax error: mapping values are not allowed here", found
    # the places of that file are unknown to the rest, which says so (and nothing else)
    assert all("unknown place id 'hong-kong'" in p for p in found[1:]), found


def test_yaml_syntax_error_unclosed_bracket(tmp_path):
    root = mini_copy(tmp_path, {"actors/main.yaml": replace("alt_labels: [Amnesty]", "alt_labels: [Amnesty")})
    found = problems(root)
    assert any(re.match(r"actors/main\.yaml:\d+: YAML syntax error", p) for p in found), found


def test_duplicate_yaml_key_is_an_error(tmp_path):
    root = mini_copy(tmp_path, {"places.yaml": replace("  label: Hong Kong\n", "  label: Hong Kong\n  label: HK\n")})
    msg = problems(root)[0]
    assert msg.startswith(f"places.yaml:{line_of(root, 'places.yaml', 'label: HK')}:"), msg
    assert "duplicate key 'label'" in msg


def test_unknown_field(tmp_path):
    root = mini_copy(
        tmp_path, {"events/closure.yaml": replace("  type: announcement\n", "  type: announcement\n  colour: red\n")}
    )
    msg = one_problem(root)
    line = line_of(root, "events/closure.yaml", "colour: red")
    assert msg.startswith(f"events/closure.yaml:{line}: event 'closure-announcement': field 'colour': unknown field")


def test_missing_required_field(tmp_path):
    root = mini_copy(
        tmp_path, {"events/closure.yaml": replace("  label: National security law takes effect in Hong Kong\n", "")}
    )
    msg = one_problem(root)
    line = line_of(root, "events/closure.yaml", "id: nsl-takes-effect")
    assert msg.startswith(f"events/closure.yaml:{line}: event 'nsl-takes-effect':"), msg
    assert "missing required field 'label'" in msg


def test_missing_evidence(tmp_path):
    root = mini_copy(
        tmp_path,
        {
            "places.yaml": lambda t: t.split("  evidence:")[0],
        },
    )
    msg = one_problem(root)
    assert msg.startswith("places.yaml:1: place 'hong-kong':") and "missing required field 'evidence'" in msg


@pytest.mark.parametrize(
    "rel, old, new, field, ref, needle",
    [
        (
            "events/closure.yaml",
            "- event: nsl-takes-effect",
            "- event: nsl-takes-efect",
            "event",
            "nsl-takes-efect",
            "event: nsl-takes-efect",
        ),
        (
            "events/closure.yaml",
            "{actor: amnesty-international, role: authority}",
            "{actor: amnesty-internationl, role: authority}",
            "actor",
            "amnesty-internationl",
            "amnesty-internationl",
        ),
        (
            "events/closure.yaml",
            "date_sources: [amnesty-press-release]",
            "date_sources: [amnesty-pr]",
            "date_sources",
            "amnesty-pr",
            "date_sources:",
        ),
        (
            "actors/main.yaml",
            "- organisation: amnesty-international",
            "- organisation: amnesty",
            "organisation",
            "amnesty",
            "organisation: amnesty",
        ),
        (
            "claims/figures.yaml",
            "claimant: amnesty-international",
            "claimant: amnesty-intl",
            "claimant",
            "amnesty-intl",
            "claimant:",
        ),
        ("claims/figures.yaml", "about: [nsl-takes-effect]", "about: [nsl]", "about", "nsl", "about:"),
        (
            "places.yaml",
            "{source: amnesty-closing-article,",
            "{source: amnesty-closing,",
            "source",
            "amnesty-closing",
            "amnesty-closing,",
        ),
        (
            "events/closure.yaml",
            "  place: hong-kong\n  actors:\n    - {actor: amnesty-international, role: authority}",
            "  place: hongkong\n  actors:\n    - {actor: amnesty-international, role: authority}",
            "place",
            "hongkong",
            "place: hongkong",
        ),
    ],
)
def test_unknown_reference(tmp_path, rel, old, new, field, ref, needle):
    root = mini_copy(tmp_path, {rel: replace(old, new)})
    msg = one_problem(root)
    line = line_of(root, rel, needle)
    assert msg.startswith(f"{rel}:{line}:"), msg
    assert f"field {field!r}:" in msg
    assert f"id {ref!r}" in msg and "unknown" in msg


def test_duplicate_id(tmp_path):
    extra = (
        "- id: amnesty-international\n  kind: organisation\n  label: Amnesty again\n"
        '  evidence:\n    - {source: amnesty-closing-article, quote: "Amnesty International"}\n'
    )
    root = mini_copy(tmp_path, {"actors/more.yaml": lambda _: extra})
    msg = one_problem(root)
    assert msg.startswith("actors/more.yaml:1:"), msg
    assert "field 'id': duplicate id, first defined at actors/main.yaml:1" in msg


def test_ids_of_different_kinds_may_coincide(tmp_path):
    """Ids are unique among records of one kind: a place may share an actor's id."""
    root = mini_copy(tmp_path, {"places.yaml": replace("- id: hong-kong", "- id: amnesty-international")})
    found = problems(root)  # the events now point at a place that is gone...
    assert all("duplicate" not in p for p in found)
    assert all("unknown place id 'hong-kong'" in p for p in found), found


def test_bad_id(tmp_path):
    root = mini_copy(tmp_path, {"places.yaml": replace("- id: hong-kong", "- id: Hong_Kong")})
    found = problems(root)
    assert any(p.startswith("places.yaml:1: ") and "field 'id':" in p and "is not an id" in p for p in found), found


@pytest.mark.parametrize("bad", ["2021-13-45", "Monday 25 October", "../2021", "2021-10-25/2021-10-01"])
def test_bad_edtf(tmp_path, bad):
    root = mini_copy(tmp_path, {"events/closure.yaml": replace("date: 2021-10-25", f'date: "{bad}"')})
    msg = one_problem(root)
    line = line_of(root, "events/closure.yaml", bad)
    assert msg.startswith(f"events/closure.yaml:{line}: event 'closure-announcement': field 'date': bad EDTF date"), msg
    assert bad in msg


def test_bad_edtf_in_a_post(tmp_path):
    root = mini_copy(
        tmp_path,
        {
            "actors/main.yaml": replace(
                "      title: Secretary General\n", "      title: Secretary General\n      date: soon\n"
            )
        },
    )
    msg = one_problem(root)
    assert msg.startswith(f"actors/main.yaml:{line_of(root, 'actors/main.yaml', 'date: soon')}:"), msg
    assert "field 'date': bad EDTF date" in msg


def test_quote_citing_an_outside_reference(tmp_path):
    root = mini_copy(
        tmp_path,
        {"places.yaml": replace("{source: amnesty-closing-article, quote:", "{source: amnesty-press-release, quote:")},
    )
    msg = one_problem(root)
    line = line_of(root, "places.yaml", "amnesty-press-release")
    assert msg.startswith(f"places.yaml:{line}:"), msg
    assert "field 'source':" in msg
    assert "'amnesty-press-release' is an outside reference" in msg


def test_outside_reference_needs_url(tmp_path):
    root = mini_copy(tmp_path, {"sources.yaml": lambda t: re.sub(r"\n  url: \S+", "", t)})
    msg = one_problem(root)
    assert msg.startswith(f"sources.yaml:{line_of(root, 'sources.yaml', 'id: amnesty-press-release')}:"), msg
    assert "needs a 'url'" in msg


def test_corpus_document_needs_sha256(tmp_path):
    root = mini_copy(tmp_path, {"sources.yaml": lambda t: re.sub(r"\n  sha256: \S+", "", t)})
    msg = one_problem(root)
    assert "needs 'sha256'" in msg and msg.startswith("sources.yaml:1:"), msg


def test_bad_role(tmp_path):
    root = mini_copy(tmp_path, {"events/closure.yaml": replace("role: authority", "role: boss")})
    msg = one_problem(root)
    line = line_of(root, "events/closure.yaml", "role: boss")
    assert msg.startswith(f"events/closure.yaml:{line}: event 'closure-announcement' actors[0]: field 'role':"), msg
    assert "'boss' is not one of" in msg and "signatory" in msg


def test_bad_kind(tmp_path):
    root = mini_copy(tmp_path, {"actors/main.yaml": replace("kind: organisation", "kind: company")})
    msg = one_problem(root)
    assert msg.startswith(f"actors/main.yaml:{line_of(root, 'actors/main.yaml', 'kind: company')}:"), msg
    assert "field 'kind':" in msg and "'company' is not one of: person, organisation" in msg


def test_posts_are_held_by_people(tmp_path):
    root = mini_copy(tmp_path, {"actors/main.yaml": replace("kind: person", "kind: organisation")})
    found = problems(root)
    assert any("posts are held by people" in p and p.startswith("actors/main.yaml:") for p in found), found


def test_wrong_types(tmp_path):
    root = mini_copy(
        tmp_path,
        {
            "claims/figures.yaml": replace("value: 35", "value: thirty-five"),
            "actors/main.yaml": replace("alt_labels: [Amnesty]", "alt_labels: Amnesty"),
        },
    )
    found = problems(root)
    assert len(found) == 2, found
    assert any(p.startswith("claims/figures.yaml:") and "field 'value': expected a number" in p for p in found)
    assert any(p.startswith("actors/main.yaml:") and "field 'alt_labels': expected a list" in p for p in found)


def test_file_that_is_not_a_list(tmp_path):
    root = mini_copy(tmp_path, {"places.yaml": lambda _: "id: hong-kong\nlabel: Hong Kong\n"})
    found = problems(root)
    assert found[0] == "places.yaml:1: expected a list of place records, found a mapping"


def test_unknown_event_type(tmp_path):
    """Only the build knows the ontology's event types; it still names file, line and field."""
    root = mini_copy(tmp_path, {"events/closure.yaml": replace("type: announcement", "type: anouncement")})
    with pytest.raises(DataError) as info:
        kg.load(root, cache=False)
    (msg,) = info.value.problems
    line = line_of(root, "events/closure.yaml", "type: anouncement")
    assert msg.startswith(f"events/closure.yaml:{line}: field 'type': unknown event type 'anouncement'"), msg
    assert "announcement" in msg.split("known:")[1]


def test_no_such_data_directory(tmp_path):
    with pytest.raises(DataError, match="no such data directory"):
        kg.load(tmp_path / "nowhere")


# ----------------------------------------------------------------------------- all at once


def test_every_problem_is_reported_at_once(tmp_path):
    extra = (
        "- id: agnes-callamard\n  kind: person\n  label: Agnes Callamard again\n"
        '  evidence:\n    - {source: amnesty-closing-article, quote: "Agnes Callamard"}\n'
    )
    root = mini_copy(
        tmp_path,
        {
            "events/closure.yaml": lambda t: (
                t.replace("  type: announcement\n", "  type: announcement\n  colour: red\n")
                .replace("date: 2021-10-25", "date: 2021-13-45")
                .replace("role: authority", "role: boss")
                .replace("- event: nsl-takes-effect", "- event: nsl-takes-effekt")
                .replace("  label: National security law takes effect in Hong Kong\n", "")
            ),
            "actors/more.yaml": lambda _: extra,
            "claims/figures.yaml": replace("{source: amnesty-closing-article,", "{source: amnesty-press-release,"),
        },
    )
    found = problems(root)
    ev = "events/closure.yaml"
    expected = [
        (f"{ev}:{line_of(root, ev, 'id: nsl-takes-effect')}:", "missing required field 'label'"),
        (f"{ev}:{line_of(root, ev, 'colour: red')}:", "field 'colour': unknown field"),
        (f"{ev}:{line_of(root, ev, '2021-13-45')}:", "field 'date': bad EDTF date"),
        (f"{ev}:{line_of(root, ev, 'role: boss')}:", "field 'role': 'boss' is not one of"),
        (f"{ev}:{line_of(root, ev, 'nsl-takes-effekt')}:", "unknown event id 'nsl-takes-effekt'"),
        ("actors/more.yaml:1:", "duplicate id, first defined at actors/main.yaml:"),
        (
            f"claims/figures.yaml:{line_of(root, 'claims/figures.yaml', 'amnesty-press-release')}:",
            "is an outside reference",
        ),
    ]
    for where, what in expected:
        assert any(p.startswith(where) and what in p for p in found), (where, what, found)
    assert len(found) == len(expected), found


def test_syntax_errors_in_several_files_are_all_reported(tmp_path):
    root = mini_copy(
        tmp_path,
        {
            "places.yaml": replace("  label: Hong Kong", "  label: Hong Kong: SAR"),
            "claims/figures.yaml": replace("  text: At least", '  text: "At least'),
        },
    )
    found = problems(root)
    assert any(p.startswith("places.yaml:2: YAML syntax error") for p in found), found
    assert any(p.startswith("claims/figures.yaml:") and "YAML syntax error" in p for p in found), found


def test_load_raises_the_same_data_error(tmp_path):
    root = mini_copy(tmp_path, {"events/closure.yaml": replace("role: authority", "role: boss")})
    with pytest.raises(DataError) as info:
        kg.load(root)
    assert "'boss' is not one of" in str(info.value)
    assert info.value.exit_code == 3


# ----------------------------------------------------------------------------- issue 9: the record model


def test_a_motivation_names_whose_reason_it_is(tmp_path):
    root = mini_copy(tmp_path, {"events/closure.yaml": replace("  caused_by:", "  motivated_by:")})
    msg = one_problem(root)
    assert msg.startswith("events/closure.yaml:") and "say whose ('according_to')" in msg, msg
    ok = mini_copy(
        tmp_path / "ok",
        {
            "events/closure.yaml": replace(
                "  caused_by:\n    - event: nsl-takes-effect\n",
                "  motivated_by:\n    - event: nsl-takes-effect\n      according_to: [amnesty-international]\n",
            )
        },
    )
    assert "closure-announcement" in load_records(ok)["event"]


def test_an_unidentified_author_takes_no_role(tmp_path):
    root = mini_copy(tmp_path, {"actors/main.yaml": replace("  kind: organisation", "  kind: unidentified")})
    found = problems(root)
    assert any("an unidentified author makes claims, it takes no role in events" in p for p in found), found


def test_a_corpus_publisher_named_in_text_needs_its_outside_references(tmp_path):
    edit = replace(
        "  file: 003_bf509ff45baadcde.txt\n", "  file: 003_bf509ff45baadcde.txt\n  publisher_name: Somebody\n"
    )
    msg = one_problem(mini_copy(tmp_path, {"sources.yaml": edit}))
    assert "field 'publisher_name'" in msg and "publisher_sources" in msg, msg
    with_refs = replace(
        "  file: 003_bf509ff45baadcde.txt\n",
        "  file: 003_bf509ff45baadcde.txt\n  publisher_name: Somebody\n  publisher_sources: [amnesty-press-release]\n",
    )
    assert load_records(mini_copy(tmp_path / "ok", {"sources.yaml": with_refs}))


def test_laws_and_planned_events(tmp_path):
    law = (
        "- id: nsl\n  label: National security law\n"
        '  evidence:\n    - {source: amnesty-closing-article, quote: "national security law"}\n'
    )
    edits = {
        "laws.yaml": lambda old: law,
        "events/closure.yaml": replace(
            "  place: hong-kong\n  actors:", "  place: hong-kong\n  laws: [nsl]\n  planned: yes\n  actors:"
        ),
    }
    ds = load_records(mini_copy(tmp_path, edits))
    assert set(ds["law"]) == {"nsl"}
    bad = mini_copy(
        tmp_path / "bad",
        {
            "laws.yaml": lambda old: law,
            "events/closure.yaml": replace(
                "  place: hong-kong\n  actors:", "  place: hong-kong\n  laws: [no-such-law]\n  planned: soon\n  actors:"
            ),
        },
    )
    found = problems(bad)
    assert any("unknown law id 'no-such-law'" in p for p in found), found
    assert any("field 'planned': expected true or false" in p for p in found), found
