"""`kg viz --layout map`: the selected events on a world map that works offline.

The world is Natural Earth's 1:50m countries from npm ``world-atlas``, decoded in the page by
npm ``topojson-client`` (both pinned, with their licences, in ``static/map/``) and projected by
the page's own script into SVG: no tile server, no request. Each event is drawn at the
coordinates of its place (``sem:hasPlace``; the place's ``schema:geo`` else its
``wgs84:lat``/``long``, else those of the place it is ``schema:containedInPlace``), events
sharing a place around it in a sunflower (places that would overlap at the zoom share one until
zoomed in), coloured by event type from :mod:`kg.viz.palette`.
The details panel is the other views' (``static/app/panel.js``), so a click shows the same type,
EDTF date, actors and quotes. Selection is :func:`kg.viz.select.select` and coordinates come
from SPARQL through the graph's interface, so a store and an endpoint draw the same map.

>>> import kg, kg.viz.map
>>> v = kg.viz.map.map_view(kg.load())
>>> v.extra["markers"] + v.extra["unplaced"] == v.extra["events"] and 'id="kg-world"' in v.html
True
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.namespaces import SCHEMA, SEM, WGS84
from kg.viz.page import View, csp_hash, json_for_html

if TYPE_CHECKING:
    from kg.backends import Backend

_BATCH = 2000
#: The events' places, then (once per place: a week on a million events has 4,000 events at
#: 500 places) their own coordinates (schema.org, W3C Basic Geo) and those of the places they
#: are contained in; :func:`coordinates` picks.
_PLACES = f"SELECT ?event ?place WHERE {{ VALUES ?event {{ %s }} ?event <{SEM}hasPlace> ?place }}"
_COORDS = f"""
SELECT ?place ?glat ?glon ?wlat ?wlon ?via ?vlat ?vlon WHERE {{
  VALUES ?place {{ %s }}
  OPTIONAL {{ ?place <{SCHEMA}geo> ?g . ?g <{SCHEMA}latitude> ?glat ; <{SCHEMA}longitude> ?glon }}
  OPTIONAL {{ ?place <{WGS84}lat> ?wlat ; <{WGS84}long> ?wlon }}
  OPTIONAL {{
    ?place <{SCHEMA}containedInPlace> ?via .
    {{ ?via <{SCHEMA}geo> ?vg . ?vg <{SCHEMA}latitude> ?vlat ; <{SCHEMA}longitude> ?vlon }}
    UNION {{ ?via <{WGS84}lat> ?vlat ; <{WGS84}long> ?vlon }}
  }}
}}
"""


def _read(name: str) -> str:
    from kg.viz import assets

    return assets._read("static", "map", name)


@functools.cache
def manifest() -> dict[str, dict[str, Any]]:
    """``static/map/map.json``: world-atlas and topojson-client, their versions, hashes and licences."""
    return json.loads(_read("map.json"))


@functools.cache
def package_file(name: str) -> str:
    """A pinned file of ``static/map/``, refused unless its SHA-256 is the manifest's."""
    entry = manifest()[name]
    text = _read(str(entry["file"]))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != entry["sha256"]:
        raise KGError(f"kg/viz/static/map/{entry['file']}: SHA-256 {digest} is not the pinned {entry['sha256']}")
    return text


@functools.cache
def world_json() -> str:
    """The world's TopoJSON, escaped for a ``<script type="application/json">`` block."""
    return json_for_html(json.loads(package_file("world-atlas")))


def _degrees(lat: Any, lon: Any) -> tuple[float, float] | None:
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    return (la, lo) if -90 <= la <= 90 and -180 <= lo <= 180 else None


def coordinates(graph: Backend, events: list[str]) -> dict[str, dict[str, Any]]:
    """``{event: {"place", "lat", "lon", "via"}}`` for the events with a place that has WGS 84
    coordinates (``via`` empty) or is contained in one that has (``via`` that place). Of several,
    a place's own coordinates come first, then the place IRI, so the choice is deterministic."""

    def rows(query: str, iris: set[str]) -> list[dict[str, Any]]:
        ordered = sorted(i for i in iris if not i.startswith("_:"))
        return [
            r
            for k in range(0, len(ordered), _BATCH)
            for r in graph.select(query % " ".join(f"<{i}>" for i in ordered[k : k + _BATCH]))
        ]

    places: dict[str, list[str]] = {}
    for r in rows(_PLACES, set(events)):
        places.setdefault(str(r["place"]), []).append(str(r["event"]))
    found: dict[str, tuple[tuple[int, str, str], dict[str, Any]]] = {}
    for r in rows(_COORDS, set(places)):
        place = str(r["place"])
        own = _degrees(r.get("glat"), r.get("glon")) or _degrees(r.get("wlat"), r.get("wlon"))
        outer = _degrees(r.get("vlat"), r.get("vlon")) if r.get("via") else None
        if own:
            rank, point, via = (0, place, ""), own, ""
        elif outer:
            rank, point, via = (1, place, str(r["via"])), outer, str(r["via"])
        else:
            continue
        for event in places[place]:
            if event not in found or rank < found[event][0]:
                found[event] = (rank, {"place": place, "lat": point[0], "lon": point[1], "via": via})
    return {e: found[e][1] for e in sorted(found)}


