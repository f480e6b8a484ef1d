"""README.md stays true: its commands run, and CI runs exactly its test command."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _console_commands() -> list[list[str]]:
    return [
        shlex.split(line[2:]) for block in _blocks("console") for line in block.splitlines() if line.startswith("$ kg ")
    ]


def test_readme_has_the_two_fresh_machine_commands():
    sh = [line for block in _blocks("sh") for line in block.splitlines()]
    assert "python3 -m pip install -e . && kg timeline" in sh
    assert "python3 -m pip install -e '.[test]' && python3 -m pytest -q" in sh


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == "python3 -m pip install -e '.[test]' && python3 -m pytest -q"


def test_console_examples_run(tmp_path):
    commands = _console_commands()
    assert len(commands) >= 10
    for args in commands:
        done = subprocess.run([sys.executable, "-m", "kg", *args[1:]], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, f"{shlex.join(args)}: {done.stderr}"
        assert done.stdout or done.stderr, shlex.join(args)
    assert (tmp_path / "hk-timeline.ttl").stat().st_size > 10_000


def test_python_example_runs(tmp_path, monkeypatch, capsys):
    (code,) = _blocks("python")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert "Open letter of 86 organisations" in capsys.readouterr().out
    assert (tmp_path / "hk-timeline.jsonld").exists()


def test_import_and_load_examples_run_on_the_shipped_samples(tmp_path):
    """README's "Your own data" block, line by line, on examples/ (up to kg serve)."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (block,) = [b for b in _blocks("sh") if "kg import examples/" in b]
    lines = [shlex.split(line, comments=True) for line in block.splitlines()]
    commands = [args for args in lines if args and args[:2] != ["kg", "serve"] and "--endpoint" not in args]
    assert [a[1] for a in commands[:4]] == ["import", "import", "validate", "load"]
    for args in commands:
        done = subprocess.run([sys.executable, "-m", "kg", *args[1:]], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, f"{shlex.join(args)}: {done.stderr}"
    timeline = subprocess.run(
        [sys.executable, "-m", "kg", "--store", "mystore", "timeline", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    labels = {e["label"] for e in json.loads(timeline.stdout)}
    assert "Apple Daily prints its final edition" in labels  # from more.ttl
    assert "March against the extradition bill" in labels  # from eventkg-extract.nt
    assert any(label.startswith("Riots: Violent demonstration") for label in labels)  # ACLED
    assert any(label.startswith("CAMEO 141") for label in labels)  # GDELT
