"""The CLI reference (docs/cli.md) is complete and current, and README names every command."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from kg.cli.reference import ENVIRONMENT, commands, reference, undocumented

ALL = [name for name, _ in commands()]


def test_reference_is_current():
    """Fails when a command or option changed without `python3 -m kg.cli.reference > docs/cli.md`."""
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference()


def test_every_command_and_option_has_help():
    assert undocumented() == []


@pytest.mark.parametrize("name", ALL)
def test_each_command_has_help(invoke, name):
    result = invoke(*name.split()[1:], "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: cli {' '.join(name.split()[1:])}".rstrip())


def test_readme_names_every_command_and_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/cli.md" in readme
    for name in ALL[1:]:
        assert re.search(rf"`{re.escape(name)}\b", readme), f"README does not mention `{name}`"
    for variable in ENVIRONMENT:
        assert variable in readme, f"README does not mention ${variable}"


def test_every_environment_variable_an_option_reads_is_listed():
    read = {var for _, command in commands() for p in command.params for var in [getattr(p, "envvar", None)] if var}
    assert read <= set(ENVIRONMENT)
