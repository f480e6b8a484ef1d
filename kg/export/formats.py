"""The formats that network and timeline tools read: GraphML, GEXF, CSV node and edge lists, TimelineJS.

All of them are made from the projection of :func:`kg.network.project`, so what is exported is
what is analysed and drawn. Every writer returns bytes that are the same for the same graph:
nodes and edges are sorted, and nothing depends on the clock or the library's version.

Node ids are the same in every format: the IRI's local part with its kind,
``actor:li-zhanshu``, ``event:open-letter-to-li-zhanshu`` (valid XML name tokens); the full IRI
is the ``iri`` attribute. Edge ids are ``e0``, ``e1``, … in the sorted order of the edges.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any

from kg.namespaces import ID
from kg.network import EDGE_ATTRIBUTES, NODE_ATTRIBUTES

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends.memory import KnowledgeGraph


def node_id(iri: str) -> str:
    """The id of a node in GraphML, GEXF and the CSV lists.

    >>> node_id("https://w3id.org/hk-timeline-kg/id/actor/li-zhanshu")
    'actor:li-zhanshu'
    """
    if iri.startswith(ID):
        return iri[len(ID) :].replace("/", ":")
    return re.sub(r"[^\w.:-]", "_", iri)


def _plain(value: Any) -> Any:
    """A value GraphML and GEXF can hold: lists joined with "; ", ``None`` dropped (by the caller)."""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def flat(P: nx.MultiDiGraph, *, dynamic: bool = False) -> nx.MultiDiGraph:
    """A copy of a projection that the networkx writers accept: string node ids (:func:`node_id`),
    no ``None`` values, lists joined, edges with ids ``e0``, ``e1``, … in sorted order.

    With ``dynamic``, ``start`` and ``end`` stay as they are (the GEXF writer makes them the
    elements' time bounds) and the graph is marked dynamic; without it they are kept as plain
    attributes.
    """
    import networkx as nx

    F = nx.MultiDiGraph()
    F.graph["name"] = "hk-timeline-kg"
    if dynamic:
        F.graph["mode"] = "dynamic"
    for n in sorted(P.nodes):
        data = {k: _plain(v) for k, v in P.nodes[n].items() if v is not None and k != "id"}
        if not dynamic:
            data = {("first_seen" if k == "start" else "last_seen" if k == "end" else k): v for k, v in data.items()}
        F.add_node(node_id(n), **data)
    edges = sorted(P.edges(keys=True, data=True), key=lambda e: (node_id(e[0]), node_id(e[1]), e[2]))
    for i, (s, o, key, d) in enumerate(edges):
        data = {k: _plain(v) for k, v in d.items() if v is not None}
        if not dynamic:
            data = {("first_seen" if k == "start" else "last_seen" if k == "end" else k): v for k, v in data.items()}
        F.add_edge(node_id(s), node_id(o), key=key, id=f"e{i}", **data)
    return F


def graphml(P: nx.MultiDiGraph) -> bytes:
    """GraphML (Cytoscape, yEd, igraph, R, Gephi), with typed ``<key>`` declarations.

    ``start``/``end`` are written as ``first_seen``/``last_seen`` (ISO dates), since GraphML
    has no time; the multigraph key is the ``key`` attribute.

    >>> import kg, kg.network
    >>> graphml(kg.network.project(kg.load()))[:38]
    b'<?xml version="1.0" encoding="utf-8"?>'
    """
    import networkx as nx

    # The edge id is the multigraph key (the writer's <edge id>), and the projection's own key
    # a "key" attribute: an "id" data key as well would clash with the XML id in igraph.
    F = flat(P)
    G = nx.MultiDiGraph(**F.graph)
    G.add_nodes_from(F.nodes(data=True))
    for s, o, key, d in F.edges(keys=True, data=True):
        G.add_edge(s, o, key=d["id"])
        G.edges[s, o, d["id"]].update({k: v for k, v in d.items() if k != "id"}, key=key)
    writer = nx.readwrite.graphml.GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(G)
    body = str(writer).rstrip("\n")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


_META = re.compile(rb"<meta[^>]*>.*?</meta>", re.S)


def gexf(P: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 (Gephi), dynamic: every node and edge has the ``start`` (and, for events and
    their edges, the ``end``) of :func:`kg.network.project`, so Gephi's timeline replays the
    graph: an actor appears with its first event, an event for its dates.

    The ``<meta>`` element is fixed (no modification date, no library version), so the bytes
    depend on the graph only.

    >>> import kg, kg.network
    >>> b'mode="dynamic"' in gexf(kg.network.project(kg.load()))
    True
    """
    import networkx as nx

    F = flat(P, dynamic=True)
    lines = [line.encode("utf-8") + b"\n" for line in nx.generate_gexf(F, encoding="utf-8", prettyprint=True)]
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + b"".join(lines)
    # networkx always names <graph>, which GEXF 1.2 does not allow, and writes a multigraph's
    # edge keys as "networkx_key": "edge_key" here ("key" would clash with networkx's reader).
    data = re.sub(rb'(<graph [^>]*?) name="[^"]*"', rb"\1", data, count=1)
    data = data.replace(b'title="networkx_key"', b'title="edge_key"', 1)
    meta = (
        b"<meta>\n    <creator>hk-timeline-kg</creator>\n    <description>Events, actors and places of the "
        b"Hong Kong civic-freedoms timeline knowledge graph (kg export --format gexf)</description>\n  </meta>"
    )
    return _META.sub(lambda _: meta, data, count=1)


def _csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    from kg.sparql import rows_to_csv

    return rows_to_csv(headers, [["" if v is None else _plain(v) for v in r] for r in rows]).encode("utf-8")


#: The CSV columns of nodes and edges: the projection's attributes (kg.network), the label
#: and ids being the Id/Label/Source/Target columns of their own.
NODE_COLUMNS = [*(a for a in NODE_ATTRIBUTES if a not in ("iri", "id", "label")), "iri"]
EDGE_COLUMNS = [*(a for a in EDGE_ATTRIBUTES if a != "label"), "key"]


def nodes_csv(P: nx.MultiDiGraph) -> bytes:
    """The node list in the Gephi / Cytoscape import layout: ``Id,Label,kind,class,…``.

    >>> import kg, kg.network
    >>> nodes_csv(kg.network.project(kg.load())).split(b"\\n")[0][:20]
    b'Id,Label,kind,class,'
    """
    rows = [[node_id(n), P.nodes[n]["label"], *(P.nodes[n].get(c) for c in NODE_COLUMNS)] for n in P.nodes]
    rows.sort(key=lambda r: r[0])
    return _csv(["Id", "Label", *NODE_COLUMNS], rows)


def edges_csv(P: nx.MultiDiGraph) -> bytes:
    """The edge list in the Gephi / Cytoscape import layout: ``Source,Target,Type,Id,Label,…``.

    >>> import kg, kg.network
    >>> edges_csv(kg.network.project(kg.load())).split(b"\\n")[0]
    b'Source,Target,Type,Id,Label,predicate,role,kind,start,end,key'
    """
    edges = sorted(P.edges(keys=True, data=True), key=lambda e: (node_id(e[0]), node_id(e[1]), e[2]))
    rows = [
        [node_id(s), node_id(o), "Directed", f"e{i}", d["label"], *({**d, "key": k}.get(c) for c in EDGE_COLUMNS)]
        for i, (s, o, k, d) in enumerate(edges)
    ]
    return _csv(["Source", "Target", "Type", "Id", "Label", *EDGE_COLUMNS], rows)


# ---------------------------------------------------------------------------- TimelineJS

_QUOTES = """
SELECT ?event ?quote ?source ?title WHERE {
  ?event a sem:Event .
  ?a oa:hasBody ?event ; oa:hasTarget ?t .
  ?t oa:hasSource ?source ; oa:hasSelector ?sel .
  ?sel oa:exact ?quote .
  OPTIONAL { ?source dcterms:title ?title }
}
"""
_COMMENTS = "SELECT ?event ?comment WHERE { ?event a sem:Event ; rdfs:comment ?comment }"
_MONTHS = ("January", "February", "March", "April", "May", "June")
_MONTHS += ("July", "August", "September", "October", "November", "December")


def _parts(edtf_part: str) -> tuple[dict[str, int], dict[str, int] | None, str] | None:
    """TimelineJS date objects for one side of an EDTF date, with only the parts its precision gives.

    ``2020-06-30`` gives year, month and day; ``2020-06`` year and month; ``2019`` the year;
    ``..`` (open) nothing. A set of days (``[2020-05-25..2020-06-18]``: one day, not known
    which) gives its first and last day, as a span, so that the slide stands where the day
    may fall. Also a human-readable rendering that says which of these it is.
    """
    from kg.curate.dates import parse

    text = edtf_part.strip()
    if text in ("", ".."):
        return None
    b = parse(text)
    eb, lb = b.earliest_begin, b.latest_begin
    if eb is None or lb is None:
        return None
    approx = "approximately " if b.precision == "approximate" else ""
    if eb == lb:
        return {"year": eb.year, "month": eb.month, "day": eb.day}, None, approx + _human(eb)
    if b.precision == "range":
        first, last = ({"year": d.year, "month": d.month, "day": d.day} for d in (eb, lb))
        return first, last, f"one day between {_human(eb)} and {_human(lb)}, not known which"
    if eb.year == lb.year and eb.month == lb.month:
        return {"year": eb.year, "month": eb.month}, None, f"{approx}{_MONTHS[eb.month - 1]} {eb.year}"
    if eb.year == lb.year and (eb.month, eb.day, lb.month, lb.day) == (1, 1, 12, 31):
        return {"year": eb.year}, None, f"{approx}{eb.year}"
    return {"year": eb.year}, None, f"{approx}{_human(eb)} – {_human(lb)}"


def _human(day: Any) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def timeline_dates(edtf: str) -> tuple[dict[str, int], dict[str, int] | None, str]:
    """``start_date``, ``end_date`` and ``display_date`` of a TimelineJS slide for an EDTF date.

    ``end_date`` is given for an interval with a known end, at that end's precision, and for
    a set of days (its last day); ``display_date`` says in words what is known.

    >>> timeline_dates("2021-06")
    ({'year': 2021, 'month': 6}, None, 'June 2021')
    >>> timeline_dates("2020-06-18/2020-06-20")[:2]
    ({'year': 2020, 'month': 6, 'day': 18}, {'year': 2020, 'month': 6, 'day': 20})
    >>> timeline_dates("2019/..")
    ({'year': 2019}, None, 'from 2019, end not known')
    """
    if "/" in edtf:
        first, _, second = edtf.partition("/")
        begin, end = _parts(first), _parts(second)
        if begin is None:
            raise ValueError(f"{edtf!r} has no begin")
        if end is None:
            return begin[0], None, f"from {begin[2]}, end not known"
        return begin[0], end[1] or end[0], f"{begin[2]} – {end[2]}"
    begin = _parts(edtf)
    if begin is None:
        raise ValueError(f"{edtf!r} has no begin")
    return begin


def timelinejs(graph: KnowledgeGraph, title: str = "Civic freedoms in Hong Kong, 2019–2021") -> bytes:
    """The timeline as Knight Lab TimelineJS JSON (``new TL.Timeline(id, "timeline.json")``).

    One slide per event: ``start_date`` and, for intervals, ``end_date`` with only the date
    parts the precision gives (a month-precision event has no ``day``), a ``display_date``
    saying what the EDTF date means, ``text.headline`` (the label) and ``text.text`` (the
    description, the actors with their roles, and every quote with its source's title,
    HTML-escaped), ``group`` (the event type) and ``unique_id`` (the event id).

    >>> import kg, json
    >>> doc = json.loads(timelinejs(kg.load()))
    >>> sorted(doc["events"][0])
    ['display_date', 'group', 'start_date', 'text', 'unique_id']
    """
    from collections import defaultdict

    esc = html.escape
    events = graph.timeline()
    quotes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in graph.select(_QUOTES):
        quotes[r["event"]].append((r["quote"], r["title"] or r["source"]))
    comments = {r["event"]: r["comment"] for r in graph.select(_COMMENTS)}
    slides = []
    for e in events:
        start, end, shown = timeline_dates(e["edtf"] or e["earliest_begin"])
        body = []
        if comments.get(e["iri"]):
            body.append(f"<p>{esc(comments[e['iri']])}</p>")
        by_role: dict[str, list[str]] = defaultdict(list)
        for r in e["roles"]:
            by_role[r["role"]].append(r["actor"])
        with_role = {r["actor"] for r in e["roles"]}
        by_role["actor"] += [a for a in e["actors"] if a not in with_role]
        for role, names in sorted(by_role.items()):
            if names:
                heading = role if len(names) == 1 else f"{role} ({len(names)})"
                body.append(f"<p><b>{esc(heading)}:</b> {esc(', '.join(sorted(set(names))))}</p>")
        if e["places"]:
            body.append(f"<p><b>Place:</b> {esc(', '.join(e['places']))}</p>")
        for quote, source in sorted(set(quotes[e["iri"]]), key=lambda q: (q[1], q[0])):
            body.append(f"<blockquote>“{esc(quote)}”<br><cite>{esc(source)}</cite></blockquote>")
        slide: dict[str, Any] = {"start_date": start}
        if end is not None:
            slide["end_date"] = end
        slide.update(
            display_date=shown,
            text={"headline": esc(e["label"]), "text": "\n".join(body)},
            group=e["type"],
            unique_id=e["id"],
        )
        slides.append(slide)
    doc = {
        "title": {
            "text": {
                "headline": esc(title),
                "text": (
                    f"<p>{len(slides)} events of the hk-timeline-kg knowledge graph, each with the quotes "
                    "from its sources. Dates show only what the sources say: a month when only the month "
                    "is known.</p>"
                ),
            }
        },
        "events": slides,
        "scale": "human",
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
