"""Interactive views of the graph in the browser: a network and a timeline, each one HTML file.

The page stands alone and works offline: vis-network's JavaScript and CSS (the copy that ships
inside the pyvis package) are inlined, nothing is written beside it (no ``lib/`` folder), and a
Content-Security-Policy forbids every network request. Every string from the data reaches the
page as text: the data travels in a JSON block (``<``, ``>`` and ``&`` escaped) and the page's
script inserts it with ``textContent``, never as HTML. The vis-network instance is the page's
global ``network``, as in pages that pyvis writes, so scripts and tests can inspect what was drawn.

pyvis itself renders with a template that pulls Bootstrap from a CDN even with
``cdn_resources="in_line"``, inserts node titles that contain "href" as raw HTML and writes its
heading unescaped; its ``add_node``/``add_edge`` scan lists, which is quadratic. So this module
builds vis-network's nodes, edges and options itself, from the projection of
:func:`kg.network.project` that the other views share, and renders its own page.

>>> import kg, kg.viz
>>> v = kg.viz.view(kg.load(), ego="Amnesty International")
>>> v.nodes > 1 and v.edges > 0 and "<html" in v.html
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError, UsageError

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends.memory import KnowledgeGraph

#: Views with more nodes than this are refused (``node_limit=`` / ``--node-limit`` change it).
DEFAULT_NODE_LIMIT = 20_000
#: Up to this many nodes the browser lays the network out (physics); above it, positions are
#: computed here, physics is off, edges are straight and hidden while dragging.
PHYSICS_LIMIT = 300
LAYOUTS = ("network", "timeline")
LANES = ("type", "actor")

#: Category -> (legend label, colour, vis-network shape, legend glyph). Okabe-Ito colours.
CATEGORIES: dict[str, tuple[str, str, str, str]] = {
    "event": ("event", "#E69F00", "diamond", "\u25c6"),
    "person": ("person", "#0072B2", "dot", "\u25cf"),
    "organisation": ("organisation", "#009E73", "square", "\u25a0"),
    "place": ("place", "#CC79A7", "triangle", "\u25b2"),
    "source": ("source", "#7F7F7F", "triangleDown", "\u25bc"),
    "other": ("other", "#56B4E9", "dot", "\u25cf"),
}
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
_VIS_DIR = ("templates", "lib", "vis-9.1.2")


# ---------------------------------------------------------------------------------- results


@dataclass
class View:
    """A rendered view: the HTML page, what it draws, and how to show it in Jupyter."""

    html: str
    nodes: int
    edges: int
    layout: str
    title: str
    caption: str
    fingerprint: str = ""
    positioned: bool = False
    height: int = 680
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def write(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` atomically (nothing else is written)."""
        from kg import atomic

        return atomic.write_bytes(path, self.html.encode("utf-8"))

    def summary(self) -> str:
        """``network: 161 nodes, 202 edges``."""
        return f"{self.layout}: {self.nodes} nodes, {self.edges} edges"

    def _repr_html_(self) -> str:
        """An iframe whose ``srcdoc`` is the page, so that its scripts run inside a notebook."""
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'title="{html.escape(self.title, quote=True)}" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd"></iframe>'
        )

    def __repr__(self) -> str:
        return f"<View {self.summary()}>"


# ---------------------------------------------------------------------------------- selection


