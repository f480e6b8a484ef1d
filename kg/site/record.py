"""The pages and files that describe the record as a whole: the index (what it is, counts,
sources, licence, how to cite, search), the search index, schema.org/DCAT/VoID metadata, the
w3id.org rewrite rules and the 404 page."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.about import DESCRIPTION, TITLE
from kg.namespaces import DCTERMS, ID, OA, PREFIXES, RDF, SKOS
from kg.site.entity import KINDS, page_path
from kg.site.render import esc, json_for_html, link, page
from kg.sparql import serialize_rdf

LICENCE = "https://spdx.org/licenses/MIT"
#: Where w3id.org sends the IRIs unless ``kg publish --site-url`` says otherwise.
SITE_URL = "https://hk-timeline-kg.github.io/"
EXPORTS = (
    ("hk-timeline.nq", "application/n-quads", "N-Quads: ontology and data in two named graphs"),
    ("hk-timeline.ttl", "text/turtle", "Turtle: the whole graph in one default graph"),
)
_SEARCH = f"""SELECT ?s ?text WHERE {{
  {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?text }} UNION {{ ?s <{SKOS}altLabel> ?text }}
  UNION {{ ?s <https://schema.org/name> ?text }} UNION {{ ?s <{DCTERMS}title> ?text }}
  UNION {{ ?a <{OA}hasBody> ?s ; <{OA}hasTarget>/<{OA}hasSelector>/<{OA}exact> ?text }} }}"""
_SOURCES = f"""SELECT ?s ?title ?corpus ?url WHERE {{ ?s a <http://www.w3.org/ns/prov#Entity> ; <{DCTERMS}title> ?title
  FILTER(STRSTARTS(STR(?s), "{ID}source/")) OPTIONAL {{ ?s <https://w3id.org/hk-timeline-kg/ns/inCorpus> ?corpus }}
  OPTIONAL {{ ?s <https://schema.org/url> ?url }} }}
  ORDER BY DESC(?corpus) ?title ?s"""


def search_index(graph: Any, pages: list[str], labels: dict[str, str]) -> list[list[str]]:
    """``[path, kind, label, searchable text]`` per page: labels, names and quotes."""
    texts: dict[str, list[str]] = {iri: [] for iri in pages}
    for s, text in graph.query(_SEARCH).rows:
        if s.value in texts and text.value not in texts[s.value]:
            texts[s.value].append(text.value)
    return [
        [page_path(iri), page_path(iri).split("/")[1], labels.get(iri, iri), " \u2022 ".join(sorted(texts[iri]))]
        for iri in pages
    ]


def search_script(entries: list[list[str]]) -> str:
    """A classic script (so that it loads from ``file://`` too) defining the search index."""
    return "window.KG_SEARCH = " + json_for_html(entries) + ";\n"


def counts(graph: Any, pages: list[str]) -> dict[str, int]:
    out = {kind: 0 for kind in KINDS}
    for iri in pages:
        out[page_path(iri).split("/")[1]] += 1
    out["quote"] = int(graph.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{OA}exact> ?q }}")[0]["n"])
    return out


def citation(meta: dict[str, str]) -> str:
    return (
        f"hk-timeline-kg contributors. {TITLE} "
        f"(version {meta['version']}, data {meta['fingerprint'][:16]}). "
        f"https://w3id.org/hk-timeline-kg/"
    )


def dataset_jsonld(meta: dict[str, str], n: dict[str, int], site_url: str) -> dict[str, Any]:
    """schema.org ``Dataset``, as search engines and data repositories read it."""
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": "https://w3id.org/hk-timeline-kg/",
        "name": TITLE,
        "description": DESCRIPTION,
        "url": site_url,
        "version": meta["version"],
        "identifier": f"sha256:{meta['fingerprint']}",
        "license": LICENCE,
        "isAccessibleForFree": True,
        "keywords": ["Hong Kong", "extradition bill", "national security law", "event knowledge graph", "timeline"],
        "temporalCoverage": "2019/2021",
        "spatialCoverage": {"@type": "Place", "name": "Hong Kong"},
        "creator": {"@type": "Organization", "name": "hk-timeline-kg contributors"},
        "citation": citation(meta),
        "variableMeasured": [f"{n['event']} events", f"{n['actor']} actors", f"{n['quote']} verbatim quotes"],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media, "contentUrl": site_url + "export/" + name}
            for name, media, _ in EXPORTS
        ],
    }


def void_turtle(meta: dict[str, str], n: dict[str, int], triples: int, site_url: str) -> bytes:
    """A VoID and DCAT description of the dataset and its downloads, in Turtle."""
    dcat, void = "http://www.w3.org/ns/dcat#", "http://rdfs.org/ns/void#"
    ds = ox.NamedNode("https://w3id.org/hk-timeline-kg/")
    out: list[ox.Triple] = []

    def add(s: Any, p: str, o: Any) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o if not isinstance(o, str) else ox.Literal(o)))

    for cls in (void + "Dataset", dcat + "Dataset"):
        add(ds, RDF + "type", ox.NamedNode(cls))
    add(ds, DCTERMS + "title", TITLE)
    add(ds, DCTERMS + "description", DESCRIPTION)
    add(ds, DCTERMS + "license", ox.NamedNode(LICENCE))
    add(ds, DCTERMS + "hasVersion", meta["version"])
    add(ds, DCTERMS + "identifier", f"sha256:{meta['fingerprint']}")
    add(ds, DCTERMS + "bibliographicCitation", citation(meta))
    add(ds, dcat + "landingPage", ox.NamedNode(site_url))
    add(ds, void + "uriSpace", ID)
    add(
        ds,
        void + "triples",
        ox.Literal(str(triples), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    )
    add(
        ds,
        void + "entities",
        ox.Literal(str(sum(n[k] for k in KINDS)), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")),
    )
    add(ds, void + "exampleResource", ox.NamedNode(ID + "event/open-letter-to-li-zhanshu"))
    for prefix in ("sem", "schema", "prov", "oa", "dcterms", "skos", "hk"):
        add(ds, void + "vocabulary", ox.NamedNode(PREFIXES[prefix]))
    for name, media, title in EXPORTS:
        url = ox.NamedNode(site_url + "export/" + name)
        dist = ox.NamedNode(site_url + "export/" + name + "#distribution")
        add(ds, void + "dataDump", url)
        add(ds, dcat + "distribution", dist)
        add(dist, RDF + "type", ox.NamedNode(dcat + "Distribution"))
        add(dist, dcat + "downloadURL", url)
        add(dist, dcat + "mediaType", media)
        add(dist, DCTERMS + "title", title)
    prefixes = {"void": void, "dcat": dcat, "dcterms": DCTERMS, "rdf": RDF}
    return serialize_rdf(sorted(out, key=str), ox.RdfFormat.TURTLE, prefixes)


def rewrite_rules(site_url: str) -> str:
    """Apache rules for w3id.org: each IRI to its page, or to its Turtle or JSON-LD when asked."""
    page_rule = r"^id/([a-z]+)/([A-Za-z0-9._~-]+)$"
    lines = [
        "# w3id.org rules for https://w3id.org/hk-timeline-kg/ (written by `kg publish --site`).",
        "# Copy this file to hk-timeline-kg/.htaccess in https://github.com/perma-id/w3id.org",
        f"# and open a pull request; every IRI then resolves to {site_url}.",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "RewriteCond %{HTTP_ACCEPT} text/turtle",
        f"RewriteRule {page_rule} {site_url}id/$1/$2.ttl [R=303,L]",
        "RewriteCond %{HTTP_ACCEPT} application/ld\\+json",
        f"RewriteRule {page_rule} {site_url}id/$1/$2.jsonld [R=303,L]",
        f"RewriteRule {page_rule} {site_url}id/$1/$2.html [R=303,L]",
        f"RewriteRule ^ns/?.*$ {site_url}ontology.ttl [R=303,L]",
        f"RewriteRule ^(.*)$ {site_url}$1 [R=302,L]",
    ]
    return "\n".join(lines) + "\n"


def not_found_page() -> str:
    """Served by static hosts for any missing path, at any depth: so no relative link, no
    script and no stylesheet file, only a way back through the permanent address."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        "<title>Not found · hk-timeline-kg</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em}</style>\n"
        "</head><body><h1>No page at this address</h1>\n"
        "<p>Resources of the record have addresses such as "
        "<code>https://w3id.org/hk-timeline-kg/id/event/open-letter-to-li-zhanshu</code>.</p>\n"
        '<p><a href="https://w3id.org/hk-timeline-kg/">Go to the record and search it</a>.</p>\n'
        "</body></html>\n"
    )


def _host(url: str | None) -> str:
    """``, en.wikipedia.org`` for a source's URL: which of two same-titled references is which."""
    from urllib.parse import urlsplit

    return f", {esc(urlsplit(url).hostname)}" if url and urlsplit(url).hostname else ""


def index_page(graph: Any, meta: dict[str, str], n: dict[str, int], site_url: str, views: bool) -> str:
    sources = "".join(
        f"<li>{link(row['s'], row['title'], '')}"
        + ("" if row.get("corpus") else f" <em>(outside reference{_host(row.get('url'))})</em>")
        + "</li>"
        for row in graph.select(_SOURCES)
    )
    figures = ", ".join(f"{n[k]} {k if n[k] == 1 else k + 's'}" for k in (*KINDS, "quote"))
    view_links = (
        '<section><h2>Timeline and network</h2><p><a href="views/index.html">The events on a timeline and in a '
        "network</a> with their actors, places, roles and relations, linked: select in one to find in the other, "
        "click for the quotes and sources.</p></section>"
        if views
        else ""
    )
    downloads = "".join(f'<li><a href="export/{name}">{name}</a>: {esc(title)}</li>' for name, _, title in EXPORTS)
    body = f"""<h1>{esc(TITLE)}</h1>
<p class="lead">{esc(DESCRIPTION)}</p>
<p class="figures" id="kg-figures">{esc(figures)}.</p>
<section class="search"><h2>Search</h2>
<label for="kg-search">Labels, names and quotes</label>
<input id="kg-search" type="search" placeholder="e.g. Li Zhanshu, extradition, NPCSC" autocomplete="off">
<p id="kg-count" class="note" role="status"></p><ol id="kg-hits"></ol></section>
<section><h2>Ask the graph</h2><p><a href="sparql.html">SPARQL in your browser</a>: the named queries as
examples, results as a table, a graph or a timeline, no server needed.</p></section>
{view_links}
<section><h2>Sources</h2><ul>{sources}</ul></section>
<section><h2>Data</h2><ul>{downloads}<li><a href="export/void.ttl">void.ttl</a>: VoID and DCAT description</li>
<li><a href="ontology.ttl">ontology.ttl</a>: the project's vocabulary</li></ul>
<p>Every resource has a page at the address its IRI names, e.g.
<a href="id/event/open-letter-to-li-zhanshu.html">id/event/open-letter-to-li-zhanshu</a>,
with its Turtle and JSON-LD beside it.</p></section>
<section><h2>Cite</h2><p class="cite">{esc(citation(meta))}</p>
<p>Version {esc(meta["version"])}; data fingerprint (SHA-256 of the N-Quads) <code>{esc(meta["fingerprint"])}</code>.
Licence: <a href="{LICENCE}">MIT</a> for the code and the curated records; the quotes are short excerpts of the
documents they cite, which remain their authors'.</p></section>
<script src="search-index.js"></script>
<script src="assets/search.js"></script>"""
    head = f'<script type="application/ld+json">{json_for_html(dataset_jsonld(meta, n, site_url))}</script>'
    nav = ' <a href="views/index.html">Timeline and network</a>' if views else ""
    return page(TITLE, body, root="", meta=meta, head=head, nav=nav)
