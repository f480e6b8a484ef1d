"""The SPARQL page: the named queries as examples, and Oxigraph's WebAssembly build to run them.

The engine is npm ``oxigraph`` (``assets/oxigraph/``, unchanged, with its licence), at the
release closest to the installed pyoxigraph. Browsers refuse ES modules, ``fetch`` and
WebAssembly streaming from ``file://``, so the site carries the engine as a classic script
holding ``web.js`` as text and ``web_bg.wasm`` in base64: the page imports the module from a
``blob:`` URL and instantiates the bytes, which works from ``file://`` and from any static host.
The graph travels the same way (N-Quads in a classic script).
"""

from __future__ import annotations

import base64
import hashlib
import re
from string import Template

from kg.backends.lookup import recipe
from kg.namespaces import PREFIXES
from kg.site.render import ASSETS, asset_text, esc, json_for_html, page
from kg.sparql import library

ENGINE = ASSETS / "oxigraph"
#: What the package data must hold (checked by the tests): the npm release and its files' SHA-256.
ENGINE_VERSION = "0.5.11"
ENGINE_SHA256 = {
    "web.js": "2fcfdcadc79c9146cee98028a273aebc93df3282eb0299c248595bc529deca41",
    "web_bg.wasm": "b95b15accb6b789667b8d8b0b8f139d5de588e572499672ff37ce9ba01c4a428",
}
_EXAMPLE = re.compile(r"e\.g\.\s*\"([^\"]+)\"")


def examples() -> list[dict]:
    """The named queries with their questions and parameters (an example value where the
    header gives one, whether the query needs it, and the kinds of resource it names)."""
    out = []
    for q in library().values():
        params = []
        for name, desc in q.params:
            m = _EXAMPLE.search(desc)
            params.append(
                {
                    "name": name,
                    "description": desc,
                    "example": m.group(1) if m else "",
                    "required": name in q.required_params,
                    "lookup": list(q.lookups.get(name, ())),  # kinds a name is looked up among
                }
            )
        out.append({"name": q.name, "title": q.title, "question": q.question, "params": params, "text": q.text})
    return out


def examples_script() -> str:
    return (
        f"window.KG_EXAMPLES = {json_for_html(examples())};\nwindow.KG_PREFIXES = {json_for_html(PREFIXES)};\n"
        f"window.KG_LOOKUP = {json_for_html(recipe())};\n"
    )


def engine_script() -> str:
    """The Oxigraph engine as a classic script (see the module docstring)."""
    js = (ENGINE / "web.js").read_bytes()
    wasm = (ENGINE / "web_bg.wasm").read_bytes()
    for name, data in (("web.js", js), ("web_bg.wasm", wasm)):
        if hashlib.sha256(data).hexdigest() != ENGINE_SHA256[name]:
            raise RuntimeError(f"{ENGINE / name} is not the pinned oxigraph {ENGINE_VERSION} file")
    return (
        f"/* oxigraph {ENGINE_VERSION} (npm), MIT licence: see oxigraph-LICENSE.txt */\n"
        f"window.KG_OXIGRAPH = {{js: {json_for_html(js.decode('utf-8'))},\n"
        f'wasm: "{base64.b64encode(wasm).decode("ascii")}"}};\n'
    )


def graph_script(nquads: bytes) -> str:
    return "window.KG_GRAPH = " + json_for_html(nquads.decode("utf-8")) + ";\n"


def sparql_page(meta: dict[str, str], *, endpoint: str = "", nav: str = "") -> str:
    """The query page: in the browser over the published graph, or against ``endpoint``."""
    if endpoint:
        where = "Queries run on this server's SPARQL endpoint (<code>/query</code>)."
        scripts = ["data/examples.js", "assets/draw.js", "assets/sparql.js"]
    else:
        where = "Queries run in your browser (Oxigraph compiled to WebAssembly) over the published graph: no server."
        scripts = ["data/examples.js", "assets/oxigraph.js", "data/graph.js", "assets/draw.js", "assets/sparql.js"]
    body = Template(asset_text("sparql.html")).substitute(
        where=where,
        prefixes=esc(" ".join(f"{p}:" for p in PREFIXES)),
        scripts="\n".join(f'<script src="{s}"></script>' for s in scripts),
    )
    attrs = f' data-endpoint="{esc(endpoint)}"' if endpoint else ""
    return page("SPARQL · hk-timeline-kg", body, root="", meta=meta, nav=nav, body_attrs=attrs)
