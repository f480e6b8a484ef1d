"""The timeline: events in order of their earliest begin, with dates, types, actors and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import UsageError
from kg.lookup import find
from kg.namespaces import ID, XSD

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

_EVENTS = """
SELECT ?event ?label ?type ?typeLabel ?edtf ?precision ?eb ?lb ?ee ?le ?from ?to WHERE {
  %(first)s
  ?event sem:hasEarliestBeginTimeStamp ?eb ; sem:hasLatestBeginTimeStamp ?lb ;
         a sem:Event ; rdfs:label ?label ; sem:eventType ?type .
  FILTER(?lb >= COALESCE(?from, "0001-01-01"^^xsd:date))
  FILTER(?eb <= COALESCE(?to, "9999-12-31"^^xsd:date))
  OPTIONAL { ?type skos:prefLabel ?typeLabel }
  OPTIONAL { ?event hk:edtf ?edtf }
  OPTIONAL { ?event hk:datePrecision ?precision }
  OPTIONAL { ?event sem:hasEarliestEndTimeStamp ?ee }
  OPTIONAL { ?event sem:hasLatestEndTimeStamp ?le }
}
"""
_NARROWER = "SELECT DISTINCT ?t WHERE { VALUES ?wanted { %s } ?t skos:broader* ?wanted }"
#: Above this many days, a date range is filtered by a scan rather than looked up day by day.
MAX_LOOKUP_DAYS = 4000
_DETAILS = """
SELECT ?event ?what ?node ?nodeLabel ?role WHERE {
  VALUES ?event { %(events)s }
  {
    ?event sem:hasActor ?node . BIND("actor" AS ?what) ?node rdfs:label ?nodeLabel .
    OPTIONAL { ?event ?roleProp ?node . ?roleProp rdfs:subPropertyOf hk:role ; rdfs:label ?role }
  } UNION {
    ?event prov:wasDerivedFrom ?node . BIND("source" AS ?what)
  } UNION {
    ?event sem:hasPlace ?node . BIND("place" AS ?what) ?node rdfs:label ?nodeLabel .
  }
}
"""


def _date(value: str | None, name: str) -> ox.Literal | None:
    import datetime as dt

    if value is None:
        return None
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"--{name} expects a date YYYY-MM-DD, got {value!r}") from None
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "date"))


def begin_days(graph: KnowledgeGraph, start: str | None, end: str | None) -> list[str] | None:
    """Every day an event's earliest begin can fall on for it to overlap ``start``..``end``,
    as ``xsd:date`` terms: a date range becomes index lookups instead of a scan of all events.

    Uses the store's index graph (:func:`kg.store.reindex`) or, for a graph without one,
    computes the same figures. ``None`` when the range is too wide to be worth listing.
    """
    import datetime as dt

    info = graph.date_index()
    if info is None:
        return []
    low, high, span = info
    first = max(low, dt.date.fromisoformat(start) - dt.timedelta(days=span)) if start else low
    last = min(high, dt.date.fromisoformat(end)) if end else high
    count = (last - first).days + 1
    if count > MAX_LOOKUP_DAYS:
        return None
    return [f'"{(first + dt.timedelta(days=i)).isoformat()}"^^xsd:date' for i in range(max(count, 0))]


def _local(iri: str) -> str:
    return iri[len(ID) :].split("/", 1)[-1] if iri.startswith(ID) else iri


def timeline(
    graph: KnowledgeGraph,
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
    ``places`` (labels) and ``sources`` (ids).

    >>> import kg
    >>> [e["edtf"] for e in kg.load().timeline(actor="NPCSC", type="legislative session")]
    ['2020-06-18/2020-06-20']
    """
    first = []
    if actor:
        hits = find(graph, actor, kinds=("actor",))
        first.append(f"VALUES ?actor {{ {' '.join(f'<{h}>' for h in hits)} }} ?event sem:hasActor ?actor .")
    if type:
        wanted = " ".join(f"<{h}>" for h in find(graph, type, kinds=("event type",)))
        types = [r["t"] for r in graph.select(_NARROWER % wanted)]
        first.append(f"VALUES ?type {{ {' '.join(f'<{t}>' for t in types)} }}")
    params = {k: v for k, v in (("from", _date(start, "from")), ("to", _date(end, "to"))) if v is not None}
    if params and not actor:
        days = begin_days(graph, start, end)
        if days is not None:
            first.append(f"VALUES ?eb {{ {' '.join(days)} }}")
    result = graph.query(_EVENTS % {"first": "\n  ".join(first)}, params)
    events: dict[str, dict[str, Any]] = {}
    for row in result.dicts():
        iri = row["event"]
        events.setdefault(
            iri,
            {
                "id": _local(iri),
                "iri": iri,
                "label": row["label"],
                "type": row["typeLabel"] or _local(row["type"]),
                "edtf": row["edtf"],
                "precision": row["precision"],
                "earliest_begin": row["eb"],
                "latest_begin": row["lb"],
                "earliest_end": row["ee"],
                "latest_end": row["le"],
                "actors": [],
                "roles": [],
                "places": [],
                "sources": [],
            },
        )
    if events:
        details = graph.query(_DETAILS % {"events": " ".join(f"<{e}>" for e in events)}).dicts()
        for row in sorted(details, key=lambda r: (r["nodeLabel"] or r["node"], r["role"] or "")):
            event = events[row["event"]]
            if row["what"] == "actor":
                if row["nodeLabel"] not in event["actors"]:
                    event["actors"].append(row["nodeLabel"])
                if row["role"]:
                    event["roles"].append({"actor": row["nodeLabel"], "role": row["role"]})
            elif row["what"] == "place":
                if row["nodeLabel"] not in event["places"]:
                    event["places"].append(row["nodeLabel"])
            elif _local(row["node"]) not in event["sources"]:
                event["sources"].append(_local(row["node"]))
    return sorted(events.values(), key=lambda e: (e["earliest_begin"], e["latest_begin"], e["label"]))


def table_rows(events: list[dict[str, Any]], max_actors: int = 4) -> tuple[list[str], list[list[str]]]:
    """Headers and rows for the text, Markdown and CSV timelines."""
    headers = ["date", "event", "type", "actors", "sources"]
    rows = []
    for e in events:
        actors = e["actors"]
        shown = ", ".join(actors[:max_actors]) if max_actors else ", ".join(actors)
        if max_actors and len(actors) > max_actors:
            shown += f" +{len(actors) - max_actors} more"
        rows.append([e["edtf"] or e["earliest_begin"], e["label"], e["type"], shown, ", ".join(e["sources"])])
    return headers, rows
