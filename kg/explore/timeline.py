"""The timeline: events in order of their earliest begin, with dates, types, actors and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import UsageError
from kg.explore.lookup import find
from kg.namespaces import HK, ID, PROV, RDF, RDFS, SEM, XSD

if TYPE_CHECKING:
    from kg.backends.event_index import IndexedEvent
    from kg.backends.memory import KnowledgeGraph

# Which events: a few index lookups each. What they say comes after, from one scan of each
# event's own triples and of the distinct nodes they point to (KnowledgeGraph.facts), which
# costs far fewer lookups than a join per field on a store of a million events.
_EVENTS = """
SELECT ?event ?eb ?lb ?label ?from ?to WHERE {
  %(first)s
  ?event sem:hasEarliestBeginTimeStamp ?eb ; sem:hasLatestBeginTimeStamp ?lb ; sem:eventType ?type .
  OPTIONAL { ?event rdfs:label ?label }
  FILTER(?lb >= COALESCE(?from, "0001-01-01"^^xsd:date))
  FILTER(?eb <= COALESCE(?to, "9999-12-31"^^xsd:date))
}
"""
_ROLES = "SELECT ?p ?label WHERE { ?p rdfs:subPropertyOf hk:role ; rdfs:label ?label }"
_NARROWER = "SELECT DISTINCT ?t WHERE { VALUES ?wanted { %s } ?t skos:broader* ?wanted }"
#: Above this many days, a date range is filtered by a scan rather than looked up day by day.
MAX_LOOKUP_DAYS = 4000


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

    Uses the store's index graph (:func:`kg.backends.store.reindex`) or, for a graph without one,
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


def events(
    graph: KnowledgeGraph,
    start: str | None = None,
    end: str | None = None,
    actor: str | None = None,
    type: str | None = None,  # noqa: A002 - the CLI option's name
) -> list[IndexedEvent]:
    """The events a :func:`timeline` with these filters shows, without describing them:
    ``(iri, earliest_begin, latest_begin, label)`` tuples in timeline order.

    On a store with an event index (:mod:`kg.backends.event_index`) dates and actors are tree searches;
    elsewhere a SPARQL query that turns a date range into index lookups over its days.

    >>> import kg
    >>> [e.earliest_begin for e in kg.load().events(start="2020-06-30", end="2020-06-30")][:2]
    ['2020-01-01', '2020-05-21']
    """
    from kg.backends.event_index import IndexedEvent

    hits = find(graph, actor, kinds=("actor",)) if actor else None
    types = None
    if type:
        wanted = " ".join(f"<{h}>" for h in find(graph, type, kinds=("event type",)))
        types = [r["t"] for r in graph.select(_NARROWER % wanted)]
    params = {k: v for k, v in (("from", _date(start, "from")), ("to", _date(end, "to"))) if v is not None}
    index = graph.event_index
    if index is not None and (hits or params):
        found = index.select(start, end, hits)
        if types is not None:
            kept = set(types)
            kind = ox.NamedNode(SEM + "eventType")
            found = [
                e
                for e in found
                if any(q.object.value in kept for q in graph.store.quads_for_pattern(ox.NamedNode(e.iri), kind, None))
            ]
        return found
    first = []
    if hits:
        first.append(f"VALUES ?actor {{ {' '.join(f'<{h}>' for h in hits)} }} ?event sem:hasActor ?actor .")
    if types is not None:
        first.append(f"VALUES ?type {{ {' '.join(f'<{t}>' for t in types)} }}")
    if params and not actor:
        days = begin_days(graph, start, end)
        if days is not None:
            first.append(f"VALUES ?eb {{ {' '.join(days)} }}")
    rows = graph.query(_EVENTS % {"first": "\n  ".join(first)}, params).rows
    found: dict[str, IndexedEvent] = {}
    for event, eb, lb, label, *_ in rows:
        seen = found.get(event.value)
        name = label.value if label is not None else None
        if seen is None or (name is not None and (seen.label is None or name < seen.label)):
            found[event.value] = IndexedEvent(event.value, eb.value, lb.value, name)
    return sorted(found.values(), key=lambda e: (e.earliest_begin, e.latest_begin, e.iri))


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
    return _describe(graph, events(graph, start, end, actor, type))


_KNOWN = (RDF + "type", RDFS + "label", SEM + "hasEarliestBeginTimeStamp", SEM + "hasLatestBeginTimeStamp")
_FIELDS = {
    SEM + "eventType": "type",
    HK + "edtf": "edtf",
    HK + "datePrecision": "precision",
    SEM + "hasEarliestEndTimeStamp": "earliest_end",
    SEM + "hasLatestEndTimeStamp": "latest_end",
}


def _describe(graph: KnowledgeGraph, found: list[IndexedEvent]) -> list[dict[str, Any]]:
    """The timeline entries of the events found, in date order."""
    if not found:
        return []
    roles = {r["p"]: r["label"] for r in graph.select(_ROLES)}
    events: dict[str, dict[str, Any]] = {}
    links: list[tuple[str, str, str]] = []  # (event, what, node)
    for iri, eb, lb, label in found:
        events[iri] = {
            "id": _local(iri),
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
    # Dates and labels came with the events; rdf:type is the bulk of what is left out.
    for event, p, value in graph.fact_values(list(events), skip=_KNOWN):
        entry = events[event]
        if p in _FIELDS:
            entry[_FIELDS[p]] = value
        elif p == SEM + "hasActor":
            links.append((event, "actor", value))
        elif p in roles:
            links.append((event, roles[p], value))
        elif p == SEM + "hasPlace":
            links.append((event, "place", value))
        elif p == PROV + "wasDerivedFrom":
            links.append((event, "source", value))
    named = {n for _, what, n in links if what != "source"} | {e["type"] for e in events.values() if e["type"]}
    labels = graph.labels(sorted(named))
    for event, what, node in sorted(links, key=lambda x: (labels.get(x[2], x[2]), x[1])):
        entry, name = events[event], labels.get(node, node)
        if what == "actor":
            entry["actors"].append(name)
        elif what == "place":
            entry["places"].append(name)
        elif what == "source":
            entry["sources"].append(_local(node))
        else:
            entry["roles"].append({"actor": name, "role": what})
    for entry in events.values():
        entry["type"] = labels.get(entry["type"]) or _local(entry["type"] or "")
        for key in ("actors", "places", "sources"):
            entry[key] = list(dict.fromkeys(entry[key]))
    return sorted(events.values(), key=lambda e: (e["earliest_begin"], e["latest_begin"], e["label"] or ""))


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
