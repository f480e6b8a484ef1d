"""The files a page inlines, read from the package data: the pinned vis-network and
vis-timeline builds (``static/vendor/``, checked against ``vendor.json``), the page's own
JavaScript (``static/app/``, joined in the order of ``APP``), its CSS and its HTML template."""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources

from kg.errors import KGError

#: The page's scripts, in the order they are joined into its one inline script.
APP = ("util.js", "state.js", "network.js", "timeline.js", "filters.js", "panel.js", "main.js")
VENDOR = ("vis-network", "vis-timeline")


def _read(*parts: str) -> str:
    path = resources.files("kg.viz")
    for part in parts:  # one at a time: Python 3.10's joinpath takes one
        path = path.joinpath(part)
    return path.read_text(encoding="utf-8")


@functools.cache
def manifest() -> dict[str, dict[str, object]]:
    """``vendor.json``: each library's npm version, file, SHA-256 and licence files."""
    return json.loads(_read("static", "vendor", "vendor.json"))


@functools.cache
def vendor(name: str) -> str:
    """The JavaScript of a pinned library, refused unless its SHA-256 is the manifest's."""
    entry = manifest()[name]
    text = _read("static", "vendor", str(entry["file"]))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != entry["sha256"]:
        raise KGError(f"kg/viz/static/vendor/{entry['file']}: SHA-256 {digest} is not the pinned {entry['sha256']}")
    if "</script" in text.lower():  # would end the inline block early
        raise KGError(f"kg/viz/static/vendor/{entry['file']}: cannot be inlined safely")
    return text


@functools.cache
def app_js() -> str:
    """The page's own script: the files of ``static/app/`` in the order of :data:`APP`."""
    return "\n".join(_read("static", "app", name) for name in APP)


@functools.cache
def page_css() -> str:
    return _read("static", "page.css")


@functools.cache
def template() -> str:
    return _read("templates", "page.html")
