"""The timeline: events in order of their earliest begin, with dates, types, actors and sources."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from kg.backends.selection import IndexedEvent, collector_paused, local_id
from kg.namespaces import HK, PROV, SEM

if TYPE_CHECKING:
    from kg.backends import Backend

_ROLES = "SELECT ?p ?label WHERE { ?p rdfs:subPropertyOf hk:role ; rdfs:label ?label }"


def events(
    graph: Backend,
    start: str | None = None,
    end: str | None = None,
    actor: str | None = None,
    type: str | None = None,  # noqa: A002 - the CLI option's name
) -> list[IndexedEvent]:
    """The events a :func:`timeline` with these filters shows, without describing them:
    ``(iri, earliest_begin, latest_begin, label)`` tuples in timeline order. Each back end
    selects them as it does fastest (:meth:`~kg.backends.Backend.events`).

    >>> import kg
    >>> [e.earliest_begin for e in kg.load().events(start="2020-06-30", end="2020-06-30")][:2]
    ['2020-05-21', '2020-05-21']
    """
    return graph.events(start, end, actor, type)


def timeline(
    graph: Backend,
    start: str | None = None,
    end: str | None = None,
    actor: str | None = None,
    type: str | None = None,  # noqa: A002 - the CLI option's name
) -> list[dict[str, Any]]:
    """Events whose begin may fall between ``start`` and ``end`` (``YYYY-MM-DD``, inclusive),
    ordered by earliest begin.

    ``actor`` matches an actor's id, label or alternative name (case-insensitive);
    ``type`` an event type's id or label, narrower types included ("statement" finds press
    releases). Each event is a dict with ``id``, ``iri``, ``label``, ``type``, ``edtf``,
    ``precision``, ``earliest_begin``, ``latest_begin``, ``earliest_end``, ``latest_end``
    (ISO dates or ``None``), ``actors`` (labels), ``roles`` (``{"actor", "role"}``),
    ``places`` (labels) and ``sources`` (ids). The list is a :class:`Timeline`: a notebook
    shows it as a table, and ``to_dataframe()`` gives it to pandas.

    >>> import kg
    >>> [e["edtf"] for e in kg.load().timeline(actor="NPCSC", type="legislative session")]
    ['2020-06-18/2020-06-20', '2020-06-28/2020-06-30']
    """
    return Timeline(_describe(graph, events(graph, start, end, actor, type)))


_ACTOR, _PLACE, _SOURCE = SEM + "hasActor", SEM + "hasPlace", PROV + "wasDerivedFrom"
_FIELDS = {
    SEM + "eventType": "type",
    HK + "edtf": "edtf",
    HK + "datePrecision": "precision",
    SEM + "hasEarliestEndTimeStamp": "earliest_end",
    SEM + "hasLatestEndTimeStamp": "latest_end",
}


@collector_paused()
def _describe(graph: Backend, found: list[IndexedEvent]) -> list[dict[str, Any]]:
    """The timeline entries of the events found, in date order.

    One pass over the facts files each link under its event and kind (actor, role label,
    place, source); the names are sorted per event once the labels are known (two nodes of
    the same name by IRI, whatever order a back end read them in). Tens of thousands of events
    carry hundreds of thousands of facts, so the loop does one dict lookup a fact and builds no
    tuple for the values, with the cycle collector paused."""
    if not found:
        return []
    roles = {r["p"]: r["label"] for r in graph.select(_ROLES)}
    events: dict[str, dict[str, Any]] = {}
    for iri, eb, lb, label in found:
        events[iri] = {
            "id": local_id(iri),
            "iri": iri,
            "label": label,
            "type": None,
            "edtf": None,
            "precision": None,
            "earliest_begin": eb,
            "latest_begin": lb,
            "earliest_end": None,
            "latest_end": None,
            "actors": [],
            "roles": [],
            "places": [],
            "sources": [],
        }
    # Dates and labels came with the events; a store reads the rest from its event index.
    kinds = {_ACTOR: "actors", _PLACE: "places", _SOURCE: "sources"} | roles  # or a role's label
    links: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)  # event: [(node, kind)]
    for event, p, value in graph.event_facts(list(events), [*_FIELDS, *kinds]):
        if p in _FIELDS:
            events[event][_FIELDS[p]] = value
        else:
            links[event].append((value, kinds[p]))
    named = {n for found_links in links.values() for n, what in found_links if what != "sources"}
    labels = graph.labels(sorted(named | {e["type"] for e in events.values() if e["type"]}))
    name = {n: labels.get(n, n) for found_links in links.values() for n, _ in found_links}
    for event, found_links in links.items():  # by name, then IRI; event by event (all at once costs more)
        entry = events[event]
        for shown, what, node in sorted([(name[n], what, n) for n, what in found_links]):
            if what in _LISTS:
                entry[what].append(local_id(node) if what == "sources" else shown)
            else:
                entry["roles"].append({"actor": shown, "role": what})
    types: dict[str | None, str] = {}
    for entry in events.values():
        kind = entry["type"]
        if kind not in types:
            types[kind] = labels.get(kind) or local_id(kind or "")
        entry["type"] = types[kind]
        for key in _LISTS:
            if len(entry[key]) > 1:
                entry[key] = list(dict.fromkeys(entry[key]))
    return sorted(events.values(), key=_order)


_LISTS = ("actors", "places", "sources")


def _order(entry: dict[str, Any]) -> tuple[str, str, str]:
    return entry["earliest_begin"], entry["latest_begin"], entry["label"] or ""


def shown_date(event: dict[str, Any]) -> str:
    """The EDTF date of a timeline entry; for data without one (plain SEM, EventKG), its
    begin bounds, as the day they give or as EDTF's "one day of" set when they differ.

    >>> shown_date({"edtf": None, "earliest_begin": "2021-06-01", "latest_begin": "2021-06-30"})
    '[2021-06-01..2021-06-30]'
    """
    if event["edtf"]:
        return event["edtf"]
    low, high = event["earliest_begin"], event["latest_begin"]
    return low if not high or high == low else f"[{low}..{high}]"


def table_rows(events: list[dict[str, Any]], max_actors: int = 4) -> tuple[list[str], list[list[str]]]:
    """Headers and rows for the text, Markdown and CSV timelines."""
    headers = ["date", "event", "type", "actors", "sources"]
    rows = []
    for e in events:
        actors = e["actors"]
        shown = ", ".join(actors[:max_actors]) if max_actors else ", ".join(actors)
        if max_actors and len(actors) > max_actors:
            shown += f" +{len(actors) - max_actors} more"
        rows.append([shown_date(e), e["label"], e["type"], shown, ", ".join(e["sources"])])
    return headers, rows


class Timeline(list):
    """What :func:`timeline` returns: a plain list of event dicts (JSON as it is) that a
    notebook shows as a table and pandas reads with :meth:`to_dataframe`."""

    def to_dataframe(self) -> Any:
        """One row per event; the four begin and end bounds as :class:`datetime.date` (needs pandas)."""
        import datetime as dt

        import pandas as pd

        bounds = ("earliest_begin", "latest_begin", "earliest_end", "latest_end")
        rows = [
            {k: (dt.date.fromisoformat(v) if k in bounds and v else v) for k, v in e.items() if k != "roles"}
            for e in self
        ]
        return pd.DataFrame(rows, columns=[k for k in (self[0] if self else {}) if k != "roles"] or None)

    def _repr_html_(self) -> str:
        from kg.sparql.render import html_table

        return html_table(*table_rows(self, max_actors=0))
