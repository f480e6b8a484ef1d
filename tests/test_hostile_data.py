"""Hostile data files (`kg --data DIR`): each gives a clear error naming the file (and line),
exit 3, never a traceback, a hang or an exhausted memory; and nothing reaches an export."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hostile import clean_error, kg

pytestmark = pytest.mark.hostile

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
LABEL = "  label: Hong Kong\n"
DATE = "  date: 2021-10-25\n"


def data(tmp_path: Path, rel: str = "", old: str = "", new: str = "") -> Path:
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    if rel:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def fails(root: Path, *needles: str) -> str:
    return clean_error(kg("--data", str(root), "stats", timeout=120), 3, *needles)


BILLION_LAUGHS = "".join(f"  - &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]\n" for i in range(1, 20))

CASES = {
    "escape-in-label": ("places.yaml", LABEL, '  label: "Hong \\e[31mKong"\n', "places.yaml:2", "U+001B"),
    "bell-in-label": ("places.yaml", LABEL, '  label: "Hong Kong\\a"\n', "places.yaml:2", "U+0007"),
    "nul-in-label": ("places.yaml", LABEL, '  label: "Hong\\0Kong"\n', "places.yaml:2", "U+0000"),
    "lone-surrogate": ("places.yaml", LABEL, '  label: "Hong \\ud800Kong"\n', "places.yaml:2", "U+D800"),
    "raw-escape-byte": ("places.yaml", LABEL, "  label: Hong \x1bKong\n", "places.yaml:2", "U+001B"),
    "list-as-key": ("places.yaml", LABEL, "  ? [a, b]\n  : x\n" + LABEL, "places.yaml:2", "plain value"),
    "long-integer": ("places.yaml", LABEL, LABEL + "  description: " + "9" * 5000 + "\n", "places.yaml:3", "too long"),
    "deep-nesting": (
        "places.yaml",
        LABEL,
        LABEL + "  description: " + "[" * 10000 + "]" * 10000 + "\n",
        "places.yaml",
        "nested",
    ),
    "alias-bomb": (
        "places.yaml",
        "- id: hong-kong\n",
        "- id: hong-kong\n  alt_labels:\n  - &l0 lol\n" + BILLION_LAUGHS,
        "places.yaml",
        "aliases expand",
    ),
    "year-zero": ("events/closure.yaml", DATE, "  date: 0000-10-25\n", "closure.yaml", "date"),
    "negative-year": ("events/closure.yaml", DATE, "  date: -0044-03-15\n", "closure.yaml", "date"),
    "five-digit-year": ("events/closure.yaml", DATE, "  date: Y12345\n", "closure.yaml", "date"),
    "29-february": ("events/closure.yaml", DATE, "  date: 2021-02-29\n", "closure.yaml", "date"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_data_is_a_clear_error(tmp_path, case):
    rel, old, new, *needles = CASES[case]
    fails(data(tmp_path, rel, old, new), *needles)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "https://example.org/a b<c>"),
        ("url", 'https://example.org/"quoted"'),
        ("class", "Not A Class"),
        ("class", "<script>"),
    ],
)
def test_invalid_iris_and_classes_are_errors(tmp_path, field, value):
    old = "  class: WebPage\n"
    new = f"  {field}: '{value}'\n" + ("" if field == "class" else old)
    fails(data(tmp_path, "sources.yaml", old, new), "sources.yaml", field)


def test_invalid_same_as_is_an_error(tmp_path):
    old = "  kind: organisation\n"
    fails(data(tmp_path, "actors/main.yaml", old, old + "  same_as: ['http://x y', 'not an iri']\n"), "same_as")


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "directory-link"])
def test_a_data_file_that_is_no_regular_file(tmp_path, kind):
    root = data(tmp_path)
    target = root / "actors" / "evil.yaml"
    if kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(root / "events")
    fails(root, "evil.yaml", "not a regular file")


def test_a_data_file_over_the_size_bound(tmp_path):
    root = data(tmp_path)
    (root / "actors" / "big.yaml").write_bytes(b"# " + b"x" * (17 << 20) + b"\n")
    fails(root, "big.yaml", "more than a data file may hold")


def test_good_data_passes_and_exports_well_formed_xml(tmp_path):
    from xml.dom import minidom

    root = data(tmp_path, "places.yaml", LABEL, '  label: "Hong Kong \\t<&> \\u00a0\\u4e2d"\n')
    for fmt in ("rdfxml", "graphml", "gexf"):
        out = tmp_path / f"g.{fmt}"
        result = kg("--data", str(root), "export", "--format", fmt, "-o", str(out), timeout=120)
        assert result.returncode == 0, result.stderr
        minidom.parse(str(out))  # raises on ill-formed XML
