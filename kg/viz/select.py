"""What a view draws: the subgraph of the shared projection (:func:`kg.network.project`) that a
selection (date range, event types, ego, a SPARQL query) keeps, and how each node is classed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.backends.selection import DateRange, Selection, collector_paused, date_range
from kg.errors import UsageError
from kg.viz.palette import CATEGORIES

if TYPE_CHECKING:
    from kg.backends import Backend

#: Views with more nodes than this are refused (``node_limit=`` / ``--node-limit`` change it).
DEFAULT_NODE_LIMIT = 20_000
_KIND_ALIASES = {
    "organization": "organisation",
    "org": "organisation",
    "document": "source",
    "entity": "source",
    "creativework": "source",
}
_CLASS_HINTS = (
    ("event", "event"),
    ("person", "person"),
    ("organization", "organisation"),
    ("organisation", "organisation"),
    ("ngo", "organisation"),
    ("corporation", "organisation"),
    ("party", "organisation"),
    ("place", "place"),
    ("creativework", "source"),
    ("article", "source"),
    ("webpage", "source"),
    ("entity", "source"),
    ("report", "source"),
    ("posting", "source"),
    ("legislation", "source"),
)


def category(attrs: dict[str, Any]) -> str:
    """The legend category of a projected node: event, person, organisation, place, source or other."""
    kind = str(attrs.get("kind") or "").strip().lower()
    kind = _KIND_ALIASES.get(kind, kind)
    cls = str(attrs.get("class") or "").lower()
    if kind in CATEGORIES:
        return kind
    if kind == "actor":
        return "person" if "person" in cls else "organisation"
    for hint, cat in _CLASS_HINTS:
        if hint in cls:
            return cat
    return "other"


def _short(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if "://" in text:
        from kg.namespaces import shorten

        text = shorten(text)
        text = text.split(":", 1)[-1] if text.startswith(("schema:", "sem:", "hk:", "prov:")) else text
    return text


_GENERIC_CLASSES = {
    "sem:Event",
    "schema:Event",
    "sem:Actor",
    "schema:Person",
    "schema:Organization",
    "sem:Place",
    "schema:Place",
    "prov:Entity",
    "schema:CreativeWork",
}


def _classes_text(d: dict[str, Any]) -> str:
    """The node's more specific classes, for the details panel (``NGO``, ``NewsArticle``)."""
    classes = d.get("classes") or ([d["class"]] if d.get("class") else [])
    if isinstance(classes, str):
        classes = classes.split()
    names = []
    for c in classes:
        c = str(c)
        if "://" in c:
            from kg.namespaces import shorten

            c = shorten(c)
        if c not in _GENERIC_CLASSES:
            names.append(c.split(":", 1)[-1] if "://" not in c else c)
    return ", ".join(sorted(set(names)))


def _type_label(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    from kg.namespaces import EVENT_TYPE

    if text.startswith(EVENT_TYPE):
        return text[len(EVENT_TYPE) :].replace("-", " ")
    return _short(text)


def _of_types(graph: Backend, types: list[str]) -> str:
    """The patterns of the resources whose ``sem:eventType`` is one of ``types`` or narrower."""
    from kg.backends.lookup import find

    wanted: set[str] = set()
    for t in types:
        wanted.update(find(graph, t, kinds=("event type",)))
    values = " ".join(f"<{w}>" for w in sorted(wanted))
    return f"VALUES ?w {{ {values} }} ?t skos:broader* ?w . ?e sem:eventType ?t ."


def _events_of_types(graph: Backend, types: list[str]) -> set[str]:
    return {r["e"] for r in graph.select(f"SELECT DISTINCT ?e WHERE {{ {_of_types(graph, types)} ?e a sem:Event }}")}


def _count_of_types(graph: Backend, types: list[str]) -> int:
    """How many resources have one of ``types``: an engine count from the index (0.2 s for
    83,000 events of a million), where reading them takes a minute."""
    return int(graph.select(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {_of_types(graph, types)} }}")[0]["n"])


def _read_query(query: str | os.PathLike) -> tuple[str, str]:
    """The text of ``query`` (a file name, or SPARQL or a library name) and how to name it."""
    if isinstance(query, os.PathLike) or (
        isinstance(query, str) and "{" not in query and query.endswith((".rq", ".sparql")) and Path(query).exists()
    ):
        path = Path(query)
        try:
            return path.read_text(encoding="utf-8"), path.name
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not UTF-8 text") from None
    text = str(query)
    return text, ("query" if "{" in text else text)


def _labels(graph: Backend, iris: set[str]) -> dict[str, str]:
    if not iris:
        return {}
    rows = graph.query(
        "SELECT ?n ?l WHERE { VALUES ?n { "
        + " ".join(f"<{i}>" for i in sorted(iris))
        + " } { ?n rdfs:label ?l } UNION { ?n skos:prefLabel ?l } UNION { ?n dcterms:title ?l } }"
    ).dicts()
    out: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: (r["n"], r["l"])):
        out.setdefault(r["n"], r["l"])
    return out


