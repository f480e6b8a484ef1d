"""The HTML of a view: the project's own template (``templates/page.html``) with the data as a
JSON block and every script inline, under a Content-Security-Policy that forbids any request.

Every string from the data reaches the page as text: the template escapes what it prints, the
data travels as JSON with ``<``, ``>`` and ``&`` escaped, and the page's script inserts it with
``textContent`` (vis-timeline items through a template that returns text nodes)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.viz import assets


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
    positioned: bool = True
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


def json_for_html(data: Any) -> str:
    """JSON that cannot end its ``<script>`` block nor be read as markup: ``<``, ``>`` and
    ``&`` (so ``</script>`` and ``<!--`` too) and the JavaScript line separators are escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def render_page(
    data: dict[str, Any], *, title: str, caption: str, version: str, layout: str, home: str | None = None
) -> str:
    """The page: ``data`` (the vis nodes, edges, options and the rest) in the template; ``home``:
    a link in its header back to where it belongs (the site's record)."""
    import jinja2
    from markupsafe import Markup

    scripts = [assets.vendor("vis-network"), assets.vendor("vis-timeline"), assets.app_js()]
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(csp_hash(s) for s in scripts)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
        "form-action 'none'; base-uri 'none'"
    )
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    return env.from_string(assets.template()).render(
        csp=csp,
        title=title,
        caption=caption,
        version=version,
        layout=layout,
        home=home,
        css=Markup(assets.page_css()),
        data=Markup(json_for_html(data)),
        scripts=[Markup(s) for s in scripts],
    )
