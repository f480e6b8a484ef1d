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
  ?event a sem:Event ; rdfs:label ?label ; sem:eventType ?type ;
         sem:hasEarliestBeginTimeStamp ?eb ; sem:hasLatestBeginTimeStamp ?lb .
  OPTIONAL { ?type skos:prefLabel ?typeLabel }
  OPTIONAL { ?event hk:edtf ?edtf }
  OPTIONAL { ?event hk:datePrecision ?precision }
  OPTIONAL { ?event sem:hasEarliestEndTimeStamp ?ee }
  OPTIONAL { ?event sem:hasLatestEndTimeStamp ?le }
  FILTER(?lb >= COALESCE(?from, "0001-01-01"^^xsd:date))
  FILTER(?eb <= COALESCE(?to, "9999-12-31"^^xsd:date))
  %(extra)s
}
"""
_ACTOR_FILTER = "FILTER EXISTS { ?event sem:hasActor %(values)s }"
_TYPE_FILTER = "FILTER EXISTS { ?type skos:broader* ?wanted . VALUES ?wanted { %(values)s } }"
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
    extra = []
    if actor:
        hits = find(graph, actor, kinds=("actor",))
        extra.append(_ACTOR_FILTER % {"values": ", ".join(f"<{h}>" for h in hits)})
    if type:
        hits = find(graph, type, kinds=("event type",))
        extra.append(_TYPE_FILTER % {"values": " ".join(f"<{h}>" for h in hits)})
    params = {k: v for k, v in (("from", _date(start, "from")), ("to", _date(end, "to"))) if v is not None}
    result = graph.query(_EVENTS % {"extra": "\n  ".join(extra)}, params)
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
