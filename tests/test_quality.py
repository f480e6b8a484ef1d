"""The code checks CI runs with the tests: ruff (lint and format), mypy and the import layers
(import-linter, plus a check for import cycles), from the repository root with the settings of
pyproject.toml, so that CI fails on a finding as it fails on a test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

#: ``lint-imports`` as this interpreter runs it (its console script may not be on PATH).
LINT_IMPORTS = [
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
    "--no-cache",
    "--no-logo",
]


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


def import_cycles(package: str, root: Path) -> list[list[str]]:
    """The import cycles between the modules of ``package`` (found in ``root``), each with the
    lines that make it: grimp reads every import statement, at module and at function level;
    those under ``if TYPE_CHECKING:`` are left out (they never run)."""
    code = f"""
import grimp, json, networkx as nx
g = grimp.build_graph({package!r}, exclude_type_checking_imports=True, cache_dir=None)
G = nx.DiGraph((m, d) for m in g.modules for d in g.find_modules_directly_imported_by(m))
cycles = []
for part in nx.strongly_connected_components(G):
    if len(part) > 1:
        line = lambda a, b: g.get_import_details(importer=a, imported=b)[0]["line_number"]
        cycles.append([f"{{a}}:{{line(a, b)}} -> {{b}}" for a, b in nx.find_cycle(G.subgraph(part))])
print(json.dumps(sorted(cycles)))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, env=_env(root), check=True
    )
    import json

    return json.loads(proc.stdout)


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root)}


def test_the_import_layers_hold() -> None:
    """Each layer of ``[tool.importlinter]`` imports only from the layers below it."""
    proc = subprocess.run(LINT_IMPORTS, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"lint-imports exited {proc.returncode}:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}"


def test_no_import_cycle() -> None:
    assert import_cycles("kg", ROOT) == []


def _planted(root: Path, module: str, old: str, new: str) -> Path:
    """A copy of the package under ``root`` with ``old`` replaced by ``new`` in ``module``."""
    shutil.copytree(ROOT / "kg", root / "kg", ignore=shutil.ignore_patterns("*.js", "*.css", "*.html", "static"))
    shutil.copy(ROOT / "pyproject.toml", root)
    path = root / Path(*module.split("."))
    path = path.with_suffix(".py")
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return root


def test_the_import_checks_see_a_function_level_import(tmp_path: Path) -> None:
    """A copy of the package where the memory back end imports the views inside a method (as
    it once did): both checks refuse it. Another where the views' selection imports its own
    package inside a function: the cycle check finds it (one layer, so only it can)."""
    upward = _planted(
        tmp_path / "upward",
        "kg.backends.memory",
        "    def close(self) -> None:\n",
        "    def show(self) -> None:\n        from kg.viz import view\n\n        view(self)\n\n"
        "    def close(self) -> None:\n",
    )
    proc = subprocess.run(LINT_IMPORTS, cwd=upward, capture_output=True, text=True, env=_env(upward))
    assert proc.returncode == 1 and "kg.backends.memory -> kg.viz" in proc.stdout, proc.stdout[-3000:]
    assert any(step.startswith("kg.backends.memory:") for cycle in import_cycles("kg", upward) for step in cycle)
    sideways = _planted(
        tmp_path / "sideways",
        "kg.viz.select",
        "from __future__ import annotations\n",
        "from __future__ import annotations\n\n\ndef _planted() -> None:\n    from kg.viz import render\n",
    )
    cycles = import_cycles("kg", sideways)
    assert any(step.startswith("kg.viz.select:") for cycle in cycles for step in cycle), cycles
