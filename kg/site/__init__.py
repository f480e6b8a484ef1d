"""The record as a static site: ``kg publish --site DIR``.

What it holds (all of it works from ``file://`` and from any static host, and fetches nothing
from outside the site):

* ``index.html``: what the record is, its counts, sources, licence, how to cite it, its
  version and data fingerprint, an offline search over labels, names and quotes, and links
  to the linked timeline and network (``views/index.html``, drawn by :mod:`kg.viz`);
* ``id/<kind>/<id>.html`` for every event, actor, place, source, claim, post and relation, at
  the path its IRI names, with ``.ttl`` and ``.jsonld`` beside it;
* ``sparql.html``: SPARQL in the browser (:mod:`kg.site.sparql`);
* ``export/`` (the graph, and ``void.ttl``: VoID and DCAT), ``ontology.ttl``,
  ``w3id.htaccess`` (the rules that make the IRIs resolve) and ``404.html``.

The graph is read through the graph interface only (queries, facts, labels), so the same
pages can be drawn from any back end; :mod:`kg.site.server` serves them from ``kg serve``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from kg import atomic
from kg.errors import UsageError
from kg.site.record import SITE_URL

#: A file that marks a directory as written by :func:`build`, so a rebuild may replace it.
MARKER = ".kg-site"


def meta_of(nquads: bytes) -> dict[str, str]:
    from kg.about import __version__

    return {"version": __version__, "fingerprint": hashlib.sha256(nquads).hexdigest()}


def nquads_of(graph: Any) -> bytes:
    """The graph as sorted N-Quads (the bytes the fingerprint is taken of)."""
    import pyoxigraph as ox

    from kg.backends.memory import sorted_quads
    from kg.sparql import serialize_rdf

    return serialize_rdf(sorted_quads(graph.quads()), ox.RdfFormat.N_QUADS)


def build(graph: Any, directory: str | os.PathLike, *, site_url: str | None = None, views: bool = True) -> list[str]:
    """Write the site of ``graph`` to ``directory`` (replaced as a whole, never half-written)
    and return the paths written, relative to it."""
    site_url = site_url or SITE_URL
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", site_url):
        raise UsageError(f"--site-url expects an http(s) URL, got {site_url!r}")
    site_url += "" if site_url.endswith("/") else "/"
    target = Path(directory)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).exists())):
        raise UsageError(
            f"{target} exists and is not a site written by kg publish --site: give a new or empty directory"
        )
    with atomic.replace_directory(target, keep=False, purpose="site") as work:  # all the site or none
        written = _write(graph, work, site_url, views)
        (work / MARKER).write_text("written by kg publish --site; the directory is replaced as a whole\n")
    return written


def _write(graph: Any, root: Path, site_url: str, views: bool) -> list[str]:
    from kg import paths
    from kg.export import export
    from kg.site import record, sparql
    from kg.site.entity import describe, page_path, resources
    from kg.site.render import ASSETS, entity_page

    nquads = nquads_of(graph)
    meta = meta_of(nquads)
    files: dict[str, bytes | str] = {}
    pages = resources(graph)
    nav = ' <a href="{0}views/index.html">Timeline and network</a>' if views else ""
    labels: dict[str, str] = {}
    for iri in pages:
        entity = describe(graph, iri)
        if entity is None:
            continue
        path = page_path(iri)
        labels[iri] = entity.label
        files[path + ".html"] = entity_page(entity, meta, nav=nav.format("../../"))
        files[path + ".ttl"] = entity.serialize("ttl")
        files[path + ".jsonld"] = entity.serialize("jsonld")
    n = record.counts(graph, pages)
    files["index.html"] = record.index_page(graph, meta, n, site_url, views)
    files["search-index.js"] = record.search_script(record.search_index(graph, sorted(labels), labels))
    files["sparql.html"] = sparql.sparql_page(meta, nav=nav.format(""))
    files["data/examples.js"] = sparql.examples_script()
    files["data/graph.js"] = sparql.graph_script(nquads)
    files["assets/oxigraph.js"] = sparql.engine_script()
    files["assets/oxigraph-LICENSE.txt"] = (sparql.ENGINE / "LICENSE-MIT").read_bytes()
    for name in ("site.css", "search.js", "draw.js", "sparql.js"):
        files["assets/" + name] = (ASSETS / name).read_bytes()
    files["export/hk-timeline.nq"] = nquads
    files["export/hk-timeline.ttl"] = export(graph, "ttl")
    files["export/void.ttl"] = record.void_turtle(meta, n, nquads.count(b"\n"), site_url)
    files["ontology.ttl"] = (paths.schema_dir() / "ontology.ttl").read_bytes()
    files["w3id.htaccess"] = record.rewrite_rules(site_url)
    files["404.html"] = record.not_found_page()
    if views:
        import kg.viz

        views_page = kg.viz.to_pyvis(graph)  # the network and the timeline, linked
        views_page.home = "../index.html"
        files["views/index.html"] = views_page.generate_html()
    for name, data in files.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return sorted(files)
