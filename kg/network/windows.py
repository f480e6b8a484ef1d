"""Time windows: the actor network, and who is central in it, window by window.

A window holds the events whose begin may fall in it (the ``--from/--to`` rule), so an event
whose date is uncertain across a boundary counts in both windows. Windows are consecutive
spans (``6M``: six months) or the stretches between split points: ``split_at`` an event
ends one window the day before the event begins and starts the next on that day, so "who
was central before and after the law took effect" is one call.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from kg.errors import UsageError
from kg.network import participation
from kg.network.actors import Roles, _co_participation, known_roles
from kg.network.measures import check_measure, ranking
from kg.network.projection import check_range

if TYPE_CHECKING:
    from kg.backends import Backend

#: At most this many windows in one call.
MAX_WINDOWS = 500
_SPAN = re.compile(r"^\s*(\d+)\s*([DWMY])\s*$", re.I)


class Window(NamedTuple):
    """Inclusive ISO days; ``None`` leaves a side open. ``name`` is its EDTF interval."""

    name: str
    start: str | None
    end: str | None


def _window(start: dt.date | None, end: dt.date | None) -> Window:
    a, b = (start.isoformat() if start else None), (end.isoformat() if end else None)
    return Window(f"{a or '..'}/{b or '..'}", a, b)


def _add(day: dt.date, count: int, unit: str) -> dt.date:
    if unit in "DW":
        return day + dt.timedelta(days=count * (7 if unit == "W" else 1))
    months = day.month - 1 + count * (12 if unit == "Y" else 1)
    year, month = day.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _bounds(graph: Backend, start: str | None, end: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day that the selected events may begin on (a start on day one lets a
    store's event index answer rather than a scan)."""
    found = graph.events(start=start or "0001-01-01", end=end)
    if not found:
        return None
    first = min(e.earliest_begin for e in found)[:10]
    last = max(e.latest_begin or e.earliest_begin for e in found)[:10]
    return dt.date.fromisoformat(start or first), dt.date.fromisoformat(end or last)


def _split_day(graph: Backend, name: str) -> dt.date:
    """The day a split point names: a date, or the earliest begin of an event."""
    try:
        return dt.date.fromisoformat(name)
    except ValueError:
        pass
    from kg.backends.lookup import find
    from kg.namespaces import SEM

    hits = find(graph, name, kinds=("event",))
    if len(hits) > 1:
        raise UsageError(f"{name!r} names {len(hits)} events: give an id")
    begins = [o for _, p, o in graph.fact_values(hits) if p == SEM + "hasEarliestBeginTimeStamp"]
    if not begins:
        raise UsageError(f"the event {name!r} has no date to split at")
    return dt.date.fromisoformat(min(begins)[:10])


def windows(
    graph: Backend,
    *,
    every: str | None = None,
    split_at: Iterable[str] = (),
    start: str | None = None,
    end: str | None = None,
) -> list[Window]:
    """The windows of ``every`` (``"6M"``: a count and D, W, M or Y) or between the ``split_at``
    points (events, by id or name, or ``YYYY-MM-DD`` days), within ``start``..``end``.

    Spans start at ``start``, else on the first of the month (the day, for D and W) of the
    earliest event selected, and run to ``end``, else to the last day an event may begin.

    >>> import kg
    >>> [w.name for w in windows(kg.load(), split_at=["national-security-law-takes-effect"])]
    ['../2020-06-29', '2020-06-30/..']
    """
    start, end = check_range(start, end)
    points = list(split_at)
    if bool(every) == bool(points):
        raise UsageError("give either a window span (--window 6M) or split points (--split-at EVENT)")
    if points:
        days = sorted({_split_day(graph, p) for p in points})
        low = dt.date.fromisoformat(start) if start else None
        high = dt.date.fromisoformat(end) if end else None
        edges = [d for d in days if (low is None or d > low) and (high is None or d <= high)]
        cuts = [low, *edges]
        return [
            _window(a, (b - dt.timedelta(days=1)) if b else high) for a, b in zip(cuts, [*edges, None], strict=True)
        ]
    match = _SPAN.match(every or "")
    if not match:
        raise UsageError(f"--window expects a count and D, W, M or Y (such as 6M or 1Y), got {every!r}")
    count, unit = int(match[1]), match[2].upper()
    if count < 1:
        raise UsageError("--window must be at least one day, week, month or year")
    bounds = _bounds(graph, start, end)
    if bounds is None:
        return []
    first, last = bounds
    if not start and unit in "MY":
        first = first.replace(day=1, month=1 if unit == "Y" else first.month)
    out: list[Window] = []
    while first <= last:
        if len(out) >= MAX_WINDOWS:
            raise UsageError(f"--window {every} gives over {MAX_WINDOWS} windows: use a longer span or --from/--to")
        nxt = _add(first, count, unit)
        out.append(_window(first, min(nxt - dt.timedelta(days=1), last)))
        first = nxt
    return out


def central_windows(
    graph: Backend,
    measure: str = "degree",
    top: int | None = 10,
    *,
    every: str | None = None,
    split_at: Iterable[str] = (),
    start: str | None = None,
    end: str | None = None,
    roles: str | Iterable[str] | None = None,
    exclude_roles: str | Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """:func:`~kg.network.measures.centrality` in each window of :func:`windows`: rows with
    ``window`` (its EDTF interval), ``from``, ``to`` and the ranking's fields, window by window.

    >>> import kg
    >>> rows = central_windows(kg.load(), "betweenness", top=1, split_at=["national-security-law-takes-effect"])
    >>> [(r["window"], r["label"]) for r in rows]
    [('../2020-06-29', 'Li Zhanshu'), ('2020-06-30/..', 'Amnesty International')]
    """
    check_measure(measure, top)
    chosen = Roles.of(roles, exclude_roles)
    if chosen:
        chosen.check(known_roles(graph))  # once, before any window
    spans = windows(graph, every=every, split_at=split_at, start=start, end=end)
    pooled = None
    if spans and all(w.start and w.end for w in spans):  # bounded: the participations read once
        first, last = min(w.start for w in spans if w.start), max(w.end for w in spans if w.end)
        pooled = participation.read(graph, {e.iri: e for e in graph.events(start=first, end=last)})
    rows = []
    for w in spans:
        A = _co_participation(graph, w.start, w.end, chosen, pooled)
        rows += [{"window": w.name, "from": w.start, "to": w.end, **r} for r in ranking(A, measure, top)]
    return rows