def _query_graph(graph: Backend, query: str | os.PathLike, node_limit: int | None = None) -> tuple[Any, str]:
    """The graph that a CONSTRUCT or SELECT returns.

    CONSTRUCT: the projection of its triples (:func:`kg.network.from_triples`: roles collapsed
    into labelled edges), plus every other link the triples state between two resources
    (``rdf:type`` aside), labelled by its property. SELECT: the resources in its rows and the
    projection's edges among them. Nodes take their attributes from the projection where it has
    them (labels, kinds, dates), so a query need not repeat them; it is read for the resources
    of the answer alone (:func:`kg.viz.neighbourhood.among`), not for the whole graph.
    """
    import networkx as nx
    import pyoxigraph as ox

    from kg.namespaces import RDF, SEM, shorten
    from kg.network import from_triples
    from kg.sparql import SelectResult
    from kg.viz.neighbourhood import among, refuse_above

    text, name = _read_query(query)
    result = graph.query(text)
    out = nx.MultiDiGraph()
    if isinstance(result, SelectResult):
        terms = [term for row in result.rows for term in row]
    elif isinstance(result, list):
        terms = [t.subject for t in result] + [t.object for t in result if t.predicate.value != RDF + "type"]
    else:
        raise UsageError("--query must be a CONSTRUCT or a SELECT query (ASK has nothing to draw)")
    resources = {t for t in terms if isinstance(t, (ox.NamedNode, ox.BlankNode))}
    refuse_above(len(resources), node_limit, "up to … nodes")  # before any of them is read
    base = among(graph, {t.value for t in resources if isinstance(t, ox.NamedNode)}, include_sources=True)

    def key(term: Any) -> str | None:
        if isinstance(term, ox.NamedNode):
            return term.value
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return None

    def add(k: str, attrs: dict[str, Any] | None = None) -> None:
        if k not in out:
            out.add_node(k, **(dict(base.nodes[k]) if k in base else attrs or {"iri": k, "kind": "other"}))

    if isinstance(result, SelectResult):
        for row in result.rows:
            for term in row:
                if (k := key(term)) is not None:
                    add(k)
        for u, v, data in base.subgraph(list(out.nodes)).edges(data=True):
            out.add_edge(u, v, **data)
        what = f"query {name} (SELECT, {len(result.rows)} rows)"
    elif isinstance(result, list):
        projected = from_triples(result, include_sources=True)
        for n, d in projected.nodes(data=True):
            add(n, dict(d))
        for u, v, d in projected.edges(data=True):
            out.add_edge(u, v, **d)
        stated = {(u, v, d.get("predicate")) for u, v, d in projected.edges(data=True)}
        linked = {(u, v) for u, v, _ in stated}
        extra: list[tuple[str, str, str]] = []
        for t in result:
            s, o = key(t.subject), key(t.object)
            p = t.predicate.value
            if s is None or p == RDF + "type":
                continue
            add(s)
            if o is None:
                continue
            add(o)
            if (s, o, p) in stated or (p == SEM + "hasActor" and (s, o) in linked) or (s, o) in linked:
                continue
            extra.append((s, o, p))
        names = _labels(graph, {p for _, _, p in extra})
        for s, o, p in sorted(set(extra)):
            out.add_edge(s, o, predicate=p, label=names.get(p) or shorten(p))
        what = f"query {name} (CONSTRUCT, {len(result)} triples)"
    missing = {n for n, d in out.nodes(data=True) if not d.get("label") and not n.startswith("_:")}
    names = _labels(graph, missing)
    for n, d in out.nodes(data=True):
        if not d.get("label"):
            d["label"] = names.get(n) or _short(n)
    return out, what


def _filter_events(G: Any, start: str | None, end: str | None, wanted: set[str] | None) -> None:
    """Drop the events of ``G`` (a query's graph) outside the range or the types."""
    drop = []
    for n, d in G.nodes(data=True):
        if category(d) != "event":
            continue
        eb = str(d.get("earliest_begin") or "")[:10]
        lb = str(d.get("latest_begin") or eb)[:10]
        if (start and lb and lb < start) or (end and eb and eb > end) or (wanted is not None and n not in wanted):
            drop.append(n)
    G.remove_nodes_from(drop)


def _selection(graph: Backend, days: DateRange, types: list[str]) -> Selection:
    """The events of ``days`` and of ``types`` (narrower ones included) as ``graph.events``
    selects them: what an ego view within those options walks through."""
    from kg.backends.selection import resolve

    wanted = {t for name in types for t in resolve(graph, type=name).types or ()}
    return Selection(days, None, tuple(sorted(wanted)) if types else None)


