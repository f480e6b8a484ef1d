"""HTML of the site's pages: one shell (``assets/page.html``), every data string escaped.

Nothing here builds markup from data without :func:`esc`; links are only made to pages of the
site and to ``http(s)`` IRIs, so a label, a quote or a ``schema:url`` cannot inject markup or
a ``javascript:`` link. The pages load no inline script (their Content-Security-Policy allows
scripts from the site only), so even a missed escape could not run.
"""

from __future__ import annotations

import html
import json
import math
from importlib import resources as _resources
from string import Template
from typing import Any

import pyoxigraph as ox

from kg.namespaces import RDF, XSD, shorten
from kg.site.entity import DATE_PREDICATES, KINDS, LABEL_PREDICATES, SOURCE_PREDICATE, Entity, Quote, page_path, path_of

HK = "https://w3id.org/hk-timeline-kg/ns/"
ASSETS = _resources.files("kg.site") / "assets"
_KIND_NAMES = {
    "event": "Event",
    "actor": "Actor",
    "place": "Place",
    "source": "Source",
    "claim": "Claim",
    "post": "Post",
    "relation": "Relation between resources",
}


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def asset_text(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def json_for_html(data: Any) -> str:
    """JSON that cannot end the ``<script>`` element holding it nor be read as markup."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    for ch, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, code)
    return text


def page(
    title: str, body: str, *, root: str, meta: dict[str, str], head: str = "", nav: str = "", body_attrs: str = ""
) -> str:
    """A whole page in the site's shell; ``root`` is the relative path back to the site root."""
    return Template(asset_text("page.html")).substitute(
        title=esc(title),
        root=root,
        head=head,
        nav=nav,
        body=body,
        body_attrs=body_attrs,
        version=esc(meta["version"]),
        data=f"data fingerprint <code>{esc(meta['fingerprint'][:16])}</code>"
        if meta.get("fingerprint")
        else "live data",
    )


def link(iri: str, label: str | None, here: str) -> str:
    """A link to the page of ``iri`` (relative to the page at path ``here``), to an outside
    ``http(s)`` IRI, or plain text for anything else."""
    text = esc(label or shorten(iri))
    target = path_of(iri)
    if target is not None:
        return f'<a href="{esc(relative(here, target + ".html"))}">{text}</a>'
    if iri.startswith(("http://", "https://")) and not iri.startswith("https://w3id.org/hk-timeline-kg/"):
        return f'<a class="out" href="{esc(iri)}" rel="noopener noreferrer">{text}</a>'
    return f'<span title="{esc(iri)}">{text}</span>'


def relative(here: str, target: str) -> str:
    """The relative URL from the page at path ``here`` (``id/event/x``) to path ``target``."""
    depth = here.count("/")
    return "../" * depth + target


def term_html(term: Any, labels: dict[str, str], here: str) -> str:
    if isinstance(term, ox.NamedNode):
        return link(term.value, labels.get(term.value), here)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        kind = "" if dt in ("", XSD + "string", RDF + "langString") else f' <span class="dt">{esc(shorten(dt))}</span>'
        return f"{esc(term.value)}{kind}"
    return esc(term.value)


def quotes_html(quotes: list[Quote], labels: dict[str, str], here: str) -> str:
    items = "".join(
        f"<li><blockquote>{esc(q.exact)}</blockquote><cite>{link(q.source, labels.get(q.source), here)}</cite></li>"
        for q in quotes
    )
    return f'<ul class="quotes">{items}</ul>' if items else ""


def _predicate(p: str, labels: dict[str, str]) -> str:
    return esc(labels.get(p) or shorten(p))


def date_html(entity: Entity, here: str) -> str:
    """The date as written (EDTF), its precision, its bounds and the reasoning behind it."""
    facts = {p: [t for q, t in entity.facts if q == p] for p in DATE_PREDICATES}
    if not facts[DATE_PREDICATES[0]]:
        return ""
    rows = []
    names = ("As written (EDTF)", "Precision", "Reasoning", "Date taken from")
    for name, p in zip(names, DATE_PREDICATES[:4], strict=True):
        for term in facts[p]:
            rows.append(f"<tr><th>{name}</th><td>{term_html(term, entity.labels, here)}</td></tr>")
    bounds = [(facts[DATE_PREDICATES[i]], facts[DATE_PREDICATES[i + 1]]) for i in (4, 6)]
    for name, (early, late) in zip(("Begins", "Ends"), bounds, strict=True):
        if early and late:
            a, b = early[0].value, late[0].value
            text = esc(a) if a == b else f"no earlier than {esc(a)} and no later than {esc(b)}"
            rows.append(f"<tr><th>{name}</th><td>{text}</td></tr>")
    return f'<section><h2>Date</h2><table class="facts date">{"".join(rows)}</table></section>'


def facts_html(entity: Entity, here: str) -> str:
    skip = set(DATE_PREDICATES) | set(LABEL_PREDICATES)
    rows = []
    for p, term in entity.facts:
        if p in skip:
            continue
        quotes = entity.fact_quotes.get((entity.iri, p, term.value), [])
        evidence = quotes_html(quotes, entity.labels, here)
        rows.append(
            f"<tr><th>{_predicate(p, entity.labels)}</th><td>{term_html(term, entity.labels, here)}{evidence}</td></tr>"
        )
    return f'<section><h2>Facts</h2><table class="facts">{"".join(rows)}</table></section>'


def incoming_html(entity: Entity, here: str) -> str:
    if not entity.incoming:
        return ""
    rows = []
    for s, p in entity.incoming:
        quotes = entity.fact_quotes.get((s, p, entity.iri), [])
        rows.append(
            f"<tr><td>{link(s, entity.labels.get(s), here)}</td><th>{_predicate(p, entity.labels)}</th>"
            f"<td>this {esc(entity.kind)}{quotes_html(quotes, entity.labels, here)}</td></tr>"
        )
    return f'<section><h2>Linked from</h2><table class="facts incoming">{"".join(rows)}</table></section>'


def neighbourhood_svg(entity: Entity, here: str, limit: int = 24) -> str:
    """The resource and the pages it links to or is linked from, drawn around it."""
    near: dict[str, str] = {}
    for p, term in entity.facts:
        if isinstance(term, ox.NamedNode) and path_of(term.value) and term.value != entity.iri:
            near.setdefault(term.value, entity.labels.get(p) or shorten(p))
    for s, p in entity.incoming:
        if path_of(s) and s != entity.iri:
            near.setdefault(s, entity.labels.get(p) or shorten(p))
    if not near:
        return ""
    shown = sorted(near)[:limit]
    size, r = 520, 190
    c = size / 2
    parts = []
    for i, iri in enumerate(shown):
        angle = 2 * math.pi * i / len(shown) - math.pi / 2
        x, y = c + r * math.cos(angle), c + r * math.sin(angle)
        label = entity.labels.get(iri) or shorten(iri)
        short = label if len(label) <= 28 else label[:27] + "…"
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dx = 9 if anchor == "start" else -9 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (-10 if math.sin(angle) < 0 else 18)  # above or below the dot
        target = esc(relative(here, page_path(iri) + ".html"))
        parts.append(
            f'<line x1="{c:.1f}" y1="{c:.1f}" x2="{x:.1f}" y2="{y:.1f}"><title>{esc(near[iri])}</title></line>'
            f'<a href="{target}"><circle class="{esc(page_path(iri).split("/")[1])}" cx="{x:.1f}" cy="{y:.1f}" r="6">'
            f"<title>{esc(label)}</title></circle>"
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">{esc(short)}</text></a>'
        )
    more = len(near) - len(shown)
    kinds = sorted({page_path(iri).split("/")[1] for iri in shown} | {entity.kind}, key=KINDS.index)
    legend = " ".join(f'<span class="dot {k}"></span>{esc(_KIND_NAMES[k].split()[0].lower())}' for k in kinds)
    note = f'<p class="note">{legend}' + (f" · and {more} more (see the facts)" if more > 0 else "") + "</p>"
    return (
        f'<section><h2>Neighbourhood</h2><svg class="hood" viewBox="-150 0 {size + 300} {size}" role="img" '
        f'aria-label="{esc(entity.label)} and the resources linked with it">{"".join(parts)}'
        f'<circle class="centre {esc(entity.kind)}" cx="{c}" cy="{c}" r="10">'
        f"<title>{esc(entity.label)}</title></circle>"
        f"</svg>{note}</section>"
    )


def entity_page(entity: Entity, meta: dict[str, str], *, nav: str = "") -> str:
    here = path_of(entity.iri) or ""
    name = here.rsplit("/", 1)[-1]
    types = ", ".join(term_html(t, entity.labels, here) for p, t in entity.facts if p == RDF + "type")
    event_type = [t for p, t in entity.facts if p == "http://semanticweb.cs.vu.nl/2009/11/sem/eventType"]
    kind = _KIND_NAMES[entity.kind] + (f" · {term_html(event_type[0], entity.labels, here)}" if event_type else "")
    evidence = quotes_html(entity.quotes, entity.labels, here)
    sources = [t for p, t in entity.facts if p == SOURCE_PREDICATE]
    body = [
        f"<h1>{esc(entity.label)}</h1>",
        f'<p class="kind">{kind}</p>',
        f'<p class="iri">IRI <code>{esc(entity.iri)}</code> · as data: '
        f'<a href="{esc(name)}.ttl">Turtle</a>, <a href="{esc(name)}.jsonld">JSON-LD</a> · types: {types}</p>',
        date_html(entity, here),
        f"<section><h2>Evidence</h2>{evidence or '<p>No quote names this resource directly; see the facts.</p>'}"
        + ("<p>Sources: " + ", ".join(term_html(t, entity.labels, here) for t in sources) + "</p>" if sources else "")
        + "</section>",
        facts_html(entity, here),
        incoming_html(entity, here),
        neighbourhood_svg(entity, here),
    ]
    head = (
        f'<link rel="alternate" type="text/turtle" href="{esc(name)}.ttl">'
        f'<link rel="alternate" type="application/ld+json" href="{esc(name)}.jsonld">'
    )
    return page(entity.label, "\n".join(b for b in body if b), root=relative(here, ""), meta=meta, head=head, nav=nav)
