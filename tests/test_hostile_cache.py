"""The bundled-graph cache is verified, not trusted: a damaged cache is rebuilt with a warning,
and processes that start together on an empty cache all succeed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import ROOT, kg

pytestmark = pytest.mark.hostile

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
COUNT = ("--data", str(MINI), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")


@pytest.fixture()
def cache(tmp_path):
    """A cache directory of its own, filled by one run; returns it and the right answer."""
    directory = tmp_path / "cache"
    first = kg(*COUNT, KG_CACHE_DIR=str(directory))
    assert first.returncode == 0, first.stderr
    return directory, first.stdout


def _cache_file(directory: Path) -> Path:
    (found,) = directory.glob("graph-*.nq")
    return found


def cut_at_a_line(data: bytes) -> bytes:
    return data[: data.rindex(b"\n", 0, len(data) // 2) + 1]


DAMAGE = {
    "cut-at-a-line": cut_at_a_line,
    "cut-mid-line": lambda data: data[: len(data) // 2],
    "emptied": lambda data: b"",
    "quad-added": lambda data: data + b"<urn:x:a> <urn:x:b> <urn:x:c> .\n",
    "quad-removed": lambda data: data[data.index(b"\n") + 1 :],
    "nul-filled": lambda data: b"\0" * len(data),
    "random": lambda data: os.urandom(len(data)),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_cache_is_rebuilt_with_a_warning(cache, damage):
    directory, right = cache
    path = _cache_file(directory)
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    again = kg(*COUNT, KG_CACHE_DIR=str(directory))
    assert again.returncode == 0 and b"Traceback" not in again.stderr
    assert again.stdout == right
    assert b"warning: the graph cache" in again.stderr and b"rebuilding it" in again.stderr
    quiet = kg(*COUNT, KG_CACHE_DIR=str(directory))  # the rebuilt cache is trusted again
    assert quiet.stdout == right and quiet.stderr == b""


def test_three_processes_on_an_empty_cache_all_succeed(tmp_path):
    for attempt in range(4):
        directory = tmp_path / f"cache{attempt}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "kg", *COUNT],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={**os.environ, "KG_CACHE_DIR": str(directory)},
            )
            for _ in range(3)
        ]
        results = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in results]
        assert len({out for out, _ in results}) == 1
        assert len(list(directory.glob("graph-*.nq"))) == 1
        assert not list(directory.glob(".*.tmp"))


def test_a_cache_that_cannot_be_written_is_only_a_warning(cache, tmp_path):
    _, right = cache
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    result = kg(*COUNT, KG_CACHE_DIR=str(blocker / "cache"))
    assert result.returncode == 0 and result.stdout == right
    assert result.stderr.startswith(b"warning: cannot write the graph cache") and result.stderr.count(b"\n") == 1
