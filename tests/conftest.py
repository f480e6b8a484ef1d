"""Shared fixtures: the bundled graph (built once per session into a private cache), a
CliRunner, and the corpus directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ["KG_SOURCES"]) if os.environ.get("KG_SOURCES") else ROOT.parent / "shared" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


#: Test modules (``test_x``) or tests (``test_x::test_y``, any of its parameters) by the real
#: parts they start, as markers: ``pytest -m "not browser and not endpoint and not hostile and
#: not slow"`` is the fast subset (under 30 s). "slow": on-disk stores, other processes, data
#: rebuilt per test, every format re-parsed, the network analyses (the doctests of kg/network
#: stay in the fast subset).
MARKERS = {
    "browser": ("test_viz", "test_views", "test_site", "test_timelinejs"),
    "endpoint": ("test_endpoint",),
    "hostile": ("test_hostile",),
    "slow": (
        "test_store",
        "test_event_index",
        "test_backends",
        "test_readme",
        "test_quality",
        "test_checks",
        "test_validate",
        "test_export",
        "test_formats::test_byte_stable_across_processes",
        "test_formats::test_graphml_loads_in_python_igraph",
        "test_network",
    ),
}


def pytest_configure(config: pytest.Config) -> None:
    if not SOURCES.is_dir():
        pytest.exit(
            f"the corpus texts are missing: {SOURCES} (put shared/ beside the checkout, or set KG_SOURCES)",
            returncode=4,
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = f"{item.path.stem}::{item.name}"
        for marker, prefixes in MARKERS.items():
            if name.startswith(prefixes):
                item.add_marker(marker)


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


@pytest.fixture(scope="session")
def pw():
    """Playwright, started once per session: its sync API allows one instance per thread, so
    every browser test module launches its Chromium from this one."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need playwright: pip install -e '.[test]'")
    instance = sync_playwright().start()
    yield instance
    instance.stop()
