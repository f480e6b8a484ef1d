"""Nothing lost, nothing silently wrong: `kg import` all or nothing and without merging rows,
`kg publish` all files or none, `-o` never replaces a FIFO, device or symbolic link."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import ROOT, appeared, clean_error, ctrl_c_default, kg

pytestmark = pytest.mark.hostile

MAPPING = """\
name: Test table
id: "t-{id}"
label: "{label}"
date:
  column: date
  format: "%Y-%m-%d"
  precision: {column: p, map: {"2": week}, default: day}
type: protest
actors:
  - {column: actor, role: participant}
place: "{place}"
"""
HEADER = "id,label,date,p,actor,place\n"


def table(tmp_path: Path, rows: list[str], name: str = "t.csv", encoding: str = "utf-8", bom: bool = False) -> Path:
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (HEADER + "".join(rows)).encode(encoding))
    return path


def row(i: int | str, label: str = "A march", date: str = "2020-06-01", p: str = "1") -> str:
    return f"{i},{label} {i},{date},{p},Group {i},Kowloon\n"


def imported(tmp_path: Path, path: Path, *more: str, store: str = "s") -> subprocess.CompletedProcess:
    return kg("import", str(path), "--mapping", str(tmp_path / "m.yaml"), "--store", str(tmp_path / store), *more)


def events(store: Path) -> list[str]:
    code = (
        "import sys, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]); print('\\n'.join(sorted(r[0].value for r"
        " in s.query('SELECT ?e WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }'))))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return [e.rsplit("/", 1)[-1] for e in out.stdout.split()]


def strays(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if ".kg-" in p.name)


def test_a_byte_order_mark_is_no_part_of_the_first_column(tmp_path):
    result = imported(tmp_path, table(tmp_path, [row(1), row(2), row(3)], bom=True))
    assert result.returncode == 0, result.stderr
    assert events(tmp_path / "s") == ["t-1", "t-2", "t-3"]


@pytest.mark.parametrize(
    ("ids", "needle"),
    [(("7", "7"), "is the id of line 2"), (("Ab", "aB"), "differs only in case")],
    ids=["repeated", "case"],
)
def test_repeated_ids_are_errors_not_merged_events(tmp_path, ids, needle):
    path = table(tmp_path, [row(ids[0]), row(ids[1], date="2021-01-01")])
    clean_error(imported(tmp_path, path), 3, "t.csv:3", needle)
    assert not (tmp_path / "s").exists() and not strays(tmp_path)
    skipped = imported(tmp_path, path, "--skip-bad")
    assert skipped.returncode == 0 and b"1 events from 2 rows (1 skipped)" in skipped.stderr
    assert len(events(tmp_path / "s")) == 1


def test_a_latin_1_table_asks_for_its_encoding(tmp_path):
    path = table(tmp_path, [row(1, label="Caf\u00e9 r\u00e9union")], encoding="latin-1")
    for more in ((), ("--skip-bad",)):
        clean_error(imported(tmp_path, path, *more), 3, "not utf-8", "--encoding")
    assert not (tmp_path / "s").exists()
    assert imported(tmp_path, path, "--encoding", "latin-1").returncode == 0
    assert events(tmp_path / "s") == ["t-1"]


def test_a_utf_16_table_is_named(tmp_path):
    path = table(tmp_path, [row(1)], encoding="utf-16")
    clean_error(imported(tmp_path, path), 3, "UTF-16", "--encoding")
    assert imported(tmp_path, path, "--encoding", "utf-16").returncode == 0


def test_an_unknown_encoding_is_a_usage_error(tmp_path):
    clean_error(imported(tmp_path, table(tmp_path, [row(1)]), "--encoding", "klingon"), 2, "klingon")


def test_a_cell_over_128_kb_imports(tmp_path):
    result = imported(tmp_path, table(tmp_path, [row(1, label="x" * 200_000)]))
    assert result.returncode == 0, result.stderr[-500:]
    assert events(tmp_path / "s") == ["t-1"]


@pytest.mark.parametrize("date", ["0001-01-02", "9999-12-30"])
def test_week_dates_near_the_ends_of_the_calendar(tmp_path, date):
    clean_error(imported(tmp_path, table(tmp_path, [row(1, date=date, p="2")])), 3, "t.csv:2", "years 1-9999")


def _store_with_one_event(tmp_path: Path) -> Path:
    assert imported(tmp_path, table(tmp_path, [row("first")], name="first.csv")).returncode == 0
    return tmp_path / "s"


def _big(tmp_path: Path) -> Path:
    return table(tmp_path, [row(i) for i in range(30_000)], name="big.csv")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_an_interrupted_import_leaves_the_store_as_it_was(tmp_path, sig):
    store = _store_with_one_event(tmp_path)
    big = _big(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "import", str(big), "--mapping", str(tmp_path / "m.yaml"), "--store", str(store)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_default,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not appeared(tmp_path, ".s.kg-import-*/new/*"):
        time.sleep(0.05)  # until it loads into its copy of the store
    time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and b"Traceback" not in err
    assert events(store) == ["t-first"]
    if sig == signal.SIGINT:
        assert not strays(tmp_path)
    assert imported(tmp_path, table(tmp_path, [row("second")], name="second.csv")).returncode == 0
    assert events(store) == ["t-first", "t-second"]
    assert not strays(tmp_path)  # the next import removed what the killed one left


def _digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


def test_publish_is_all_or_nothing_when_a_file_fails(tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "README.md").write_text("kept\n", encoding="utf-8")
    (out / "timeline.html").mkdir()  # the 12th file cannot be written
    before = _digests(out)
    clean_error(kg("publish", str(out), timeout=300), 2, "timeline.html", "directory")
    assert _digests(out) == before and (out / "timeline.html").is_dir()
    assert not strays(tmp_path)


def test_publish_killed_midway_leaves_all_old_files_or_all_new(tmp_path):
    out = tmp_path / "export"
    mini = Path(__file__).resolve().parent / "fixtures" / "mini"
    assert kg("--data", str(mini), "publish", str(out), timeout=300).returncode == 0
    old = _digests(out)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "publish", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL)
    inodes = {p.name: p.stat().st_ino for p in out.iterdir()}

    def rewritten() -> int:  # files of the copy that the new publish has replaced so far
        count = 0
        for path in tmp_path.glob(".export.kg-publish-*/new/*"):
            with contextlib.suppress(FileNotFoundError):
                count += path.stat().st_ino != inodes.get(path.name)
        return count

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and rewritten() < 3:
        time.sleep(0.01)
    assert proc.poll() is None, "publish ended before it could be killed"
    proc.kill()
    proc.wait(30)
    assert _digests(out) == old
    assert kg("publish", str(out), timeout=300).returncode == 0
    new = _digests(out)
    assert set(new) == set(old) and all(new[n] != old[n] for n in new if n.endswith((".ttl", ".nt")))
    assert not strays(tmp_path)


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device"])
def test_output_onto_a_fifo_a_device_or_a_link_is_refused(tmp_path, kind):
    target = tmp_path / "out.ttl"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.ttl").write_text("real\n", encoding="utf-8")
        target.symlink_to(tmp_path / "real.ttl")
    else:
        target = Path("/dev/null")
    for args in (("export", "-o", str(target)), ("query", "ASK {}", "-o", str(target))):
        clean_error(kg(*args, timeout=120), 2, str(target))
    if kind == "fifo":
        assert target.is_fifo()
    elif kind == "symlink":
        assert target.is_symlink() and (tmp_path / "real.ttl").read_text(encoding="utf-8") == "real\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({target.name, "real.ttl"} & {*os.listdir(tmp_path)})


def test_a_control_character_in_an_imported_row_is_an_error(tmp_path):
    path = table(tmp_path, [row(1), row(2, label="Bell\x07 and \x1b[31mred")])
    clean_error(imported(tmp_path, path), 3, "t.csv:3", "U+0007")
    assert not (tmp_path / "s").exists()


def test_xml_exports_are_never_ill_formed(tmp_path):
    turtle = tmp_path / "g.ttl"
    turtle.write_text('<urn:x:a> <http://www.w3.org/2000/01/rdf-schema#label> "esc \\u001B[31m" .\n', encoding="utf-8")
    assert kg("load", str(turtle), "--store", str(tmp_path / "s")).returncode == 0
    out = tmp_path / "g.rdf"
    clean_error(kg("--store", str(tmp_path / "s"), "export", "--format", "rdfxml", "-o", str(out)), 3, "well-formed")
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl", "s"]
