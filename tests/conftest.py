"""Shared fixtures: the bundled graph (built once per session into a private cache), a
CliRunner, and the corpus directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Every test uses a cache of its own session, never the user's."""
    mp = pytest.MonkeyPatch()
    mp.setenv("KG_CACHE_DIR", str(tmp_path_factory.mktemp("kg-cache")))
    mp.delenv("KG_DATA", raising=False)
    mp.setenv("KG_SOURCES", str(SOURCES))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def graph():
    """The bundled knowledge graph."""
    import kg

    return kg.load()


@pytest.fixture(scope="session")
def mini():
    """A two-event graph in tests/fixtures/mini, for exact expectations."""
    import kg

    return kg.load(FIXTURES / "mini")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """``invoke("timeline", "--format", "json")`` -> click Result (exceptions not caught)."""
    from kg.cli import cli

    def run(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run
