"""The views as real pyvis networks: :class:`KGNetwork` is a :class:`pyvis.network.Network`
(``show_buttons()``, ``toggle_physics()``, ``options``, ``add_node()``, ``write_html()`` and
notebook display work as in pyvis) that renders through the project's own page instead of
pyvis's template: offline, under a CSP, every string as text, with the timeline beside it.

pyvis's template pulls Bootstrap from a CDN even with ``cdn_resources="in_line"`` and inserts
titles containing "href" as raw HTML; its ``add_node``/``add_edge`` check membership in lists
(quadratic). So the network is filled in one pass (``nodes``, ``edges``, ``node_ids``,
``node_map`` set directly) and :meth:`KGNetwork.generate_html` renders :mod:`kg.viz.page`.
"""

from __future__ import annotations

import json
import os
import webbrowser
from pathlib import Path
from typing import Any

from pyvis.network import Network

from kg.viz.model import Model
from kg.viz.page import render_page


class KGNetwork(Network):
    """A pyvis network of a view; ``kg_data`` holds what the page adds to vis-network's data
    (clusters, timeline items and lanes, quotes, legend, caption)."""

    def __init__(self, model: Model, *, title: str, caption: str, layout: str, version: str, **extra: Any):
        super().__init__(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
        self.nodes = model.nodes
        self.edges = model.edges
        self.node_ids = [n["id"] for n in model.nodes]
        self.node_map = {n["id"]: n for n in model.nodes}
        opts = model.options
        self.options.physics.enabled = opts["physics"]["enabled"]
        self.options.edges.smooth.enabled = bool(opts["edges"]["smooth"])
        self.options.edges.color.__dict__.update(opts["edges"]["color"])
        for key in ("arrows", "font", "scaling", "width"):
            setattr(self.options.edges, key, opts["edges"][key])
        self.options.interaction.__dict__.update(opts["interaction"])
        self.options.nodes = opts["nodes"]
        self.options.groups = opts["groups"]
        self.options.layout = opts["layout"]
        self.title, self.caption, self.layout = title, caption, layout
        self.version = version
        #: a link back to where the page belongs (the site's record: ``../index.html``), or None
        self.home: str | None = None
        self.kg_data: dict[str, Any] = dict(model.data) | extra

    def vis_options(self) -> dict[str, Any]:
        """The vis-network options as JSON data (pyvis keeps them as objects or a dict)."""
        if isinstance(self.options, dict):
            return dict(self.options)
        return json.loads(self.options.to_json())

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        """The page (pyvis's signature; ``name``, ``local`` and ``notebook`` change nothing: the
        page is the same self-contained file everywhere)."""
        options = self.vis_options()
        data = dict(self.kg_data)
        data.update(
            title=self.title,
            caption=self.caption,
            layout=self.layout,
            version=self.version,
            nodes=self.nodes,
            edges=self.edges,
            options=options,
            physics=bool(options.get("physics", {}).get("enabled")),
        )
        self.html = render_page(
            data, title=self.title, caption=self.caption, version=self.version, layout=self.layout, home=self.home
        )
        return self.html

    def write_html(
        self, name: str | os.PathLike, local: bool = True, notebook: bool = False, open_browser: bool = False
    ) -> None:
        """Write the page atomically, as UTF-8, and nothing beside it (no ``lib/`` folder)."""
        from kg import atomic

        self.html = self.generate_html(str(name), notebook=notebook)
        atomic.write_bytes(name, self.html.encode("utf-8"))
        if open_browser:
            webbrowser.open(Path(name).resolve().as_uri())
