"""The graphs a researcher opens, with the project's operations as methods.

:func:`load`, :func:`open_store` and :func:`open_graph` (re-exported as ``kg.load`` and so on)
give a :class:`KnowledgeGraph`: a back end of :mod:`kg.backends` (memory, on-disk store,
endpoint) whose methods also run the library's operations (``g.timeline()``, ``g.show()``,
``g.export()``, ``g.validate()``, ``g.stats()``). The back ends know nothing of these: this
module sits above every layer but the CLI (``[tool.importlinter]`` in ``pyproject.toml``),
and is the one place that chooses a back end.

>>> import kg
>>> g = kg.load()
>>> g.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }").dicts()[0]["n"] > 10
True
"""

from __future__ import annotations

import os
from typing import Any

from kg.backends.endpoint import DEFAULT_TIMEOUT, EndpointBackend
from kg.backends.memory import MemoryBackend
from kg.backends.store import StoreBackend
from kg.curate import bundle

__all__ = ["KnowledgeGraph", "RemoteGraph", "StoreGraph", "load", "open_graph", "open_store"]


class KnowledgeGraph(MemoryBackend):
    """A graph (in memory; :class:`StoreGraph` and :class:`RemoteGraph` are the others) with
    the operations of :mod:`kg.explore`, :mod:`kg.export` and :mod:`kg.curate.validate` as
    methods: ``g.timeline(...)`` is ``kg.explore.timeline.timeline(g, ...)``."""

    def timeline(
        self,
        start: str | None = None,
        end: str | None = None,
        actor: str | None = None,
        type: str | None = None,  # noqa: A002 - the CLI option's name
    ) -> list[dict[str, Any]]:
        """Events in date order; see :func:`kg.explore.timeline.timeline`."""
        from kg.explore.timeline import timeline

        return timeline(self, start, end, actor, type)

    def show(self, name_or_id: str) -> dict[str, Any]:
        """Everything about one resource (actor, event, place, source, law...); see :func:`kg.explore.show.show`."""
        from kg.explore.show import show

        return show(self, name_or_id)

    def export(self, fmt: str = "ttl", path: str | os.PathLike | None = None) -> bytes:
        """Serialise the graph; see :func:`kg.export.export`."""
        from kg.export import export

        return export(self, fmt, path)

    def validate(self, sources: str | os.PathLike | None = None) -> Any:
        """SHACL and quote checks; see :func:`kg.curate.validate.validate`."""
        from kg.curate.validate import validate

        return validate(self, sources)

    def stats(self) -> dict[str, Any]:
        """Counts by class, event type, source and date precision; see :func:`kg.explore.stats.stats`."""
        from kg.explore.stats import stats

        return stats(self)


class StoreGraph(KnowledgeGraph, StoreBackend):
    """An on-disk Oxigraph store (:class:`~kg.backends.store.StoreBackend`) with the operations."""


class RemoteGraph(KnowledgeGraph, EndpointBackend):
    """A SPARQL endpoint (:class:`~kg.backends.endpoint.EndpointBackend`) with the operations."""


def load(data: str | os.PathLike | None = None, *, cache: bool = True) -> KnowledgeGraph:
    """The graph of a data directory (default: the bundled data, or ``$KG_DATA``), built once
    and cached (:func:`kg.curate.bundle.load`). Raises :class:`~kg.errors.DataError` when the
    data has mistakes.

    >>> len(load()) > 1000
    True
    """
    return bundle.load(data, cache=cache, kind=KnowledgeGraph)


def open_store(path: str | os.PathLike, *, create: bool = False, read_only: bool = False) -> StoreGraph:
    """The on-disk store at ``path`` (made if missing with ``create``); ``with open_store(p) as g:``
    releases it at the end of the block."""
    return StoreGraph.open(path, create=create, read_only=read_only)


def open_graph(
    data: str | os.PathLike | None = None,
    store: str | os.PathLike | None = None,
    endpoint: str | None = None,
    *,
    read_only: bool = True,
    create: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> KnowledgeGraph:
    """The graph a command works on: the endpoint at ``endpoint``, else the on-disk store at
    ``store`` (read-only unless ``read_only`` is false; made if missing with ``create``), else
    the graph of a data directory (default: the bundled data, or ``$KG_DATA``). The only place
    that chooses a back end.

    >>> with open_graph() as g:                      # the bundled graph
    ...     [e.earliest_begin for e in g.events(start="2020-06-30", end="2020-06-30")][:1]
    ['2020-05-21']
    """
    if endpoint:
        return RemoteGraph(endpoint, timeout=timeout)
    if store:
        return open_store(store, create=create, read_only=read_only and not create)
    return load(data)