def _center(graph: Backend, name: str, include_sources: bool) -> str | None:
    """The first resource answering to ``name`` that the projection draws (a source only with
    ``include_sources``), if any."""
    from kg.backends.lookup import find
    from kg.namespaces import RDF
    from kg.network.reading import _kind_of

    hits = find(graph, name)
    types: dict[str, set[str]] = {h: set() for h in hits}
    for s, p, o in graph.fact_values(hits):
        if p == RDF + "type":
            types[s].add(o)
    for h in hits:
        kind = _kind_of(types[h])
        if kind is not None and (kind != "source" or include_sources):
            return h
    return None


def select(
    graph: Backend,
    *,
    ego: str | None = None,
    depth: int = 1,
    start: Any = None,
    end: Any = None,
    types: list[str] | tuple[str, ...] | str | None = None,
    query: str | os.PathLike | None = None,
    include_sources: bool = False,
    node_limit: int | None = None,
) -> tuple[Any, list[str]]:
    """The subgraph that a view draws (a ``networkx.MultiDiGraph`` of the shared projection,
    :func:`kg.network.project`) and the phrases that describe the selection.

    Events are kept when their begin may fall between ``start`` and ``end`` and their type is
    one of ``types`` (narrower types included); people, organisations and places stay when
    they are linked to a kept event. ``ego`` keeps what lies within ``depth`` steps of one
    resource, walked through those alone (its neighbourhood is read, not the date range);
    ``query`` draws what a SPARQL CONSTRUCT or SELECT returns.
    """
    import networkx as nx

    from kg.network import project
    from kg.viz.neighbourhood import ego as ego_view
    from kg.viz.neighbourhood import refuse_above

    days = date_range(*(d.isoformat() if isinstance(d, dt.date) else d for d in (start, end)))
    start, end = days.start, days.end
    if isinstance(types, str):
        types = [types]
    types = [t for t in (types or []) if t]
    if depth is None or int(depth) < 0:
        raise UsageError("--depth must be 0 or more")
    words: list[str] = []
    filtered = bool(start or end or types)
    if query is not None:
        G, what = _query_graph(graph, query, node_limit)
        words.append(what)
        if filtered:
            _filter_events(G, start, end, _events_of_types(graph, types) if types else None)
    elif ego:  # its neighbourhood, through the events the selection keeps alone
        center = _center(graph, ego, include_sources)
        G = nx.MultiDiGraph()
        if center is not None:
            keep = _selection(graph, days, types) if filtered else None
            G = ego_view(graph, center, int(depth), include_sources=include_sources, limit=node_limit, keep=keep)
    elif filtered:  # only the selected events and what they reach, read through the graph's interface
        if types and not (start or end):  # a type of 80,000 events is refused before they are read
            refuse_above(_count_of_types(graph, types), node_limit, "at least … events")
        events: set[str] = set()
        for t in types or [None]:  # type: ignore[list-item]
            events.update(e.iri for e in graph.events(start=start, end=end, type=t))
        refuse_above(len(events), node_limit, "at least … events")
        G = project(graph, events=sorted(events), include_sources=include_sources)
    else:
        if node_limit is not None:  # refuse a whole large store before reading it
            count = int(graph.select("SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }")[0]["n"])
            refuse_above(count, node_limit, "at least … events")
        G = project(graph, include_sources=include_sources)
    if start or end:
        words.append(f"events from {start or 'the beginning'} to {end or 'the end'}")
    if types:
        words.append("type " + " or ".join(types))
    if ego:
        from kg.backends.lookup import find

        hits = find(graph, ego)
        center = next((h for h in hits if h in G), None)
        if center is None:
            hint = " (sources are hidden: add --sources)" if "/source/" in hits[0] and not include_sources else ""
            if not hint and filtered:
                hint = " (it falls outside --from/--to/--type)"
            raise UsageError(f"{ego!r} is not drawn in this view{hint}")
        if query is not None:
            G = nx.ego_graph(G, center, radius=int(depth), undirected=True).copy()
        words.append(f"within {int(depth)} step{'s' if int(depth) != 1 else ''} of {G.nodes[center].get('label', ego)}")
    if query is None:
        words.append("sources shown" if include_sources else "sources hidden")
    return G, words


@collector_paused()
def select_within(graph: Backend, *, node_limit: int | None = None, **options: Any) -> tuple[Any, list[str]]:
    """:func:`select` under ``node_limit`` (default :data:`DEFAULT_NODE_LIMIT`): what every
    page draws, refused with advice when a browser could not draw it usably."""
    from kg.viz.neighbourhood import refuse_above

    limit = DEFAULT_NODE_LIMIT if node_limit is None else int(node_limit)
    G, words = select(graph, node_limit=limit, **options)
    refuse_above(G.number_of_nodes(), limit)
    return G, words
