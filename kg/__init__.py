"""hk-timeline-kg: a timeline and event knowledge graph of Hong Kong, 2019-2021 (the extradition
bill, the national security law, the organisations that responded to it), and the toolkit that
builds, queries, draws and publishes such graphs.

>>> import kg
>>> g = kg.load()                                   # the bundled, curated graph
>>> events = g.timeline(start="2020-01-01", end="2020-12-31")
>>> rows = g.query("signatories").dicts()           # a named query of kg/sparql/queries/

Importing ``kg`` is cheap: the heavy parts load on first use. The graphs and their
operations are :mod:`kg.graph`'s; this package only re-exports them (nothing inside ``kg``
imports ``kg`` itself, so no import cycle runs through here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.about import DESCRIPTION, TITLE, __version__

__all__ = [
    "load",
    "open_graph",
    "open_store",
    "KnowledgeGraph",
    "StoreGraph",
    "RemoteGraph",
    "KGError",
    "DataError",
    "QueryError",
    "NotFound",
    "__version__",
    "TITLE",
    "DESCRIPTION",
]

if TYPE_CHECKING:  # pragma: no cover
    from kg.errors import DataError, KGError, NotFound, QueryError
    from kg.graph import KnowledgeGraph, RemoteGraph, StoreGraph, load, open_graph, open_store


def __getattr__(name: str) -> Any:
    if name in ("load", "open_graph", "open_store", "KnowledgeGraph", "StoreGraph", "RemoteGraph"):
        from kg import graph

        return getattr(graph, name)
    if name in ("DataError", "QueryError", "NotFound", "KGError"):
        from kg import errors

        return getattr(errors, name)
    if name in ("viz", "plot"):  # kg.viz.show(...) after a plain `import kg`
        import importlib

        return importlib.import_module({"viz": "kg.viz", "plot": "kg.viz.plot"}[name])
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
