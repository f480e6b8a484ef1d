"""Everything the graph says about one actor, event, place or source, with the quotes behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.backends.lookup import KINDS, find
from kg.backends.selection import IndexedEvent
from kg.explore.evidence import quotes
from kg.namespaces import ID, SEM, shorten

if TYPE_CHECKING:
    from kg.backends import Backend

_FACTS = """
SELECT ?p ?pLabel ?o ?oLabel ?node WHERE {
  ?node ?p ?o .
  OPTIONAL { ?p rdfs:label ?pLabel }
  OPTIONAL { ?o rdfs:label|skos:prefLabel|skosxl:literalForm ?oLabel }  # a SKOS-XL name shows its form
}
"""
#: How many events a page lists for each way they link to the node (as actor, in a role, at
#: a place, from a source, of a type); the others are counted, and ``kg timeline`` lists them.
EVENTS_SHOWN = 25
#: In the text and Markdown forms, a list (the values of one property, the claims, the quotes,
#: the events referring here) longer than this shows its first FOLD items and how many more there
#: are; ``kg show --all`` prints every one, and ``--format json`` always has them all.
FOLD = 12
#: How many claimants a claim names, in the text and Markdown forms, before "and N more".
CLAIMANTS_SHOWN = 3
# The roles of the node in the events listed, and their EDTF dates: bounded by EVENTS_SHOWN.
_ROLES_OF = """
SELECT ?event ?role WHERE {
  VALUES ?event { %(events)s }
  ?event ?rp %(node)s . ?rp rdfs:subPropertyOf hk:role ; rdfs:label ?role .
}
"""
_ROLES = "SELECT ?p WHERE { ?p rdfs:subPropertyOf hk:role }"
_EDTF = "SELECT ?event ?edtf WHERE { VALUES ?event { %s } ?event hk:edtf ?edtf }"
_POSTS = """
SELECT ?title ?org ?orgLabel ?edtf ?node WHERE {
  ?node hk:holdsPost ?post . ?post schema:roleName ?title ; hk:postIn ?org . ?org rdfs:label ?orgLabel .
  OPTIONAL { ?post hk:edtf ?edtf }
} ORDER BY ?orgLabel ?title
"""
_CLAIMS = """
SELECT ?claim ?text ?who ?node WHERE {
  { ?claim schema:author ?node } UNION { ?claim schema:about ?node }
  ?claim a hk:Claim ; schema:text ?text ; schema:author ?c . ?c rdfs:label ?who .
} ORDER BY ?text ?claim ?who
"""
# What else than the node itself the quotes of its page may be about: its posts, and the
# relations it is part of (by kg.explore.evidence.quotes). Every pattern starts from ?node,
# so that the engine never scans a store (kg show at 1M events).
_BACKED = """
SELECT DISTINCT ?part ?about ?node WHERE {
  {
    ?node hk:holdsPost ?part . ?part rdfs:label ?about
  } UNION {
    { ?part rdf:subject ?node } UNION { ?part rdf:object ?node }
    { ?part a hk:EventRelation } UNION { ?part a hk:RoleStatement }
    ?part rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    ?s rdfs:label ?sl . ?o rdfs:label ?ol . ?p rdfs:label ?pl .
    BIND(CONCAT(?sl, " —", ?pl, "→ ", ?ol) AS ?about)
  }
}
"""
# rdf:type and posts are shown apart; a store's event counts are derived (its index graph).
_SKIP = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "https://w3id.org/hk-timeline-kg/ns/holdsPost",
    "https://w3id.org/hk-timeline-kg/ns/eventCount",
}


def _about(query: str, node: ox.NamedNode) -> str:
    """``query`` with ``?node`` bound by a ``VALUES`` at the top of its pattern: the engine then
    starts from the node's index entries (bound by substitution instead, Oxigraph plans the
    query as if ?node were free and scans: seconds on a store of a million events)."""
    return query.replace("WHERE {", f"WHERE {{ VALUES ?node {{ {node} }}", 1)


def _local(iri: str) -> str:
    return iri[len(ID) :] if iri.startswith(ID) else iri


def show(graph: Backend, name_or_id: str) -> dict[str, Any]:
    """All facts about one resource, found by id, IRI, label or alternative name.

    Returns ``id``, ``iri``, ``label``, ``classes``, ``facts`` (``[{"property", "value"}]``,
    IRIs replaced by labels), ``events`` (for an actor: the first :data:`EVENTS_SHOWN` of its
    events, in date order, with its roles) and ``event_count`` (all of them: ``kg timeline
    --actor`` lists them), ``posts``, ``claims``, ``incoming`` (events that point here by
    another property than a role: the first :data:`EVENTS_SHOWN` of each), ``incoming_counts``
    (how many by each property), ``roles`` (how many events by each role), and ``quotes``
    (``[{"about", "quote", "source", "source_title"}]``). Raises
    :class:`kg.backends.lookup.NotFound` with suggestions for an unknown name; a name shared by
    several resources picks the first by IRI and lists the others in ``also``.
    """
    hits = find(graph, name_or_id, kinds=tuple(KINDS))  # a law, claim or post too
    iri = hits[0]
    node = ox.NamedNode(iri)
    facts, classes, label = [], [], _local(iri)
    for row in graph.query(_about(_FACTS, node)).dicts():
        p, o = row["p"], row["o"]
        if p.endswith("#type"):
            classes.append(shorten(o))
            continue
        if p.endswith("rdf-schema#label"):
            label = o
        if p in _SKIP:
            continue
        value = row["oLabel"] or (shorten(o) if isinstance(o, str) and o.startswith(ID) else o)
        facts.append({"property": row["pLabel"] or shorten(p), "value": value})
    facts.sort(key=lambda f: (f["property"], str(f["value"])))
    result = Record(
        id=_local(iri),
        iri=iri,
        label=label,
        classes=sorted(classes),
        facts=facts,
    )
    if len(hits) > 1:
        result["also"] = [_local(h) for h in hits[1:]]
    roles = {r["p"] for r in graph.select(_ROLES)}  # counted: the events listed give the node's roles
    links = graph.linked_events(iri, EVENTS_SHOWN, counted=roles)
    count, first = links.pop(SEM + "hasActor", (0, []))
    result["events"] = _events_of(graph, node, first)
    result["event_count"] = count
    result["posts"] = [
        {"title": r["title"], "organisation": r["orgLabel"], "edtf": r["edtf"]}
        for r in graph.query(_about(_POSTS, node)).dicts()
    ]
    result["claims"] = [
        {"id": _local(r["claim"]), "text": r["text"], "claimant": r["who"]}
        for r in graph.query(_about(_CLAIMS, node)).dicts()
    ]
    names = graph.labels(sorted(links))
    incoming: set[tuple[str, str]] = set()
    counts: dict[str, int] = {}
    for predicate, (n, events) in links.items():
        name = names.get(predicate) or shorten(predicate)
        counts[name] = counts.get(name, 0) + n
        if predicate not in roles:  # the events listed give the node's roles in them
            incoming |= {(name, e.label or _local(e.iri)) for e in events}
    result["incoming"] = [{"property": p, "event": e} for p, e in sorted(incoming)]
    result["incoming_counts"] = dict(sorted(counts.items()))
    result["roles"] = {names.get(p) or shorten(p): links[p][0] for p in sorted(roles & links.keys())}
    about = {iri: ["itself"]}
    for r in graph.query(_about(_BACKED, node)).dicts():
        about.setdefault(r["part"], []).append(r["about"])
    backed = quotes(graph, about)
    result["quotes"] = sorted(
        (
            {"about": what, "quote": q.exact, "source": _local(q.source), "source_title": q.title}
            for part, found in backed.items()
            for what in set(about[part])
            for q in found
        ),
        key=lambda r: (r["about"], r["source"], r["quote"]),
    )
    return result


class Record(dict):
    """What :func:`show` returns: a plain ``dict`` (JSON as it is) that a notebook shows as text."""

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(render(self, 100))}</pre>"


def _quotes(info: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """Each quote once, with its source's title and what it backs (a quote backing the resource
    and one of its roles is one quote)."""
    by_quote: dict[tuple[str, str], list[str]] = {}
    for q in info["quotes"]:
        about = by_quote.setdefault((q["quote"], q["source_title"] or q["source"]), [])
        if q["about"] != "itself" and q["about"] not in about:
            about.append(q["about"])
    return [(quote, source, about) for (quote, source), about in by_quote.items()]


def _fold(lines: list[str], full: bool, what: str = "") -> list[str]:
    """The first :data:`FOLD` lines and how many more there are, unless ``full``."""
    if full or len(lines) <= FOLD + 1:
        return lines
    return lines[:FOLD] + [f"… and {len(lines) - FOLD:,} more{what} (--all lists them all)"]


def _facts(info: dict[str, Any], full: bool) -> list[str]:
    """One line a fact, the values of one property folded (an open letter's 86 signatories)."""
    by_property: dict[str, list[str]] = {}
    for f in info["facts"]:
        by_property.setdefault(f["property"], []).append(f"{f['property']}: {f['value']}")
    return [line for prop, lines in by_property.items() for line in _fold(lines, full, f" values of {prop}")]


def _claims(info: dict[str, Any], full: bool) -> list[str]:
    """Each claim once with its claimants (a claim of 86 signatories is one entry, not 86),
    the claimants after the first :data:`CLAIMANTS_SHOWN` counted unless ``full``."""
    by_claim: dict[str, tuple[str, list[str]]] = {}
    for c in info["claims"]:
        who = by_claim.setdefault(c["id"], (c["text"], []))[1]
        if c["claimant"] not in who:
            who.append(c["claimant"])
    lines, counted = [], False
    for text, who in by_claim.values():
        if not full and len(who) > CLAIMANTS_SHOWN + 1:
            who, counted = [*who[:CLAIMANTS_SHOWN], f"{len(who) - CLAIMANTS_SHOWN:,} more"], True
        names = ", ".join(who[:-1]) + " and " + who[-1] if len(who) > 1 else who[0]
        lines.append(f"{names}: {text}")
    folded = _fold(lines, full, " claims")
    if counted and folded == lines:  # a folded list already says --all
        folded.append("(--all names every claimant)")
    return folded


def _sections(info: dict[str, Any], full: bool = False) -> list[tuple[str, list[str]]]:
    """The headed lists that the text and Markdown forms share, as plain strings, long ones
    folded unless ``full``."""
    posts = [f"{p['title']}, {p['organisation']}" + (f" ({p['edtf']})" if p["edtf"] else "") for p in info["posts"]]
    events = [f"{e['edtf'] or ''}  {e['label']}" + (f" ({e['role']})" if e["role"] else "") for e in info["events"]]
    listed = len({e["id"] for e in info["events"]})
    title = "Events"
    if info.get("event_count", 0) > listed:
        title += f" (the first {listed} of {info['event_count']:,}; all: kg timeline --actor {info['id']})"
    referred = [f"{i['event']} —{i['property']}→" for i in info["incoming"]]
    roles = info.get("roles", {})
    for name, count in info.get("incoming_counts", {}).items():
        shown = sum(1 for i in info["incoming"] if i["property"] == name)
        if count > shown and name not in roles:
            referred.append(f"… and {count - shown:,} more —{name}→")
    return [
        ("Facts", _facts(info, full)),
        ("Posts", _fold(posts, full)),
        (title, events),
        ("Roles", [f"{name}: {count:,} event{'s' * (count != 1)}" for name, count in roles.items()]),
        ("Referred to by", _fold(referred, full)),
        ("Claims", _claims(info, full)),
    ]


def _events_of(graph: Backend, node: ox.NamedNode, found: list[IndexedEvent]) -> list[dict[str, Any]]:
    """The events listed of those the node is an actor of, in date order, with its roles in them."""
    if not found:
        return []
    listed = " ".join(str(ox.NamedNode(e.iri)) for e in found)
    roles: dict[str, list[str]] = {}
    for r in graph.select(_ROLES_OF % {"events": listed, "node": node}):
        roles.setdefault(r["event"], []).append(r["role"])
    edtf = {r["event"]: r["edtf"] for r in graph.select(_EDTF % listed)}
    rows = {
        (e.earliest_begin, e.label or "", role or "", e.iri, role)
        for e in found
        for role in (sorted(set(roles[e.iri])) if e.iri in roles else [None])
    }
    return [
        {"id": _local(iri), "label": label or None, "edtf": edtf.get(iri), "role": role}
        for _, label, _, iri, role in sorted(rows)
    ]


def render(info: dict[str, Any], width: int | None = None, full: bool = False) -> str:
    """The text form of :func:`show`, wrapped at ``width`` columns (default: not wrapped), long
    lists folded unless ``full``; every data string has its control characters escaped, so the
    data cannot drive the terminal."""
    import textwrap

    from kg.sparql.render import printable

    def para(text: str, indent: str, more: str | None = None) -> list[str]:
        text = printable(text).replace("\n", " ")
        if not width:
            return [indent + text]
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=more or indent + "  ") or [indent]

    out = para(f"{info['label']}  [{info['id']}]", "") + para(", ".join(info["classes"]), "  ")
    if info.get("also"):
        out += para(f"(the same name also names: {', '.join(info['also'])})", "  ")
    for title, lines in _sections(info, full):
        if lines:
            out += ["", f"{title}:"] if title != "Facts" else [""]
            for line in lines:
                out += para(line, "  ", "      ")
    quotes = _quotes(info)
    if quotes:
        out += ["", "Quotes:"]
        for quote, source, about in quotes[: None if full else FOLD]:
            out += para(f"“{quote}”", "  ", "   ")
            out += para(f"— {source}" + (f" (on: {'; '.join(about)})" if about else ""), "      ", "        ")
        more = _more_quotes(quotes, full)
        out += para(more, "  ") if more else []
    return "\n".join(out) + "\n"


def _more_quotes(quotes: list[Any], full: bool) -> str:
    """The line that counts the quotes left out, or "" when none is."""
    return "" if full or len(quotes) <= FOLD + 1 else f"… and {len(quotes) - FOLD:,} more quotes (--all lists them all)"


def markdown(info: dict[str, Any], full: bool = False) -> str:
    """The Markdown form of :func:`show`, long lists folded unless ``full``: every data string
    escaped, so it renders as text."""
    from kg.sparql.render import markdown_cell as esc

    out = [f"## {esc(info['label'])} ({esc(info['id'])})", "", esc(", ".join(info["classes"]))]
    for title, lines in _sections(info, full):
        if lines:
            out += ["", f"### {title}", ""] + [f"- {esc(line)}" for line in lines]
    quotes = _quotes(info)
    if quotes:
        out += ["", "### Quotes", ""]
        for quote, source, about in quotes[: None if full else FOLD]:
            on = f" (on: {esc('; '.join(about))})" if about else ""
            out += [f"> “{esc(quote)}”  ", f"> — {esc(source)}{on}", ""]
        more = _more_quotes(quotes, full)
        out += [esc(more)] if more else []
    return "\n".join(out).rstrip() + "\n"