def map_view(
    graph: Backend,
    *,
    ego: str | None = None,
    depth: int = 1,
    start: Any = None,
    end: Any = None,
    types: list[str] | tuple[str, ...] | str | None = None,
    query: Any = None,
    include_sources: bool = False,
    node_limit: int | None = None,
    title: str | None = None,
) -> View:
    """The map page of the selection of :func:`kg.viz.select.select` (the options of ``kg viz``)."""
    from kg.about import __version__
    from kg.viz.evidence import data_name, evidence, fingerprint
    from kg.viz.model import build
    from kg.viz.palette import Palette
    from kg.viz.select import select_within

    G, words = select_within(
        graph,
        ego=ego,
        depth=depth,
        start=start,
        end=end,
        types=types,
        query=query,
        include_sources=include_sources,
        node_limit=node_limit,
    )
    model = build(G, palette=Palette.of(graph))
    events = [n for n in model.nodes if n["kgCat"] == "event"]
    where = coordinates(graph, [n["id"] for n in events])
    places = sorted({w["place"] for w in where.values()} | {w["via"] for w in where.values() if w["via"]})
    names = graph.labels(places) if places else {}
    markers = []
    for n in events:
        w = where.get(n["id"])
        if w:
            colour = n.get("color", {}).get("background", "#8C8C8C")
            markers.append(
                {"id": n["id"], "place": w["place"], "via": w["via"], "lat": w["lat"], "lon": w["lon"], "color": colour}
            )
    people = {str(n) for n, kind in G.nodes(data="kind") if kind == "person"}  # as the other views
    quotes, urls = evidence(graph, {n["id"] for n in model.nodes}, people)
    for node in model.nodes:
        if node["id"] in urls:
            node["kgUrl"] = urls[node["id"]]
    unplaced = len(events) - len(markers)
    at = {m["place"] for m in markers}
    key = fingerprint(graph)
    caption = (
        f"Map of {len(markers)} of {len(events)} events at {len(at)} place{'s' if len(at) != 1 else ''}; "
        f"{unplaced} event{'s' if unplaced != 1 else ''} without coordinates "
        f"{'are' if unplaced != 1 else 'is'} listed beside the map"
        + (" (" + "; ".join(words) + ")" if words else "")
        + ". World: Natural Earth 1:50m (world-atlas). "
        + f"Data: {data_name(graph)}"
        + (f", fingerprint {key}" if key else "")
        + f"; drawn with hk-timeline-kg {__version__}."
    )
    title = title or f"{data_name(graph)} timeline \u2014 map"
    data = {
        "nodes": model.nodes,
        "edges": model.edges,
        "categories": model.data["categories"],
        "eventTypes": model.data["eventTypes"],
        "quotes": {n: q for n, q in sorted(quotes.items()) if n in G},
        "markers": markers,
        "places": {p: names.get(p, p.rsplit("/", 1)[-1]) for p in places},
        "fingerprint": key,
    }
    html = render_map(data, title=title, caption=caption, version=__version__)
    return View(
        html=html,
        nodes=len(model.nodes),
        edges=len(model.edges),
        layout="map",
        title=title,
        caption=caption,
        fingerprint=key,
        extra={"markers": len(markers), "places": len(at), "unplaced": unplaced, "events": len(events)},
    )


def render_map(data: dict[str, Any], *, title: str, caption: str, version: str) -> str:
    """The page: the template ``templates/map.html`` with the data and world as JSON blocks and
    every script inline, under a Content-Security-Policy that forbids every request."""
    import jinja2
    from markupsafe import Markup

    from kg.viz import assets

    app = "\n".join(assets._read("static", "app", name) for name in ("util.js", "state.js", "panel.js"))
    scripts = [package_file("topojson-client"), app, _read("map.js")]
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(csp_hash(s) for s in scripts)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
        "form-action 'none'; base-uri 'none'"
    )
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    template = assets._read("templates", "map.html")
    return env.from_string(template).render(
        csp=csp,
        title=title,
        caption=caption,
        version=version,
        css=Markup(assets.page_css() + _read("map.css")),
        data=Markup(json_for_html(data)),
        world=Markup(world_json()),
        scripts=[Markup(s) for s in scripts],
    )
