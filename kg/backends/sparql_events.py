"""Selecting events with SPARQL: what a back end without an event index (the bundled graph, an
endpoint, a store not yet indexed) runs for :meth:`~kg.backends.Backend.select_events`.

An event is a node with a ``sem:eventType`` or of class ``sem:Event``. Its begin is the
contract's bounds or, failing those, a single time stamp (:data:`~kg.backends.selection.BEGIN_STAMPS`)
whose bounds :func:`~kg.backends.selection.begin_bounds` derives; the date range is applied with
:meth:`~kg.backends.selection.DateRange.overlaps`, the same test the event index makes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kg.backends.selection import BEGIN_STAMPS, IndexedEvent, Selection, begin_bounds

if TYPE_CHECKING:
    from kg.backends.memory import KnowledgeGraph

# Which events: a few index lookups each (a date range becomes a VALUES of begin days).
_EVENTS = """
SELECT ?event ?eb ?lb ?stamp ?label WHERE {
  %(first)s
  {
    %(days)s
    ?event sem:hasEarliestBeginTimeStamp ?eb ; sem:hasLatestBeginTimeStamp ?lb .
    %(bounds)s
  } UNION {
    ?event %(stamps)s ?stamp .
    FILTER NOT EXISTS { ?event sem:hasEarliestBeginTimeStamp ?any }
    %(coarse)s
  }
  %(kind)s
  OPTIONAL { ?event rdfs:label ?label }
}
"""
_IS_EVENT = "FILTER(EXISTS { ?event sem:eventType ?t } || EXISTS { ?event a sem:Event })"
#: Above this many days, a date range is filtered by a scan rather than looked up day by day.
MAX_LOOKUP_DAYS = 4000


def _day(value: str) -> str:
    return f'"{value}"^^xsd:date'


def _days_before(day: dt.date, days: int) -> dt.date:
    """``day`` less ``days``, or the first day of year 1 when that is earlier."""
    return day - dt.timedelta(days=min(days, (day - dt.date.min).days))


def begin_days(graph: KnowledgeGraph, start: str | None, end: str | None) -> list[str] | None:
    """Every day an event's earliest begin can fall on for it to overlap ``start``..``end``,
    as ``xsd:date`` terms: a date range becomes index lookups instead of a scan of all events.

    Uses the graph's date index (:meth:`~kg.backends.memory.KnowledgeGraph.date_index`).
    ``None`` when the range is too wide to be worth listing.
    """
    info = graph.date_index()
    if info is None:
        return []
    low, high, span = info
    first = max(low, _days_before(dt.date.fromisoformat(start), span)) if start else low
    last = min(high, dt.date.fromisoformat(end)) if end else high
    count = (last - first).days + 1
    if count > MAX_LOOKUP_DAYS:
        return None
    return [_day((first + dt.timedelta(days=i)).isoformat()) for i in range(max(count, 0))]


def select_events(graph: KnowledgeGraph, selection: Selection) -> list[IndexedEvent]:
    """The events of ``selection`` in timeline order (earliest begin, latest begin, IRI)."""
    dates = selection.dates
    first, days, bounds, coarse = [], "", [], ""
    if selection.actors is not None:
        first.append(f"VALUES ?actor {{ {' '.join(f'<{a}>' for a in selection.actors)} }} ?event sem:hasActor ?actor .")
    if selection.types is not None:
        first.append(f"VALUES ?type {{ {' '.join(f'<{t}>' for t in selection.types)} }} ?event sem:eventType ?type .")
    if dates and selection.actors is None:
        listed = begin_days(graph, dates.start, dates.end)
        if listed is not None:
            days = f"VALUES ?eb {{ {' '.join(listed)} }}"
    if dates.start:
        bounds.append(f"FILTER(?lb >= {_day(dates.start)})")
    if dates.end:
        bounds.append(f"FILTER(?eb <= {_day(dates.end)})")
    if dates:  # the year is enough to leave out most; overlaps() decides
        low, high = (dates.start or "0000")[:4], (dates.end or "9999")[:4]
        coarse = f'FILTER(SUBSTR(STR(?stamp), 1, 4) >= "{low}" && SUBSTR(STR(?stamp), 1, 4) <= "{high}")'
    query = _EVENTS % {
        "first": "\n  ".join(first),
        "days": days,
        "bounds": " ".join(bounds),
        "stamps": "|".join(f"<{p}>" for p in BEGIN_STAMPS),
        "coarse": coarse,
        "kind": "" if selection.types is not None else _IS_EVENT,
    }
    bounds_of: dict[str, tuple[str, str]] = {}
    labels: dict[str, str | None] = {}
    for event, eb, lb, stamp, label in graph.query(query).rows:
        iri = event.value
        derived = begin_bounds(stamp.value) if stamp is not None else (eb.value[:10], lb.value[:10])
        if derived is None:
            continue
        # Several stamps: the widest interval, as the event index keeps it.
        old = bounds_of.get(iri, derived)
        bounds_of[iri] = (min(old[0], derived[0]), max(old[1], derived[1]))
        name = label.value if label is not None else None
        if labels.get(iri) is None or (name is not None and name < labels[iri]):  # the first by code point
            labels[iri] = name
    found = [IndexedEvent(e, eb, lb, labels.get(e)) for e, (eb, lb) in bounds_of.items() if dates.overlaps(eb, lb)]
    return sorted(found, key=lambda e: (e.earliest_begin, e.latest_begin, e.iri))
