"""The formats that network tools read: GraphML, GEXF, CSV node and edge lists (TimelineJS is
:mod:`kg.export.timelinejs`).

All of them are made from the projection of :func:`kg.network.project`, so what is exported is
what is analysed and drawn. Every writer returns bytes that are the same for the same graph:
nodes and edges are sorted, and nothing depends on the clock or the library's version.

Node ids are the same in every format: the IRI's local part with its kind,
``actor:li-zhanshu``, ``event:open-letter-to-li-zhanshu`` (valid XML name tokens); the full IRI
is the ``iri`` attribute. Edge ids are ``e0``, ``e1``, … in the sorted order of the edges.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kg.about import TITLE
from kg.namespaces import ID
from kg.network import EDGE_ATTRIBUTES, NODE_ATTRIBUTES

if TYPE_CHECKING:
    import networkx as nx


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
        b"<meta>\n    <creator>hk-timeline-kg</creator>\n    <description>Events, actors and places of "
        + TITLE.encode()
        + b" (kg export --format gexf)</description>\n  </meta>"
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