def _iso(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--{name} expects a date YYYY-MM-DD, got {value!r}") from None
    return text


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


def _events_of_types(graph: KnowledgeGraph, types: list[str]) -> set[str]:
    from kg.explore.lookup import find

    wanted: set[str] = set()
    for t in types:
        wanted.update(find(graph, t, kinds=("event type",)))
    query = (
        "SELECT DISTINCT ?e WHERE { ?e a sem:Event ; sem:eventType ?t . ?t skos:broader* ?w . VALUES ?w { "
        + " ".join(f"<{w}>" for w in sorted(wanted))
        + " } }"
    )
    return {r["e"] for r in graph.query(query).dicts()}


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


def _labels(graph: KnowledgeGraph, iris: set[str]) -> dict[str, str]:
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


def _query_graph(graph: KnowledgeGraph, query: str | os.PathLike, base: nx.MultiDiGraph) -> tuple[Any, str]:
    """The graph that a CONSTRUCT or SELECT returns.

    CONSTRUCT: the projection of its triples (:func:`kg.network.from_triples`: roles collapsed
    into labelled edges), plus every other link the triples state between two resources
    (``rdf:type`` aside), labelled by its property. SELECT: the resources in its rows and the
    projection's edges among them. Nodes take their attributes from the projection of the whole
    graph where it has them (labels, kinds, dates), so a query need not repeat them.
    """
    import networkx as nx
    import pyoxigraph as ox

    from kg.namespaces import RDF, SEM, shorten
    from kg.network import from_triples
    from kg.sparql import SelectResult

    text, name = _read_query(query)
    result = graph.query(text)
    out = nx.MultiDiGraph()

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
    else:
        raise UsageError("--query must be a CONSTRUCT or a SELECT query (ASK has nothing to draw)")
    missing = {n for n, d in out.nodes(data=True) if not d.get("label") and not n.startswith("_:")}
    names = _labels(graph, missing)
    for n, d in out.nodes(data=True):
        if not d.get("label"):
            d["label"] = names.get(n) or _short(n)
    return out, what


def select(
    graph: KnowledgeGraph,
    *,
    ego: str | None = None,
    depth: int = 1,
    start: Any = None,
    end: Any = None,
    types: list[str] | tuple[str, ...] | str | None = None,
    query: str | os.PathLike | None = None,
    include_sources: bool = False,
) -> tuple[Any, list[str]]:
    """The subgraph that a view draws (a ``networkx.MultiDiGraph`` of the shared projection,
    :func:`kg.network.project`) and the phrases that describe the selection.

    Events are kept when their begin may fall between ``start`` and ``end`` and their type is
    one of ``types`` (narrower types included); people, organisations and places stay when
    they are linked to a kept event. ``ego`` keeps what lies within ``depth`` steps of one
    resource; ``query`` draws what a SPARQL CONSTRUCT or SELECT returns.
    """
    import networkx as nx

    from kg.network import project

    start, end = _iso(start, "from"), _iso(end, "to")
    if start and end and start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    if isinstance(types, str):
        types = [types]
    types = [t for t in (types or []) if t]
    if depth is None or int(depth) < 0:
        raise UsageError("--depth must be 0 or more")
    words: list[str] = []
    if query is not None:
        base = project(graph, include_sources=True)
        G, what = _query_graph(graph, query, base)
        words.append(what)
    else:
        G = project(graph, start=start, end=end, include_sources=include_sources)
        G = G.copy()
    wanted = _events_of_types(graph, types) if types else None
    if start or end or wanted is not None:
        drop = []
        for n, d in G.nodes(data=True):
            if category(d) != "event":
                continue
            eb = str(d.get("earliest_begin") or "")[:10]
            lb = str(d.get("latest_begin") or eb)[:10]
            if (start and lb and lb < start) or (end and eb and eb > end) or (wanted is not None and n not in wanted):
                drop.append(n)
        G.remove_nodes_from(drop)
        if query is None:  # keep actors, places and sources of the events that remain
            events = {n for n, d in G.nodes(data=True) if category(d) == "event"}
            linked = {m for e in events for m in nx.all_neighbors(G, e)}
            G.remove_nodes_from([n for n in list(G.nodes) if n not in events and n not in linked])
        if start or end:
            words.append(f"events from {start or 'the beginning'} to {end or 'the end'}")
        if types:
            words.append("type " + " or ".join(types))
    if ego:
        from kg.explore.lookup import find

        hits = find(graph, ego)
        center = next((h for h in hits if h in G), None)
        if center is None:
            hint = " (sources are hidden: add --sources)" if "/source/" in hits[0] and not include_sources else ""
            if not hint and (start or end or types):
                hint = " (it falls outside --from/--to/--type)"
            raise UsageError(f"{ego!r} is not drawn in this view{hint}")
        G = nx.ego_graph(G, center, radius=int(depth), undirected=True).copy()
        words.append(f"within {int(depth)} step{'s' if int(depth) != 1 else ''} of {G.nodes[center].get('label', ego)}")
    if query is None:
        words.append("sources shown" if include_sources else "sources hidden")
    return G, words


# ---------------------------------------------------------------------------------- layouts


def force_layout(n: int, edges: list[tuple[int, int]], *, seed: int = 7, iterations: int | None = None) -> Any:
    """Positions (an ``n`` x 2 numpy array) by a Fruchterman-Reingold layout whose repulsion is
    computed on a grid with FFT convolution, so each step costs O(n + m + G² log G): 20,000
    nodes take seconds where networkx's ``spring_layout`` takes minutes. Deterministic for a
    given ``seed``."""
    import numpy as np

    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    k = 1.0
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    radius = math.sqrt(n) * k
    pos = (rng.random((n, 2)) - 0.5) * 2 * radius
    grid = int(min(256, max(32, 2 ** math.ceil(math.log2(math.sqrt(n) * 2)))))
    g2 = 2 * grid
    off = np.arange(g2)
    off = np.where(off < grid, off, off - g2).astype(float)
    ox_, oy_ = np.meshgrid(off, off, indexing="ij")
    r2 = ox_ * ox_ + oy_ * oy_
    r2[0, 0] = 1.0
    kx = np.fft.rfft2(ox_ / r2)
    ky = np.fft.rfft2(oy_ / r2)
    steps = iterations or (300 if n <= 5000 else 160)
    temp, final = radius / 4, k / 20
    cool = (final / temp) ** (1 / steps)
    for _ in range(steps):
        lo = pos.min(axis=0)
        h = max(float((pos.max(axis=0) - lo).max()), 1e-9) * 1.0001 / grid
        cell = np.minimum(((pos - lo) / h).astype(np.int64), grid - 1)
        mass = np.bincount(cell[:, 0] * g2 + cell[:, 1], minlength=g2 * g2).reshape(g2, g2).astype(float)
        fm = np.fft.rfft2(mass)
        fx = np.fft.irfft2(fm * kx, s=mass.shape)
        fy = np.fft.irfft2(fm * ky, s=mass.shape)
        disp = (k * k / h) * np.stack([fx[cell[:, 0], cell[:, 1]], fy[cell[:, 0], cell[:, 1]]], axis=1)
        if len(src):
            d = pos[dst] - pos[src]
            dist = np.hypot(d[:, 0], d[:, 1]) + 1e-9
            f = d * (dist / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(src, weights=f[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(dst, weights=f[:, axis], minlength=n)
        disp -= 0.5 * (pos - pos.mean(axis=0))
        length = np.hypot(disp[:, 0], disp[:, 1]) + 1e-12
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= cool
    return pos - pos.mean(axis=0)


def _network_positions(ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Linked nodes by :func:`force_layout`; unlinked ones in a block to their right (a force
    layout would push them into a ring around the rest)."""
    linked = sorted({n for pair in pairs for n in pair})
    index = {n: i for i, n in enumerate(linked)}
    pos = force_layout(len(linked), [(index[u], index[v]) for u, v in pairs if u != v])
    out = {n: (round(float(pos[i, 0]) * 60, 1), round(float(pos[i, 1]) * 60, 1)) for n, i in index.items()}
    alone = [n for n in ids if n not in index]
    if alone:
        xs = [x for x, _ in out.values()] or [0.0]
        ys = [y for _, y in out.values()] or [0.0]
        cols = max(1, math.ceil(math.sqrt(len(alone) / 2)))
        x0, y0 = max(xs) + 200.0, min(ys)
        for i, n in enumerate(alone):
            out[n] = (round(x0 + (i % cols) * 50.0, 1), round(y0 + (i // cols) * 50.0, 1))
    return out


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


_ROW = 120.0  # height of one row of events in a lane
_EVENT_GAP = 210.0  # horizontal room an event and its label need
_OTHER_ROW = 55.0
_OTHER_GAP = 120.0
_MAX_OTHER_ROWS = 12


def _pack(items: list[tuple[str, float, float]], gap: float) -> dict[str, int]:
    """Rows for events (id, start x, end x) sorted by x: the first row where each fits."""
    ends: list[float] = []
    rows: dict[str, int] = {}
    for key, x0, x1 in items:
        for r, end in enumerate(ends):
            if x0 - gap / 2 >= end:
                ends[r] = max(x1, x0 + gap / 2)
                rows[key] = r
                break
        else:
            ends.append(max(x1, x0 + gap / 2))
            rows[key] = len(ends) - 1
    return rows


def _timeline_positions(
    nodes: dict[str, dict[str, Any]], neighbours: dict[str, set[str]], lanes_by: str, width: float | None = None
) -> tuple[dict[str, tuple[float, float]], dict[str, Any]] | None:
    """Events at x = their earliest begin (to scale), in lanes by type or by actor, packed in
    rows so that labels do not overlap; other nodes in a band below, near their events."""
    events = {n: d for n, d in nodes.items() if d["cat"] == "event" and _date(d.get("eb"))}
    if not events:
        return None
    first = min(_date(d["eb"]) for d in events.values())
    last = max(
        max(filter(None, (_date(d.get("eb")), _date(d.get("lb")), _date(d.get("le")), _date(d.get("ee")))))
        for d in events.values()
    )
    origin = dt.date(first.year, first.month, 1)
    # The scale suits the bulk of the events (from the 10th percentile on), so that a few old
    # background events do not squeeze the rest; the page opens on that bulk.
    begins = sorted(_date(d["eb"]) for d in events.values())
    dense_first = begins[int(0.1 * (len(begins) - 1))] if len(begins) >= 10 else first
    span = max((last - dense_first).days + 31, 60)
    if width is None:
        width = max(2000.0, min(120_000.0, 200.0 * len(events)))
    ppd = round(min(width / span, 400.0), 6)

    def x_of(day: dt.date) -> float:
        return round((day - origin).days * ppd, 2)

    spans: dict[str, list[float]] = {}
    ex: dict[str, tuple[float, float]] = {}
    for n, d in events.items():
        eb = _date(d["eb"])
        lb = _date(d.get("lb")) or eb
        end = max(filter(None, (lb, _date(d.get("le")), _date(d.get("ee")))))
        ex[n] = (x_of(eb), x_of(end))
        if end > eb:
            spans[n] = [x_of(eb), x_of(end) + ppd]  # through the end of the last day
    order = sorted(events, key=lambda n: (events[n]["eb"], events[n].get("lb") or "", events[n]["label"], n))

    lane_actors: list[str] = []
    if lanes_by == "actor":
        counts = {
            n: sum(1 for m in neighbours.get(n, ()) if m in events)
            for n, d in nodes.items()
            if d["cat"] in ("person", "organisation")
        }
        ranked = sorted((n for n, c in counts.items() if c >= 2), key=lambda n: (-counts[n], nodes[n]["label"], n))
        lane_actors = ranked[:20]
        rank = {n: i for i, n in enumerate(lane_actors)}
        lane_of = {}
        for e in order:
            best = min((rank[m] for m in neighbours.get(e, ()) if m in rank), default=None)
            lane_of[e] = lane_actors[best] if best is not None else ""
        used = set(lane_of.values())
        lane_actors = [a for a in lane_actors if a in used]  # an actor whose events all went higher: no lane
        keys = lane_actors + ([""] if "" in used else [])
        names = {a: nodes[a]["label"] for a in lane_actors} | {"": "other events"}
    else:
        lane_of = {e: events[e].get("type") or "" for e in order}
        firsts: dict[str, str] = {}
        for e in order:
            firsts.setdefault(lane_of[e], events[e]["eb"])
        keys = sorted(firsts, key=lambda t: (firsts[t], t))
        names = {t: (t or "no type") for t in keys}

    pos: dict[str, tuple[float, float]] = {}
    lanes = []
    y = 0.0
    for key in keys:
        members = [e for e in order if lane_of[e] == key]
        rows = _pack([(e, ex[e][0], ex[e][1]) for e in members], _EVENT_GAP)
        height = (max(rows.values(), default=0) + 1) * _ROW + 50
        for e in members:
            pos[e] = (ex[e][0], round(y + 55 + rows[e] * _ROW, 1))
        if key and key in nodes:  # an actor's lane starts with the actor
            pos[key] = (round(-200.0, 1), round(y + 55, 1))
        lanes.append({"label": names[key], "y0": y, "y1": y + height, "actor": key if key in nodes else ""})
        y += height
    # people, organisations, places and sources: below, near their events
    rest = [n for n in nodes if n not in pos]
    target: dict[str, float] = {}
    for _ in range(2):
        for n in rest:
            xs = sorted(pos[m][0] for m in neighbours.get(n, ()) if m in pos)
            if not xs:
                xs = sorted(target[m] for m in neighbours.get(n, ()) if m in target)
            if xs:
                target[n] = xs[len(xs) // 2]
    band_top = y
    ends: list[float] = []
    axis_width = max(x_of(last), 1.0)
    max_rows = max(_MAX_OTHER_ROWS, math.ceil(1.5 * len(rest) * _OTHER_GAP / axis_width))
    for n in sorted(rest, key=lambda n: (target.get(n, -1e9), nodes[n]["label"], n)):
        want = target.get(n, -150.0)
        best_row, best_x, best_cost = None, want, math.inf
        for r, end in enumerate(ends):
            at = max(want, end + _OTHER_GAP)
            cost = abs(at - want) + r * 40.0
            if cost < best_cost:
                best_row, best_x, best_cost = r, at, cost
        if len(ends) < max_rows and (best_row is None or len(ends) * 40.0 < best_cost):
            ends.append(want)
            best_row, best_x = len(ends) - 1, want
        else:
            ends[best_row] = best_x
        pos[n] = (round(best_x, 1), round(band_top + 60 + best_row * _OTHER_ROW, 1))
    if rest:
        height = len(ends) * _OTHER_ROW + 70
        label = "people, organisations, places" + (
            ", sources" if any(nodes[n]["cat"] == "source" for n in rest) else ""
        )
        lanes.append({"label": label, "y0": band_top, "y1": band_top + height, "band": True})
        y += height
    axis = {
        "origin": origin.isoformat(),
        "pxPerDay": ppd,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "lanes": lanes,
        "lanesBy": lanes_by,
        "spans": spans,
        "focus": [x_of(dense_first) - 40, x_of(last) + 40],
    }
    if width > 2000.0 and width > 2.5 * y:  # many events: a narrower axis and more rows read better
        return _timeline_positions(nodes, neighbours, lanes_by, max(2000.0, width / 2))
    return pos, axis


# ---------------------------------------------------------------------------------- evidence

_QUOTES = """
SELECT ?node ?about ?exact ?title ?source ?url WHERE {
  {
    ?ann oa:hasBody ?node .
  } UNION {
    ?node hk:holdsPost ?body . ?body rdfs:label ?about . ?ann oa:hasBody ?body .
  } UNION {
    ?body a hk:EventRelation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    ?ann oa:hasBody ?body .
    ?s rdfs:label ?sl . ?o rdfs:label ?ol . OPTIONAL { ?p rdfs:label ?pl }
    VALUES ?end { 1 2 }
    BIND(IF(?end = 1, ?s, ?o) AS ?node)
    BIND(CONCAT(?sl, " \u2014 ", COALESCE(?pl, "related to"), " \u2192 ", ?ol) AS ?about)
  }
  ?ann a oa:Annotation ; oa:hasTarget ?t .
  ?t oa:hasSource ?source ; oa:hasSelector/oa:exact ?exact .
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source schema:url ?url }
}
"""
_URLS = "SELECT ?node ?url WHERE { { ?node schema:url ?url } UNION { ?node owl:sameAs ?url } }"
_HTTP = re.compile(r"^https?://", re.IGNORECASE)


def evidence(graph: KnowledgeGraph, ids: set[str]) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """Quotes (``[quote, source title, source URL, about]``) and an http(s) URL of each node."""
    quotes: dict[str, set[tuple[str, str, str, str]]] = {}
    for r in graph.query(_QUOTES).dicts():
        if r["node"] in ids:
            url = r["url"] if r["url"] and _HTTP.match(r["url"]) else ""
            about = r["about"] or ""
            quotes.setdefault(r["node"], set()).add((r["exact"], r["title"] or _short(r["source"]), url, about))
    urls: dict[str, str] = {}
    for r in sorted(graph.query(_URLS).dicts(), key=lambda r: (r["node"], r["url"])):
        if r["node"] in ids and _HTTP.match(r["url"] or ""):
            urls.setdefault(r["node"], r["url"])
    return {n: [list(q) for q in sorted(qs, key=lambda q: (q[3], q[1], q[0]))] for n, qs in quotes.items()}, urls


def fingerprint(graph: KnowledgeGraph) -> str:
    """A short SHA-256 of the graph's sorted N-Quads: which data a page was drawn from."""
    import pyoxigraph as ox

    data = ox.serialize(graph.quads(), format=ox.RdfFormat.N_QUADS)
    return hashlib.sha256(data).hexdigest()[:12]


# ---------------------------------------------------------------------------------- rendering


def _assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, from the copy inside the pyvis package (not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KGError("the views need pyvis (pip install pyvis), whose copy of vis-network they inline")
    root = Path(next(iter(spec.submodule_search_locations))).joinpath(*_VIS_DIR)
    js = (root / "vis-network.min.js").read_text(encoding="utf-8")
    css = (root / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # would end the inline block early
        raise KGError(f"{root}: vis-network cannot be inlined safely")
    return js, css


def _json_for_html(data: Any) -> str:
    """JSON that cannot end its ``<script>`` block nor be read as markup: ``<``, ``>`` and
    ``&`` (so ``</script>`` and ``<!--`` too) and the JavaScript line separators are escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _csp_hash(script: str) -> str:
    import base64

    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _tooltip(d: dict[str, Any]) -> str:
    lines = [d["label"]]
    what = CATEGORIES[d["cat"]][0] + (f" \u00b7 {d['type']}" if d.get("type") else "")
    lines.append(what + (f" \u00b7 {d['edtf']}" if d.get("edtf") else ""))
    return "\n".join(lines)


def render(
    G: Any,
    *,
    layout: str = "network",
    lanes: str = "type",
    title: str | None = None,
    words: list[str] | None = None,
    quotes: dict[str, list[list[str]]] | None = None,
    urls: dict[str, str] | None = None,
    fingerprint: str = "",
    version: str | None = None,
    physics_limit: int = PHYSICS_LIMIT,
) -> View:
    """The page of a projected graph (nodes with ``label``, ``kind``/``class``, ``type`` and
    date bounds; edges with ``label``). Parallel edges are merged, their labels joined."""
    from kg import __version__

    if layout not in LAYOUTS:
        raise UsageError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    if lanes not in LANES:
        raise UsageError(f"unknown lanes {lanes!r}: use one of {', '.join(LANES)}")
    version = version or __version__
    quotes, urls = quotes or {}, urls or {}

    nodes: dict[str, dict[str, Any]] = {}
    for n, d in G.nodes(data=True):
        cat = category(d)
        nodes[str(n)] = {
            "label": " ".join(str(d.get("label") or _short(n)).split()),
            "cat": cat,
            "cls": _classes_text(d),
            "type": _type_label(d.get("type")) if cat == "event" else "",
            "edtf": str(d["edtf"]) if d.get("edtf") else "",
            "eb": str(d["earliest_begin"])[:10] if d.get("earliest_begin") else "",
            "lb": str(d["latest_begin"])[:10] if d.get("latest_begin") else "",
            "ee": str(d["earliest_end"])[:10] if d.get("earliest_end") else "",
            "le": str(d["latest_end"])[:10] if d.get("latest_end") else "",
        }
    merged: dict[tuple[str, str], set[str]] = {}
    for u, v, d in G.edges(data=True):
        label = str(d.get("label") or "")
        if d.get("kind") == "membership" and d.get("role"):
            label += f" ({d['role']})"
        merged.setdefault((str(u), str(v)), set()).add(" ".join(label.split()))
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    degree = dict.fromkeys(nodes, 0)
    for u, v in merged:
        neighbours[u].add(v)
        neighbours[v].add(u)
        degree[u] += 1
        degree[v] += 1
    ids = sorted(nodes)
    big = len(ids) > physics_limit
    huge = len(ids) > 2000

    positions: dict[str, tuple[float, float]] = {}
    axis = None
    if layout == "timeline":
        placed = _timeline_positions(nodes, neighbours, lanes)
        if placed is not None:
            positions, axis = placed
    if not positions and (big or layout == "timeline") and ids:
        positions = _network_positions(ids, sorted(merged))
    physics = not positions

    vis_nodes = []
    spans = axis.pop("spans") if axis else {}
    lane_heads = {lane["actor"] for lane in axis["lanes"] if lane.get("actor")} if axis else set()
    for n in ids:
        d = nodes[n]
        node: dict[str, Any] = {
            "id": n,
            "label": d["label"] if not huge or len(d["label"]) <= 40 else d["label"][:39].rstrip() + "\u2026",
            "group": d["cat"],
            "value": max(degree[n], 1),
            "title": _tooltip(d),
            "kgCat": d["cat"],
        }
        if node["label"] != d["label"]:
            node["kgLabel"] = d["label"]
        for key in ("cls", "type", "edtf", "eb", "lb", "ee", "le"):
            if d[key]:
                node["kg" + key.capitalize()] = d[key]
        uncertain = d["cat"] == "event" and ((d["eb"] and d["lb"] and d["eb"] != d["lb"]) or d["ee"] != d["le"])
        if uncertain:
            node["kgUncertain"] = True
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["borderWidth"] = 2
        if n in positions:
            node["x"], node["y"] = positions[n]
            if axis is not None and (d["cat"] == "event" or n in lane_heads):
                node["fixed"] = {"x": True, "y": False}
        if n in spans:
            node["kgSpan"] = spans[n]
        if n in urls:
            node["kgUrl"] = urls[n]
        vis_nodes.append(node)
    vis_edges = []
    for i, ((u, v), labels) in enumerate(sorted(merged.items())):
        vis_edges.append({"id": f"e{i}", "from": u, "to": v, "label": ", ".join(sorted(x for x in labels if x))})

    groups = {}
    for cat, (_, colour, shape, _) in CATEGORIES.items():
        groups[cat] = {
            "shape": shape,
            "color": {"background": colour, "border": "#333333", "highlight": {"background": colour, "border": "#000"}},
        }
    options: dict[str, Any] = {
        "groups": groups,
        "nodes": {
            "scaling": {"min": 8, "max": 34, "label": {"enabled": False}},
            "font": {"size": 13, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": 150},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9a9a9a", "highlight": "#333333", "inherit": False},
            "font": {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3},
            "width": 1,
            "smooth": False if positions else {"enabled": True, "type": "continuous", "roundness": 0.3},
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": (
            {
                "enabled": True,
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
                "stabilization": {"enabled": True, "iterations": 250, "fit": True},
            }
            if physics
            else {"enabled": False}
        ),
    }
    if axis is not None:  # larger event labels: a timeline is read zoomed in
        options["groups"]["event"]["font"] = {"size": 16}
        options["groups"]["event"]["widthConstraint"] = {"maximum": 190}
    if huge:  # cheaper text: no word wrapping, no halo (labels show once zoomed in)
        del options["nodes"]["widthConstraint"]
        options["nodes"]["font"]["strokeWidth"] = 0
        options["edges"]["font"]["strokeWidth"] = 0
    cats_present = sorted({nodes[n]["cat"] for n in ids}, key=list(CATEGORIES).index)
    type_counts: dict[str, int] = {}
    for d in nodes.values():
        if d["cat"] == "event":
            type_counts[d["type"] or "no type"] = type_counts.get(d["type"] or "no type", 0) + 1
    ebs = sorted(d["eb"] for d in nodes.values() if d["cat"] == "event" and d["eb"])
    ends = sorted(max(d["eb"], d["lb"], d["le"]) for d in nodes.values() if d["cat"] == "event" and d["eb"])
    n_nodes, n_edges = len(vis_nodes), len(vis_edges)
    words = list(words or [])
    if layout == "timeline" and axis is not None:
        words.append(f"lanes by {'event type' if lanes == 'type' else 'actor'}")
    title = title or f"Hong Kong civic-freedoms timeline \u2014 {layout}"
    caption = (
        f"{layout.capitalize()} of {n_nodes} nodes and {n_edges} edges"
        + (" (" + "; ".join(words) + ")" if words else "")
        + f". Data: hk-timeline-kg {version}"
        + (f", fingerprint {fingerprint}" if fingerprint else "")
        + "."
    )
    data = {
        "title": title,
        "caption": caption,
        "layout": layout,
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": options,
        "physics": physics,
        "axis": axis,
        "quotes": {n: q for n, q in sorted(quotes.items()) if n in nodes},
        "categories": [
            {"key": c, "label": CATEGORIES[c][0], "color": CATEGORIES[c][1], "glyph": CATEGORIES[c][3]}
            for c in cats_present
        ],
        "counts": {c: sum(1 for d in nodes.values() if d["cat"] == c) for c in cats_present},
        "eventTypes": [{"label": t, "count": c} for t, c in sorted(type_counts.items())],
        "dateRange": [ebs[0], ends[-1]] if ebs else None,
        "version": version,
        "fingerprint": fingerprint,
    }
    page = _page(data, title, caption)
    return View(
        html=page,
        nodes=n_nodes,
        edges=n_edges,
        layout=layout,
        title=title,
        caption=caption,
        fingerprint=fingerprint,
        positioned=bool(positions),
    )


def _page(data: dict[str, Any], title: str, caption: str) -> str:
    js, css = _assets()
    app = _APP_JS
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(js)} {_csp_hash(app)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
        "form-action 'none'; base-uri 'none'"
    )
    esc = html.escape
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp, quote=True)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="hk-timeline-kg {esc(str(data["version"]), quote=True)}">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{css}</style>\n<style>{_PAGE_CSS}</style>\n</head>\n<body>\n"
        '<header id="kg-header">'
        f'<h1 id="kg-title">{esc(title)}</h1>'
        f'<p id="kg-caption">{esc(caption)}</p>'
        "</header>\n"
        '<div id="kg-main">\n'
        '<aside id="kg-controls" aria-label="Legend and filters">'
        '<section><h2>Classes</h2><div id="kg-legend"></div></section>'
        '<section id="kg-types-section"><h2>Event types</h2><div id="kg-types"></div></section>'
        '<section id="kg-dates-section"><h2>Dates</h2>'
        '<label>from <input type="date" id="kg-from"></label>'
        '<label>to <input type="date" id="kg-to"></label></section>'
        '<section><button type="button" id="kg-reset">Show all</button>'
        '<p id="kg-status" aria-live="polite"></p></section>'
        "</aside>\n"
        '<div id="mynetwork" role="img" aria-label="graph drawing"></div>\n'
        '<aside id="kg-panel" aria-live="polite"><p class="kg-hint">Click a node or an edge for details.</p></aside>\n'
        "</div>\n"
        "<noscript><p>This page draws the graph with JavaScript; the data is in the JSON block below.</p></noscript>\n"
        f'<script type="application/json" id="kg-data">{_json_for_html(data)}</script>\n'
        f"<script>{js}</script>\n"
        f"<script>{app}</script>\n"
        "</body>\n</html>\n"
    )


_PAGE_CSS = """
html, body { margin: 0; padding: 0; height: 100%; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #222; background: #fff; }
body { display: flex; flex-direction: column; }
#kg-header { padding: 6px 12px; border-bottom: 1px solid #ddd; }
#kg-title { font-size: 17px; margin: 0; }
#kg-caption { margin: 2px 0 0; color: #555; font-size: 12.5px; }
#kg-main { flex: 1; display: flex; min-height: 0; }
#kg-controls { width: 210px; overflow: auto; padding: 6px 10px; border-right: 1px solid #ddd; font-size: 13px; }
#kg-controls h2, #kg-panel h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #666;
  margin: 10px 0 4px; }
#kg-controls label { display: flex; gap: 6px; align-items: center; margin: 2px 0; cursor: pointer; }
#kg-controls input[type=date] { font: inherit; font-size: 12px; }
#kg-types { max-height: 260px; overflow: auto; }
.kg-glyph { display: inline-block; width: 1.1em; text-align: center; font-size: 15px; }
.kg-count { color: #888; margin-left: auto; }
#mynetwork { flex: 1; position: relative; min-width: 0; background: #fff; }
#kg-panel { width: 300px; overflow: auto; padding: 8px 12px; border-left: 1px solid #ddd; font-size: 13px; }
#kg-panel h2 { font-size: 15px; margin: 2px 0 6px; overflow-wrap: anywhere; }
#kg-panel dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; }
#kg-panel dt { color: #666; }
#kg-panel dd { margin: 0; overflow-wrap: anywhere; }
#kg-panel ul { padding-left: 16px; margin: 4px 0; }
#kg-panel li button { font: inherit; background: none; border: 0; padding: 0; color: #0a58ca; cursor: pointer;
  text-align: left; }
#kg-panel blockquote { margin: 6px 0 2px; padding-left: 8px; border-left: 3px solid #E69F00; white-space: pre-wrap; }
#kg-panel .kg-cite { color: #555; margin: 0 0 6px 11px; font-size: 12px; }
.kg-hint, #kg-status { color: #777; }
div.vis-tooltip { white-space: pre-wrap; max-width: 340px; font: 12.5px system-ui, sans-serif; }
"""

_APP_JS = r"""
"use strict";
/* The page's graph: the global `network` is the vis-network instance, as in pyvis pages. */
var network = null;
(function () {
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  window.kgData = DATA;
  window.kgFirstDraw = null;
  var container = document.getElementById("mynetwork");
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var byId = {}, adjacent = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; adjacent[n.id] = []; });
  DATA.edges.forEach(function (e) { adjacent[e.from].push(e); if (e.to !== e.from) adjacent[e.to].push(e); });
  var hidden = {};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.appendChild(document.createTextNode(String(text)));
    if (cls) e.className = cls;
    return e;
  }
  function isHttp(u) { return typeof u === "string" && /^https?:\/\//i.test(u); }
  function link(url, text) {
    if (!isHttp(url)) return el("span", text);
    var a = el("a", text); a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }

  network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  network.once("afterDrawing", function () {
    window.kgFirstDraw = performance.now();
    document.body.setAttribute("data-drawn", "true");
  });
  if (DATA.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      window.kgStabilized = performance.now();
    });
  } else {
    window.kgStabilized = 0;
  }

  /* ------------------------------------------------------------ timeline axis, lanes, bars */
  if (DATA.axis) {
    var ax = DATA.axis, o = ax.origin.split("-").map(Number);
    var origin = Date.UTC(o[0], o[1] - 1, o[2]), ppd = ax.pxPerDay;
    var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    var spanIds = DATA.nodes.filter(function (n) { return n.kgSpan; }).map(function (n) { return n.id; });
    var xOf = function (y, m) { return (Date.UTC(y, m, 1) - origin) / 864e5 * ppd; };
    var focusIds = DATA.nodes.filter(function (n) {
      return n.x >= ax.focus[0] && n.x <= ax.focus[1];
    }).map(function (n) { return n.id; });
    if (focusIds.length && focusIds.length < DATA.nodes.length) {
      network.once("afterDrawing", function () { network.fit({nodes: focusIds, animation: false}); });
    }
    var HEADER = 40;  /* px: the sticky band of year and month labels at the top */
    function view() {
      var w = container.clientWidth, h = container.clientHeight, s = network.getScale();
      var tl = network.DOMtoCanvas({x: 0, y: 0}), br = network.DOMtoCanvas({x: w, y: h});
      var y0 = new Date(origin + tl.x / ppd * 864e5).getUTCFullYear() - 1;
      var y1 = new Date(origin + br.x / ppd * 864e5).getUTCFullYear() + 1;
      if (y1 - y0 > 400) { y0 = y1 - 400; }
      var monthPx = 30.4 * ppd * s;
      return {s: s, tl: tl, br: br, y0: y0, y1: y1, monthPx: monthPx, yearPx: 365.25 * ppd * s};
    }
    network.on("beforeDrawing", function (ctx) {  /* lanes, gridlines, bars over date bounds */
      var v = view(), s = v.s, tl = v.tl, br = v.br;
      ctx.save();
      ax.lanes.forEach(function (lane, i) {
        ctx.fillStyle = lane.band ? "#f3f6fa" : (i % 2 ? "#f7f7f7" : "#ffffff");
        ctx.fillRect(tl.x, lane.y0, br.x - tl.x, lane.y1 - lane.y0);
      });
      for (var y = v.y0; y <= v.y1; y++) {
        if (v.monthPx > 22) {
          ctx.strokeStyle = "#e4e4e4"; ctx.lineWidth = 1 / s;
          for (var m = 1; m < 12; m++) {
            var xm = xOf(y, m);
            ctx.beginPath(); ctx.moveTo(xm, tl.y); ctx.lineTo(xm, br.y); ctx.stroke();
          }
        }
        var xy = xOf(y, 0);
        ctx.strokeStyle = "#9a9a9a"; ctx.lineWidth = 1.2 / s;
        ctx.beginPath(); ctx.moveTo(xy, tl.y); ctx.lineTo(xy, br.y); ctx.stroke();
      }
      var pos = network.getPositions(spanIds);
      spanIds.forEach(function (id) {
        if (hidden[id]) return;
        var n = byId[id], p = pos[id], x0 = n.kgSpan[0], x1 = n.kgSpan[1];
        ctx.fillStyle = n.kgUncertain ? "rgba(230,159,0,0.22)" : "rgba(230,159,0,0.55)";
        ctx.fillRect(x0, p.y - 5, x1 - x0, 10);
        if (n.kgUncertain) {
          ctx.setLineDash([4 / s, 3 / s]); ctx.strokeStyle = "#b07800"; ctx.lineWidth = 1 / s;
          ctx.strokeRect(x0, p.y - 5, x1 - x0, 10); ctx.setLineDash([]);
        }
      });
      ctx.restore();
    });
    network.on("afterDrawing", function (ctx) {  /* the time axis and the lane names, kept in view */
      var v = view(), s = v.s, tl = v.tl, br = v.br, top = tl.y + HEADER / s;
      ctx.save();
      ctx.textBaseline = "top";
      ctx.font = "600 " + (12 / s) + "px system-ui, sans-serif";
      ctx.lineWidth = 3 / s; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.fillStyle = "#37474f";
      ax.lanes.forEach(function (lane) {
        var y = Math.max(lane.y0 + 6 / s, top + 4 / s);
        if (y + 14 / s > lane.y1 || y > br.y) return;
        ctx.strokeText(lane.label, tl.x + 6 / s, y);
        ctx.fillText(lane.label, tl.x + 6 / s, y);
      });
      ctx.fillStyle = "rgba(255,255,255,0.92)";
      ctx.fillRect(tl.x, tl.y, br.x - tl.x, HEADER / s);
      ctx.strokeStyle = "#cccccc"; ctx.lineWidth = 1 / s;
      ctx.beginPath(); ctx.moveTo(tl.x, top); ctx.lineTo(br.x, top); ctx.stroke();
      var months = v.monthPx > 34, labelled = [];
      for (var y = v.y0; y <= v.y1; y++) {
        var xy = xOf(y, 0);
        if ((v.yearPx > 30 || y % 5 === 0) && xy >= tl.x) {
          ctx.fillStyle = "#333"; ctx.font = "bold " + (13 / s) + "px system-ui, sans-serif";
          ctx.fillText(String(y), xy + 4 / s, tl.y + 5 / s);
          labelled.push(xy);
        }
        if (!months) continue;
        ctx.fillStyle = "#888"; ctx.font = (11 / s) + "px system-ui, sans-serif";
        for (var m = 0; m < 12; m++) ctx.fillText(MONTHS[m], xOf(y, m) + 3 / s, tl.y + 23 / s);
      }
      var yl = new Date(origin + tl.x / ppd * 864e5).getUTCFullYear();  /* the year at the left edge */
      if (!labelled.some(function (x) { return x <= tl.x + 60 / s; })) {
        ctx.fillStyle = "#333"; ctx.font = "bold " + (13 / s) + "px system-ui, sans-serif";
        ctx.fillText(String(yl), tl.x + 4 / s, tl.y + 5 / s);
      }
      ctx.restore();
    });
  }

  /* ------------------------------------------------------------ legend and filters */
  var classBox = {}, typeBox = {};
  var legend = document.getElementById("kg-legend");
  DATA.categories.forEach(function (c) {
    var label = el("label"), box = el("input"), glyph = el("span", c.glyph, "kg-glyph");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-class", c.key);
    glyph.style.color = c.color;
    label.appendChild(box); label.appendChild(glyph); label.appendChild(el("span", c.label));
    label.appendChild(el("span", DATA.counts[c.key], "kg-count"));
    box.addEventListener("change", applyFilters);
    classBox[c.key] = box; legend.appendChild(label);
  });
  var types = document.getElementById("kg-types");
  DATA.eventTypes.forEach(function (t) {
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-type", t.label);
    label.appendChild(box); label.appendChild(el("span", t.label)); label.appendChild(el("span", t.count, "kg-count"));
    box.addEventListener("change", applyFilters);
    typeBox[t.label] = box; types.appendChild(label);
  });
  if (!DATA.eventTypes.length) document.getElementById("kg-types-section").hidden = true;
  var from = document.getElementById("kg-from"), to = document.getElementById("kg-to");
  if (DATA.dateRange) {
    from.min = to.min = DATA.dateRange[0]; from.max = to.max = DATA.dateRange[1];
    from.value = DATA.dateRange[0]; to.value = DATA.dateRange[1];
    from.addEventListener("change", applyFilters); to.addEventListener("change", applyFilters);
  } else {
    document.getElementById("kg-dates-section").hidden = true;
  }
  document.getElementById("kg-reset").addEventListener("click", function () {
    Object.keys(classBox).forEach(function (k) { classBox[k].checked = true; });
    Object.keys(typeBox).forEach(function (k) { typeBox[k].checked = true; });
    if (DATA.dateRange) { from.value = DATA.dateRange[0]; to.value = DATA.dateRange[1]; }
    applyFilters();
  });

  function applyFilters() {
    var lo = from.value || "", hi = to.value || "";
    var eventFilter = DATA.eventTypes.some(function (t) { return !typeBox[t.label].checked; }) ||
      (DATA.dateRange && (lo > DATA.dateRange[0] || (hi && hi < DATA.dateRange[1])));
    var show = {};
    DATA.nodes.forEach(function (n) {
      if (n.kgCat !== "event" || !classBox[n.kgCat].checked) return;
      var t = n.kgType || "no type", b = n.kgLb || n.kgEb || "";
      show[n.id] = typeBox[t].checked && (!lo || !b || b >= lo) && (!hi || !n.kgEb || n.kgEb <= hi);
    });
    var touchesEvent = function (id) {
      return adjacent[id].some(function (e) {
        return byId[e.from === id ? e.to : e.from].kgCat === "event";
      });
    };
    var near = function (id, ok) {
      return adjacent[id].some(function (e) { var m = e.from === id ? e.to : e.from; return ok(m); });
    };
    var pass2 = {};
    DATA.nodes.forEach(function (n) {
      if (n.kgCat === "event") return;
      if (!classBox[n.kgCat].checked) { show[n.id] = false; return; }
      if (!eventFilter) { show[n.id] = true; return; }
      if (touchesEvent(n.id)) {
        show[n.id] = near(n.id, function (m) { return show[m] === true; });
        pass2[n.id] = true;
      }
    });
    DATA.nodes.forEach(function (n) {
      if (show[n.id] !== undefined) return;
      show[n.id] = near(n.id, function (m) { return pass2[m] && show[m]; });
    });
    var nodeChanges = [], edgeChanges = [], shown = 0, shownEdges = 0;
    DATA.nodes.forEach(function (n) {
      var h = !show[n.id];
      if (!h) shown++;
      if (!!hidden[n.id] !== h) { nodeChanges.push({id: n.id, hidden: h}); }
      hidden[n.id] = h;
    });
    DATA.edges.forEach(function (e) {
      var h = !!(hidden[e.from] || hidden[e.to]);
      if (!h) shownEdges++;
      if (!!e.kgHidden !== h) { edgeChanges.push({id: e.id, hidden: h}); e.kgHidden = h; }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    status(shown, shownEdges);
  }
  function status(shown, shownEdges) {
    document.getElementById("kg-status").textContent = "Showing " + shown + " of " + DATA.nodes.length +
      " nodes and " + shownEdges + " of " + DATA.edges.length + " edges.";
  }
  status(DATA.nodes.length, DATA.edges.length);
  window.kgApplyFilters = applyFilters;

  /* ------------------------------------------------------------ details on click */
  var panel = document.getElementById("kg-panel");
  var CAT = {};
  DATA.categories.forEach(function (c) { CAT[c.key] = c.label; });
  function row(dl, name, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", name));
    var dd = el("dd"); if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function clear() { while (panel.firstChild) panel.removeChild(panel.firstChild); }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 0.8), animation: {duration: 300}});
    showNode(id);
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    clear();
    panel.appendChild(el("h2", n.kgLabel || n.label));
    var dl = el("dl");
    var more = n.kgCls && n.kgCls.toLowerCase() !== n.kgCat ? " (" + n.kgCls + ")" : "";
    row(dl, "class", (CAT[n.kgCat] || n.kgCat) + more);
    row(dl, "type", n.kgType);
    row(dl, "date", n.kgEdtf);
    if (n.kgEb) {
      var b = n.kgEb === n.kgLb || !n.kgLb ? n.kgEb : n.kgEb + " \u2026 " + n.kgLb;
      var e = n.kgEe && !(n.kgEe === n.kgEb && n.kgLe === n.kgLb) ?
        (n.kgEe === n.kgLe || !n.kgLe ? n.kgEe : n.kgEe + " \u2026 " + n.kgLe) : "";
      row(dl, "begins", b); row(dl, "ends", e);
    }
    if (n.kgUrl) row(dl, "link", link(n.kgUrl, n.kgUrl));
    row(dl, "id", n.id);
    panel.appendChild(dl);
    var links = adjacent[id].slice().sort(function (a, b) {
      var x = byId[a.from === id ? a.to : a.from], y = byId[b.from === id ? b.to : b.from];
      return (x.kgEb || "").localeCompare(y.kgEb || "") || x.label.localeCompare(y.label);
    });
    if (links.length) {
      panel.appendChild(el("h3", n.kgCat === "event" ? "Actors and relations" : "Connections"));
      var ul = el("ul");
      links.forEach(function (e) {
        var other = e.from === id ? e.to : e.from, m = byId[other];
        var li = el("li"), btn = el("button", m.label);
        btn.type = "button";
        btn.addEventListener("click", function () { focusNode(other); });
        var what = e.label || "linked";
        li.appendChild(el("span", e.from === id ? what + " \u2192 " : "\u2190 " + what + " "));
        li.appendChild(btn);
        if (m.kgEdtf) li.appendChild(el("span", " (" + m.kgEdtf + ")"));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    var qs = DATA.quotes[id] || [];
    if (qs.length) {
      panel.appendChild(el("h3", "Quotes"));
      qs.forEach(function (q) {
        panel.appendChild(el("blockquote", q[0]));
        var cite = el("p", "\u2014 ", "kg-cite");
        cite.appendChild(link(q[2], q[1]));
        if (q[3]) cite.appendChild(el("span", " [" + q[3] + "]"));
        panel.appendChild(cite);
      });
    }
  }
  function showEdge(eid) {
    var e = edges.get(eid);
    if (!e) return;
    clear();
    panel.appendChild(el("h2", e.label || "link"));
    var dl = el("dl");
    var f = el("button", byId[e.from].label), t = el("button", byId[e.to].label);
    f.type = t.type = "button";
    f.addEventListener("click", function () { focusNode(e.from); });
    t.addEventListener("click", function () { focusNode(e.to); });
    row(dl, "from", f); row(dl, "to", t);
    panel.appendChild(dl);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  window.kgShowNode = showNode;
  if (!DATA.nodes.length) { clear(); panel.appendChild(el("p", "Nothing to draw: no node matches the selection.")); }
})();
"""


# ---------------------------------------------------------------------------------- the API


def view(
    graph: KnowledgeGraph,
    *,
    layout: str = "network",
    ego: str | None = None,
    depth: int = 1,
    start: Any = None,
    end: Any = None,
    types: list[str] | tuple[str, ...] | str | None = None,
    query: str | os.PathLike | None = None,
    include_sources: bool = False,
    lanes: str = "type",
    node_limit: int | None = None,
    title: str | None = None,
) -> View:
    """Draw the graph, or part of it, as a self-contained interactive page.

    ``layout`` is ``"network"`` or ``"timeline"`` (events left to right by date, to scale, in
    lanes by event ``type`` or by ``actor``). The selection is that of :func:`select`. Raises
    :class:`~kg.errors.UsageError` when it holds more than ``node_limit`` nodes (default
    :data:`DEFAULT_NODE_LIMIT`), since such a page would not be usable.
    """
    if layout not in LAYOUTS:
        raise UsageError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    if lanes not in LANES:
        raise UsageError(f"unknown lanes {lanes!r}: use one of {', '.join(LANES)}")
    limit = DEFAULT_NODE_LIMIT if node_limit is None else int(node_limit)
    G, words = select(
        graph,
        ego=ego,
        depth=depth,
        start=start,
        end=end,
        types=types,
        query=query,
        include_sources=include_sources,
    )
    if G.number_of_nodes() > limit:
        raise UsageError(
            f"the view would draw {G.number_of_nodes()} nodes, more than the limit of {limit} that a browser "
            "draws usably: narrow it with --ego NAME (and --depth), --from/--to or --type, "
            "or raise --node-limit"
        )
    ids = {str(n) for n in G.nodes}
    quotes, urls = evidence(graph, ids)
    return render(
        G,
        layout=layout,
        lanes=lanes,
        title=title,
        words=words,
        quotes=quotes,
        urls=urls,
        fingerprint=fingerprint(graph),
    )


def network_html(graph: KnowledgeGraph, **options: Any) -> str:
    """The HTML page of :func:`view` (same options)."""
    return view(graph, **options).html


def show(graph: KnowledgeGraph | None = None, *, height: int = 680, **options: Any) -> View:
    """A view to display inline in Jupyter (``_repr_html_``: an iframe that runs the page).

    >>> import kg.viz
    >>> kg.viz.show(layout="timeline", types=["open letter"])  # doctest: +SKIP
    """
    if graph is None:
        import kg

        graph = kg.load()
    result = view(graph, **options)
    result.height = height
    return result
