"""Interactive views of the graph in the browser: one page holding a network and a timeline.

The network is a :class:`pyvis.network.Network` (:func:`to_pyvis`), so pyvis users can change
it as they would any other; it renders through the project's own page
(``kg/viz/templates/page.html``, ``kg/viz/static/``), which stands alone and works offline: the
pinned vis-network and vis-timeline builds from npm are inlined, nothing is written beside it,
and a Content-Security-Policy forbids every request. Every string from the data is shown as
text. The page's globals ``network`` (the vis-network instance) and ``timeline`` (the
vis-timeline instance) are there for scripting.

Modules: :mod:`~kg.viz.select` (what is drawn), :mod:`~kg.viz.layout` (positions),
:mod:`~kg.viz.model` (vis nodes, edges, clusters, timeline items), :mod:`~kg.viz.evidence`
(quotes of the drawn nodes), :mod:`~kg.viz.palette` (one set of colours for every output),
:mod:`~kg.viz.page` and :mod:`~kg.viz.assets` (the HTML), :mod:`~kg.viz.pyvis_net` (the pyvis
network), :mod:`~kg.viz.plot` (the static figure of ``kg timeline --plot``).

>>> import kg, kg.viz
>>> v = kg.viz.view(kg.load(), ego="Amnesty International")
>>> v.nodes > 1 and v.edges > 0 and "<html" in v.html
True
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from kg.backends.selection import collector_paused
from kg.errors import UsageError
from kg.viz.evidence import data_name, evidence, fingerprint
from kg.viz.layout import force_layout
from kg.viz.map import map_view
from kg.viz.page import View, json_for_html
from kg.viz.palette import CATEGORIES, Palette
from kg.viz.select import DEFAULT_NODE_LIMIT, category, select, select_within

if TYPE_CHECKING:
    from kg.backends import Backend
    from kg.viz.model import Model
    from kg.viz.pyvis_net import KGNetwork

LAYOUTS = ("network", "timeline")
LANES = ("type", "actor")
_json_for_html = json_for_html  # the name the tests and earlier releases used

__all__ = [
    "CATEGORIES",
    "DEFAULT_NODE_LIMIT",
    "LANES",
    "LAYOUTS",
    "Palette",
    "View",
    "category",
    "evidence",
    "fingerprint",
    "force_layout",
    "map_view",
    "network_html",
    "network_of",
    "render",
    "select",
    "show",
    "to_pyvis",
    "view",
]


def _check(layout: str, lanes: str) -> None:
    if layout not in LAYOUTS:
        raise UsageError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    if lanes not in LANES:
        raise UsageError(f"unknown lanes {lanes!r}: use one of {', '.join(LANES)}")


def network_of(
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
    palette: Palette | None = None,
    data: str = "hk-timeline-kg",
    model: Model | None = None,
) -> KGNetwork:
    """The pyvis network of a projected graph (a ``networkx`` graph as :func:`select` gives);
    ``data`` names the data in the title and caption (:func:`~kg.viz.evidence.data_name`);
    ``model`` is G's page model when already built (:func:`kg.viz.model.build`)."""
    from kg.about import __version__
    from kg.viz.model import build
    from kg.viz.pyvis_net import KGNetwork

    _check(layout, lanes)
    version = version or __version__
    urls = urls or {}
    model = model or build(G, lanes=lanes, palette=palette)
    for node in model.nodes:
        if node["id"] in urls:
            node["kgUrl"] = urls[node["id"]]
    words = list(words or [])
    if model.data["items"]:
        words.append(f"timeline lanes by {'event type' if lanes == 'type' else 'actor'}")
    title = title or f"{data} timeline \u2014 {layout}"
    caption = (
        f"Network of {len(model.nodes)} nodes and {len(model.edges)} edges, timeline of {len(model.data['items'])} "
        "events"
        + (" (" + "; ".join(words) + ")" if words else "")
        + f". Data: {data}"
        + (f", fingerprint {fingerprint}" if fingerprint else "")
        + f"; drawn with hk-timeline-kg {version}."
    )
    ids = {n["id"] for n in model.nodes}
    return KGNetwork(
        model,
        title=title,
        caption=caption,
        layout=layout,
        version=version,
        quotes={n: q for n, q in sorted((quotes or {}).items()) if n in ids},
        fingerprint=fingerprint,
    )


def _as_view(net: KGNetwork) -> View:
    return View(
        html=net.generate_html(),
        nodes=len(net.nodes),
        edges=len(net.edges),
        layout=net.layout,
        title=net.title,
        caption=net.caption,
        fingerprint=net.kg_data.get("fingerprint", ""),
        extra={"items": len(net.kg_data["items"]), "clusters": len(net.kg_data["clusters"])},
    )


def render(G: Any, **options: Any) -> View:
    """The page of a projected graph; the options of :func:`network_of`."""
    return _as_view(network_of(G, **options))


@collector_paused()
def to_pyvis(
    graph: Backend,
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
) -> KGNetwork:
    """The view as a :class:`pyvis.network.Network` to customise, then ``write_html(path)``.

    The selection is that of :func:`select` (as ``kg viz``); ``layout`` is the view the page
    opens on (``"network"`` or ``"timeline"``, both are on the page), ``lanes`` the timeline's
    lanes (event ``type`` or ``actor``). Raises :class:`~kg.errors.UsageError` above
    ``node_limit`` nodes (default :data:`DEFAULT_NODE_LIMIT`).

    >>> import kg, kg.viz
    >>> net = kg.viz.to_pyvis(kg.load(), ego="Li Zhanshu")
    >>> net.toggle_physics(False); net.show_buttons(filter_=["physics"])
    >>> len(net.get_nodes()) == len(net.nodes) > 1
    True
    """
    _check(layout, lanes)
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
    from kg.viz.model import build

    people = {str(n) for n, kind in G.nodes(data="kind") if kind == "person"}
    palette = Palette.of(graph)
    # The quotes are read (by Oxigraph, without the GIL) while the page model is laid out.
    with ThreadPoolExecutor(1) as pool:
        found = pool.submit(evidence, graph, {str(n) for n in G.nodes}, people)
        model = build(G, lanes=lanes, palette=palette)
        quotes, urls = found.result()
    return network_of(
        G,
        layout=layout,
        lanes=lanes,
        title=title,
        words=words,
        quotes=quotes,
        urls=urls,
        fingerprint=fingerprint(graph),
        palette=palette,
        data=data_name(graph),
        model=model,
    )


@collector_paused()
def view(graph: Backend, **options: Any) -> View:
    """The self-contained page of :func:`to_pyvis` (same options), rendered; ``layout="map"``
    is the map of :func:`kg.viz.map.map_view` (the same selection; no lanes)."""
    if options.get("layout") == "map":
        options.pop("layout")
        options.pop("lanes", None)
        return map_view(graph, **options)
    return _as_view(to_pyvis(graph, **options))


def network_html(graph: Backend, **options: Any) -> str:
    """The HTML page of :func:`view` (same options)."""
    return view(graph, **options).html


def show(graph: Backend | None = None, *, height: int = 680, **options: Any) -> View:
    """A view to display inline in Jupyter (``_repr_html_``: an iframe that runs the page).

    >>> import kg.viz
    >>> kg.viz.show(layout="timeline", types=["open letter"])  # doctest: +SKIP
    """
    if graph is None:
        from kg.curate.bundle import load

        graph = load()
    result = view(graph, **options)
    result.height = height
    return result
