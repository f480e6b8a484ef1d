"""Where the data, the schema, the source texts and the cache are.

In a checkout, ``data/`` and ``schema/`` sit beside the ``kg/`` package; a wheel carries copies
in ``kg/_bundled/``. ``KG_DATA``, ``KG_SOURCES`` and ``KG_CACHE_DIR`` override the defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = PACKAGE_DIR / "_bundled" / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory: the argument, else ``$KG_DATA``, else the bundled data."""
    chosen = override or os.environ.get("KG_DATA")
    return Path(chosen) if chosen else _bundled("data")


def bundled_data_dir() -> Path:
    """The curated data the package carries (whatever ``$KG_DATA`` says)."""
    return _bundled("data")


def schema_dir() -> Path:
    """The directory of ontology.ttl, shapes.ttl and context.jsonld."""
    return _bundled("schema")


def sources_dir(override: str | os.PathLike | None = None) -> Path:
    """The corpus texts: the argument, else ``$KG_SOURCES``, else ``../shared/sources``
    beside the checkout, else ``../shared/sources`` from the working directory."""
    chosen = override or os.environ.get("KG_SOURCES")
    if chosen:
        return Path(chosen)
    beside_checkout = PACKAGE_DIR.parent.parent / "shared" / "sources"
    return beside_checkout if beside_checkout.is_dir() else Path("../shared/sources")


def cache_dir() -> Path:
    """Where built graphs are cached: ``$KG_CACHE_DIR``, else the XDG cache directory."""
    chosen = os.environ.get("KG_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hk-timeline-kg"


def read_ontology(schema: Path | None = None) -> list[ox.Quad]:
    """The quads of ``ontology.ttl`` (of ``schema``, default :func:`schema_dir`) in the
    ontology graph: what the build, the importer and a new store all start from. Raises
    :class:`~kg.errors.DataError` for a Turtle syntax error."""
    import pyoxigraph as ox

    from kg.errors import DataError
    from kg.namespaces import GRAPH_ONTOLOGY

    path = Path(schema or schema_dir()) / "ontology.ttl"
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise DataError([f"{path}: Turtle syntax error: {exc}"]) from None
    graph = ox.NamedNode(GRAPH_ONTOLOGY)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
