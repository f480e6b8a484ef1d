"""Selecting events with SPARQL: what a back end without an event index (the bundled graph, an
endpoint, a store not yet indexed) runs for :meth:`~kg.backends.Backend.select_events`.

An event is a node with a ``sem:eventType`` or of class ``sem:Event``. Its begin is the
contract's bounds or, failing those, a single time stamp (:data:`~kg.backends.selection.BEGIN_STAMPS`)
whose bounds :func:`~kg.backends.selection.begin_bounds` derives; the date range is applied with
:meth:`~kg.backends.selection.DateRange.overlaps`, the same test the event index makes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.backends.selection import BEGIN_STAMPS, DateRange, IndexedEvent, Selection, begin_bounds
from kg.namespaces import RDFS, SKOS

if TYPE_CHECKING:
    from kg.backends.memory import MemoryBackend

# Which events: a few index lookups each (a date range becomes a VALUES of begin days).
_EVENTS = """
SELECT ?event ?eb ?lb ?stamp ?label %(extra)s WHERE {
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


def begin_days(graph: MemoryBackend, start: str | None, end: str | None) -> list[str] | None:
    """Every day an event's earliest begin can fall on for it to overlap ``start``..``end``,
    as ``xsd:date`` terms: a date range becomes index lookups instead of a scan of all events.

    Uses the graph's date index (:meth:`~kg.backends.memory.MemoryBackend.date_index`).
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


def select_events(graph: MemoryBackend, selection: Selection) -> list[IndexedEvent]:
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
        "extra": "",
        "first": "\n  ".join(first),
        "days": days,
        "bounds": " ".join(bounds),
        "stamps": _STAMPS,
        "coarse": coarse,
        "kind": "" if selection.types is not None else _IS_EVENT,
    }
    return _events(graph.query(query).rows, dates)


_STAMPS = "|".join(f"<{p}>" for p in BEGIN_STAMPS)


def _events(rows: Iterable[Any], dates: DateRange) -> list[IndexedEvent]:
    """The events of ``(event, eb, lb, stamp, label)`` rows of :data:`_EVENTS` in ``dates``, in
    timeline order (earliest begin, latest begin, IRI)."""
    bounds_of: dict[str, tuple[str, str]] = {}
    labels: dict[str, str | None] = {}
    for event, eb, lb, stamp, label in rows:
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


# The predicates left out are filtered in a subquery first: Oxigraph then tests only the
# links left for being an event's (a million-event store's busiest actor: 30 ms, not 1.5 s).
_LINK_COUNTS = """
SELECT ?p (COUNT(DISTINCT ?event) AS ?n) WHERE {
  { SELECT ?event ?p WHERE { VALUES ?node { %(node)s } ?event ?p ?node . %(skip)s } }
  FILTER(EXISTS { ?event sem:eventType ?t } || EXISTS { ?event a sem:Event })
} GROUP BY ?p
"""


def linked_events(
    graph: MemoryBackend, node: str, limit: int, counted: Collection[str] = (), skip: Iterable[str] = ()
) -> dict[str, tuple[int, list[IndexedEvent]]]:
    """For each predicate (but those of ``skip``) by which events link to ``node``: how many
    events, and the first ``limit`` of them in timeline order (none for the predicates of
    ``counted``). The counts are one aggregate over the node's incoming edges; each
    predicate's events one query (the first ``limit`` are kept of the dated ones)."""
    term = ox.NamedNode(node)
    unwanted = ", ".join(f"<{p}>" for p in skip)
    counts = graph.query(_LINK_COUNTS % {"node": term, "skip": f"FILTER(?p NOT IN ({unwanted}))" if unwanted else ""})
    found: dict[str, tuple[int, list[IndexedEvent]]] = {}
    for predicate, count in counts.rows:
        if predicate.value in counted:
            found[predicate.value] = (int(count.value), [])
            continue
        query = _EVENTS % {
            "extra": "",
            "first": f"?event <{predicate.value}> {term} .",
            "days": "",
            "bounds": "",
            "stamps": _STAMPS,
            "coarse": "",
            "kind": _IS_EVENT,
        }
        found[predicate.value] = (int(count.value), _events(graph.query(query).rows, DateRange())[:limit])
    return found


def fact_values(graph: MemoryBackend, subjects: list[str], skip: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """``(subject, predicate IRI, object value)`` of every triple about ``subjects`` whose
    predicate is not in ``skip``.

    ``GROUP_CONCAT`` queries: Oxigraph then decodes each predicate and object once into a
    string, a third of the terms that reading every quad decodes (subject, predicate and
    object). Batches run on two threads, since Oxigraph evaluates a query without holding
    the GIL.
    """
    from concurrent.futures import ThreadPoolExecutor

    skip = tuple(skip)
    unwanted = ", ".join(f"<{p}>" for p in skip) or "<urn:x-kg:none>"
    size = min(5000, max(500, -(-len(subjects) // 2)))
    batches = [subjects[i : i + size] for i in range(0, len(subjects), size)]

    def run(batch: list[str]) -> list[tuple[str, str, str]]:
        values = " ".join(f"<{s}>" for s in batch)
        rows = graph.store.query(
            f"SELECT ?s (GROUP_CONCAT(CONCAT(STR(?p), '\\u0001', STR(?o)); SEPARATOR='\\u0002') AS ?f)"
            f" WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o FILTER(?p NOT IN ({unwanted})) }} GROUP BY ?s",
            use_default_graph_as_union=graph.union,
        )
        assert isinstance(rows, ox.QuerySolutions)
        out = []
        for subject, packed in rows:
            pairs = [pair.split("\u0001", 1) for pair in packed.value.split("\u0002")]
            if all(len(pair) == 2 for pair in pairs):
                out += [(subject.value, p, o) for p, o in pairs]
            else:  # a value holding the separator: read this subject's quads instead
                out += [(s, p, o.value) for s, p, o in graph.facts([subject.value]) if p not in skip]
        return out

    if len(batches) < 2:
        return [fact for batch in batches for fact in run(batch)]
    with ThreadPoolExecutor(2) as pool:
        return [fact for part in pool.map(run, batches) for fact in part]


def labels(graph: MemoryBackend, nodes: list[str]) -> dict[str, str]:
    """The ``rdfs:label`` (else ``skos:prefLabel``) of each of ``nodes`` (IRIs) that has one,
    by a ``VALUES`` query per property and 5,000 nodes."""
    found: dict[str, str] = {}
    for prop in (RDFS + "label", SKOS + "prefLabel"):
        missing = [n for n in nodes if n not in found]
        for i in range(0, len(missing), 5000):
            batch = " ".join(f"<{n}>" for n in missing[i : i + 5000])
            rows = graph.store.query(
                f"SELECT ?n ?l WHERE {{ VALUES ?n {{ {batch} }} ?n <{prop}> ?l }}",
                use_default_graph_as_union=graph.union,
            )
            assert isinstance(rows, ox.QuerySolutions)
            for node, label in rows:
                found.setdefault(node.value, label.value)
    return found
