"""The index graph of a store (``https://w3id.org/hk-timeline-kg/graph/index``): figures
derived from the data (date range, actors' event counts) for SPARQL clients, and the token of
the event index that matches the data. No dependency on the graph classes, so that both
:mod:`kg.backends.memory` and :mod:`kg.backends.store` read it."""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.namespaces import GRAPH_DATA, GRAPH_INDEX, HK


def uses_named_graphs(store: ox.Store) -> bool:
    """Whether the store keeps data in named graphs (loaded from TriG or N-Quads), so that
    queries must see their union; the index graph does not count."""
    return any(g.value != GRAPH_INDEX for g in store.named_graphs())


_TOKEN = HK + "eventIndexToken"


def index_token(store: ox.Store) -> str | None:
    """The token of the event index that matches the store's data (see :mod:`kg.backends.event_index`)."""
    found = next(
        store.quads_for_pattern(ox.NamedNode(GRAPH_DATA), ox.NamedNode(_TOKEN), None, ox.NamedNode(GRAPH_INDEX)), None
    )
    return found.object.value if found is not None and isinstance(found.object, ox.Literal) else None


def invalidate_index(store: ox.Store) -> None:
    """Mark the event index out of step with the store, before the store changes."""
    token = ox.NamedNode(_TOKEN)
    for quad in list(store.quads_for_pattern(ox.NamedNode(GRAPH_DATA), token, None, ox.NamedNode(GRAPH_INDEX))):
        store.remove(quad)
    store.flush()


INDEX_QUERIES = {
    "dates": """
        SELECT (MIN(?eb) AS ?min) (MAX(?eb) AS ?max) (MAX(?lb - ?eb) AS ?span) WHERE {
          ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> ;
             <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp> ?eb ;
             <http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestBeginTimeStamp> ?lb .
        }""",
    "actors": """
        SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?e <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> ?a } GROUP BY ?a""",
}


def duration_days(duration: str) -> int:
    """Whole days of an ``xsd:dayTimeDuration`` such as ``P365D`` or ``PT0S``.

    >>> duration_days("P40D"), duration_days("PT0S")
    (40, 0)
    """
    match = re.match(r"^-?P(?:(\d+)D)?", duration)
    return int(match.group(1) or 0) if match else 0
