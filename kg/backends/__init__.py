"""Where a graph lives, behind one interface: :class:`Backend`.

Three implementations:

* memory (:class:`kg.backends.memory.MemoryBackend`): a graph in an in-memory Oxigraph store
  (the bundled graph, built and cached by :mod:`kg.curate.bundle`);
* store (:class:`kg.backends.store.StoreBackend`): an on-disk Oxigraph store and its event index;
* endpoint (:class:`kg.backends.endpoint.EndpointBackend`): any SPARQL 1.1 Protocol endpoint.

The commands and the library (timeline, show, network, views, export, validate) use only the
methods of :class:`Backend`, so each back end decides for itself how to answer fast (an index
lookup, a SPARQL query the engine runs, a streamed dump); no code outside this package asks
which back end it has. This package imports nothing above it (the layers are in
``pyproject.toml``, checked by ``lint-imports``): the graphs a researcher opens, with their
operations, and the one place that chooses a back end (:func:`kg.open_graph`) are
:mod:`kg.graph`'s.

>>> from kg.backends.memory import MemoryBackend
>>> import pyoxigraph as ox
>>> isinstance(MemoryBackend(ox.Store()), Backend)
True
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, runtime_checkable

if TYPE_CHECKING:
    from pathlib import Path

    import pyoxigraph as ox

    from kg.backends.selection import IndexedEvent, Selection

__all__ = ["Backend"]


@runtime_checkable
class Backend(Protocol):
    """What every back end answers. Subjects, nodes and IRIs are absolute IRI strings."""

    #: What the graph is (a data directory, a store path, an endpoint URL), for messages.
    label: str
    #: The data directory the graph was built from (``None`` for a store or an endpoint).
    data_dir: Path | None

    def query(self, sparql: str, params: dict[str, Any] | None = None) -> Any:
        """SPARQL 1.1 (a text or a name of the query library) with safely bound parameters:
        a :class:`~kg.sparql.SelectResult`, a list of triples, or a ``bool``."""

    def select(self, sparql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a ``SELECT`` as dictionaries of plain Python values."""

    def quads(self) -> Iterable[ox.Quad]:
        """Every quad. A store streams them (in its index order, constant memory)."""

    def triples(self) -> Iterable[ox.Triple]:
        """Every triple of every graph, merged (what the one-graph exports write)."""

    def dump(self, out: BinaryIO, fmt: str) -> None:
        """Write every triple (``fmt`` "nt") or quad ("nq") to ``out`` as the back end does
        fastest: a store streams its own dump."""

    def events(
        self, start: str | None = None, end: str | None = None, actor: str | None = None, type: str | None = None
    ) -> list[IndexedEvent]:
        """The events a timeline with these filters shows (names, as a researcher types
        them), undescribed, in timeline order."""

    def select_events(self, selection: Selection) -> list[IndexedEvent]:
        """The events of a resolved :class:`~kg.backends.selection.Selection`, in timeline order."""

    def facts(self, subjects: list[str]) -> list[tuple[str, str, Any]]:
        """``(subject, predicate, object term)`` of every triple about ``subjects``."""

    def fact_values(self, subjects: list[str], skip: Iterable[str] = ()) -> list[tuple[str, str, str]]:
        """``(subject, predicate, object value)`` of the triples about ``subjects`` whose
        predicate is not in ``skip``: what describing thousands of events costs."""

    def event_facts(self, events: list[str], predicates: Collection[str]) -> list[tuple[str, str, str]]:
        """``(event, predicate, value)`` of the events' facts by ``predicates`` (a node's IRI or
        a literal's lexical form): what a timeline describes. A store reads them from its
        event index in milliseconds."""

    def labels(self, nodes: list[str]) -> dict[str, str]:
        """The ``rdfs:label`` (else ``skos:prefLabel``) of each node that has one."""

    def linked_events(
        self, node: str, limit: int, counted: Collection[str] = ()
    ) -> dict[str, tuple[int, list[IndexedEvent]]]:
        """For each predicate by which events link to ``node``: how many events, and the first
        ``limit`` of them in timeline order (what a page about the node lists), none for the
        predicates of ``counted``. A store counts them in its event index, whatever their number."""

    def close(self) -> None:
        """Release what the graph holds (a store's lock and files). Idempotent."""

    def __enter__(self) -> Backend: ...

    def __exit__(self, *exc: object) -> None: ...
