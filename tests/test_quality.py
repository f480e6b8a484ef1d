"""The code checks CI runs with the tests: ruff (lint and format) and mypy, from the repository
root with the settings of pyproject.toml, so that CI fails on a finding as it fails on a test."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "kg", "tests", "benchmarks"],
        ["ruff", "format", "--check", "kg", "tests", "benchmarks"],
        ["mypy"],
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_the_code_is_clean(command: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, (
        f"{' '.join(command)} exited {proc.returncode}:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}"
    )
