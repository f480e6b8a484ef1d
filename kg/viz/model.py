"""The page model: a projected graph turned into vis-network nodes and edges, the clusters the
page opens collapsed, and vis-timeline items and lanes. Everything is built in one pass over the
nodes and edges (O(n + m)), so that 20,000 nodes cost a fraction of a second."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kg.backends.selection import collector_paused
from kg.viz.layout import network_positions
from kg.viz.palette import CATEGORIES, Palette
from kg.viz.select import _classes_text, _short, _type_label, category

#: A hub's neighbours sharing one role and linked to nothing else are drawn as one cluster node
#: ("86 signatories") when there are at least this many of them.
CLUSTER_MIN = 12
#: Lanes by actor: the actors with the most events get a lane each; the rest share one.
ACTOR_LANES = 20
_WIDTH = 28


@dataclass
class Model:
    """What a page draws: vis-network ``nodes``/``edges``/``options`` and the rest of its data."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)


def short(label: str) -> str:
    """A label cut to one line of at most 28 characters at a word boundary, for the drawing
    (the tooltip, the panel and the timeline show it whole)."""
    if len(label) <= _WIDTH:
        return label
    cut = label[: _WIDTH - 1]
    if label[_WIDTH - 1] != " " and " " in cut[_WIDTH // 2 :]:  # a word cut in two: left out
        cut = cut[: cut.rindex(" ")]
    return _ellipsis(cut)


def _ellipsis(cut: str) -> str:
    return cut.rstrip(" ,;:-") + "\u2026"


def _common(a: str, b: str) -> int:
    """The length of the longest common prefix of a and b."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def drawn_labels(labels: dict[str, str]) -> dict[str, str]:
    """Each node's label as drawn: :func:`short`, except where that would give different labels
    the same text ("Amnesty International…" for five nodes): those are cut just past the first
    word that tells each apart from the others, "Amnesty International regional…"."""
    drawn = {n: short(label) for n, label in labels.items()}
    while True:  # each round lengthens a label: bounded, a round or two in practice
        groups: dict[str, set[str]] = {}
        for n, text in drawn.items():
            groups.setdefault(text, set()).add(labels[n])
        clashes = {text: sorted(full) for text, full in groups.items() if len(full) > 1}
        if not clashes:
            return drawn
        cut: dict[str, str] = {}
        for full in clashes.values():  # sorted: a label shares most with a neighbour
            for i, label in enumerate(full):
                apart = max(_common(label, other) for other in full[max(i - 1, 0) : i + 2] if other != label)
                end = label.find(" ", apart + 1)
                cut[label] = label if end < 0 else _ellipsis(label[:end])
        longer = {n: cut[labels[n]] for n, text in drawn.items() if text in clashes and len(cut[labels[n]]) > len(text)}
        if not longer:  # only labels that read alike whatever the cut (one ends in "…" itself)
            return drawn
        drawn.update(longer)


def plural(word: str, n: int) -> str:
    """``86 signatories``, ``12 addressees``, ``15 members of``."""
    if n == 1:
        return f"1 {word}"
    head, _, tail = word.partition(" ")
    if head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    elif head.endswith(("s", "x", "ch", "sh")):
        head += "es"
    else:
        head += "s"
    return f"{n} {head}" + (f" {tail}" if tail else "")


def _begin(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _node_facts(G: Any) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for n, d in G.nodes(data=True):
        cat = category(d)
        nodes[str(n)] = {
            "label": " ".join(str(d.get("label") or _short(n)).split()),
            "cat": cat,
            "cls": _classes_text(d),
            "type": _type_label(d.get("type")) if cat == "event" else "",
            "edtf": str(d["edtf"]) if d.get("edtf") else "",
            "eb": str(d["earliest_begin"])[:10] if d.get("earliest_begin") else "",
            "lb": str(d["latest_begin"])[:10] if d.get("latest_begin") else "",
            "ee": str(d["earliest_end"])[:10] if d.get("earliest_end") else "",
            "le": str(d["latest_end"])[:10] if d.get("latest_end") else "",
        }
    return nodes


def _clusters(
    nodes: dict[str, dict[str, Any]], merged: dict[tuple[str, str], set[str]], neighbours: dict[str, set[str]]
) -> list[dict[str, Any]]:
    """Groups of leaves that share a hub and a role, large enough to crowd the drawing."""
    groups: dict[tuple[str, str], list[str]] = {}
    totals: dict[tuple[str, str], int] = {}
    for (u, v), labels in merged.items():
        for hub, other in ((u, v), (v, u)):
            for label in labels:
                if label:
                    totals[(hub, label)] = totals.get((hub, label), 0) + 1
                    if (
                        len(labels) == 1
                        and len(neighbours[other]) == 1
                        and hub in neighbours[other]
                        and len(neighbours[hub]) > 1
                    ):
                        groups.setdefault((hub, label), []).append(other)
    out: list[dict[str, Any]] = []
    taken: set[str] = set()
    for (hub, label), members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        members = sorted(m for m in members if m not in taken)
        if len(members) < CLUSTER_MIN:
            continue
        taken.update(members)
        total = totals[(hub, label)]
        out.append(
            {
                "id": f"cluster:{len(out)}",
                "hub": hub,
                "role": label,
                "label": plural(label, total),
                "members": members,
                "total": total,
                "apart": total - len(members),
            }
        )
    return out


def _items(
    nodes: dict[str, dict[str, Any]], neighbours: dict[str, set[str]], lanes: str, palette: Palette
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str] | None]:
    """vis-timeline items (a point for a day, a range for an interval or for the span an
    uncertain date may fall in), lanes, and the window the timeline opens on."""
    events = {n: d for n, d in nodes.items() if d["cat"] == "event" and _day(d["eb"])}
    if lanes == "actor":
        counts: dict[str, int] = {}
        for e in events:
            for m in neighbours[e]:
                if nodes[m]["cat"] in ("person", "organisation"):
                    counts[m] = counts.get(m, 0) + 1
        ranked = sorted((a for a, c in counts.items() if c >= 2), key=lambda a: (-counts[a], nodes[a]["label"], a))
        rank = {a: i for i, a in enumerate(ranked[:ACTOR_LANES])}
        lane_of = {}
        for e in events:
            best = min((rank[m] for m in neighbours[e] if m in rank), default=None)
            lane_of[e] = ranked[best] if best is not None else ""
        names = {a: nodes[a]["label"] for a in rank} | {"": "other events"}
    else:
        lane_of = {e: d["type"] or "" for e, d in events.items()}
        names = {t: t or "no type" for t in lane_of.values()}
    window = None
    if events:  # the bulk of the events (from the 10th percentile on): a few old ones do not squeeze the rest
        begins = sorted(d["eb"] for d in events.values())
        first = _begin(begins[int(0.1 * (len(begins) - 1))] if len(begins) >= 10 else begins[0])
        last = max(max(x for x in (_begin(d["eb"]), _day(d["lb"]), _day(d["le"])) if x) for d in events.values())
        pad = dt.timedelta(days=max(7, (last - first).days // 40))
        window = [(first - pad).isoformat(), (last + pad).isoformat()]
    # lanes in the order of their first event in that window; lanes with none in it come last
    firsts: dict[str, tuple[bool, str]] = {}
    for e, d in events.items():
        key = (window is not None and d["eb"] < window[0], d["eb"])
        if lane_of[e] not in firsts or key < firsts[lane_of[e]]:
            firsts[lane_of[e]] = key
    order = sorted(firsts, key=lambda k: (k == "", firsts[k], names[k]))
    groups = [
        {
            "id": k or "-",
            "content": "",
            "kgLabel": names[k],
            "order": i,
            "kgColor": palette[k] if lanes == "type" else "",
        }
        for i, k in enumerate(order)
    ]
    items = []
    for e in sorted(events):
        d = events[e]
        eb = _begin(d["eb"])
        lb = _day(d["lb"]) or eb
        end = max(x for x in (lb, _day(d["ee"]), _day(d["le"]), eb) if x)
        uncertain = lb != eb or d["ee"] != d["le"]
        item: dict[str, Any] = {"id": e, "content": "", "start": d["eb"], "group": lane_of[e] or "-"}
        if end > eb or uncertain:
            item.update(type="range", end=(end + dt.timedelta(days=1)).isoformat())
        else:
            item["type"] = "point"
        item["className"] = "kg-uncertain" if uncertain else "kg-certain"
        item["style"] = f"--kg-colour:{palette[d['type']]}"
        items.append(item)
    return items, groups, window


@collector_paused()
def build(G: Any, *, lanes: str = "type", palette: Palette | None = None) -> Model:
    """The page model of a projected graph (nodes with ``label``, ``kind``/``class``, ``type``
    and date bounds; edges with ``label``); parallel edges are merged and their labels joined."""
    palette = palette or Palette()
    nodes = _node_facts(G)
    merged: dict[tuple[str, str], set[str]] = {}
    for u, v, d in G.edges(data=True):
        label = str(d.get("label") or "")
        if d.get("kind") == "membership" and d.get("role"):
            label += f" ({d['role']})"
        merged.setdefault((str(u), str(v)), set()).add(" ".join(label.split()))
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for u, v in merged:
        if u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    clusters = _clusters(nodes, merged, neighbours)
    ids = sorted(nodes)
    positions = network_positions(ids, sorted(merged), clusters)
    huge = len(ids) > 2000

    drawn = drawn_labels({n: nodes[n]["label"] for n in ids})
    vis_nodes = []
    for n in ids:
        d = nodes[n]
        colour = palette[d["type"]] if d["cat"] == "event" else CATEGORIES[d["cat"]][1]
        node: dict[str, Any] = {
            "id": n,
            "label": drawn[n],
            "kgLabel": d["label"],
            "group": d["cat"],
            "value": max(len(neighbours[n]), 1),
            "title": _tooltip(d),
            "kgCat": d["cat"],
            "x": positions[n][0],
            "y": positions[n][1],
        }
        if d["cat"] == "event":
            node["color"] = {"background": colour, "border": "#333333", "highlight": {"background": colour}}
        for key in ("cls", "type", "edtf", "eb", "lb", "ee", "le"):
            if d[key]:
                node["kg" + key.capitalize()] = d[key]
        if d["cat"] == "event" and ((d["eb"] and d["lb"] and d["eb"] != d["lb"]) or d["ee"] != d["le"]):
            node["kgUncertain"] = True
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["borderWidth"] = 2
        vis_nodes.append(node)
    vis_edges = [
        {"id": f"e{i}", "from": u, "to": v, "label": ", ".join(sorted(x for x in labels if x))}
        for i, ((u, v), labels) in enumerate(sorted(merged.items()))
    ]
    items, groups, window = _items(nodes, neighbours, lanes, palette)
    counts = Counter(d["cat"] for d in nodes.values())
    types = Counter(d["type"] or "no type" for d in nodes.values() if d["cat"] == "event")
    cats = sorted(counts, key=list(CATEGORIES).index)
    dated = [d for d in nodes.values() if d["cat"] == "event" and d["eb"]]
    data = {
        "clusters": clusters,
        "items": items,
        "groups": groups,
        "window": window,
        "lanesBy": lanes,
        "categories": [
            {"key": c, "label": CATEGORIES[c][0], "color": CATEGORIES[c][1], "glyph": CATEGORIES[c][3]} for c in cats
        ],
        "counts": {c: counts[c] for c in cats},
        "eventTypes": [{"label": t, "count": types[t], "color": palette[t]} for t in sorted(types)],
        "dateRange": [min(d["eb"] for d in dated), max(max(d["eb"], d["lb"], d["le"]) for d in dated)]
        if dated
        else None,
    }
    return Model(vis_nodes, vis_edges, options(huge), data)


def _tooltip(d: dict[str, Any]) -> str:
    what = CATEGORIES[d["cat"]][0] + (f" \u00b7 {d['type']}" if d.get("type") else "")
    return d["label"] + "\n" + what + (f" \u00b7 {d['edtf']}" if d.get("edtf") else "")


def options(huge: bool) -> dict[str, Any]:
    """vis-network options: shapes and colours by class, labels sized by the page (level of
    detail), straight edges, physics off (the positions are computed here)."""
    groups = {
        cat: {
            "shape": shape,
            "color": {"background": colour, "border": "#333333", "highlight": {"background": colour, "border": "#000"}},
        }
        for cat, (_, colour, shape, _) in CATEGORIES.items()
    }
    return {
        "groups": groups,
        "nodes": {
            "scaling": {"min": 9, "max": 36, "label": {"enabled": False, "drawThreshold": 9, "maxVisible": 40}},
            "font": {  # 0.5 px: no label is drawn until the page gives it a size (level of detail)
                "size": 0.5,
                "face": "system-ui, sans-serif",
                "strokeWidth": 0 if huge else 3,
                "strokeColor": "#ffffff",
                "color": "#1a1a1a",
            },
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "color": {"color": "#a8a8a8", "highlight": "#222222", "inherit": False},
            "font": {"size": 0.5, "align": "middle", "color": "#444444", "strokeWidth": 0 if huge else 3},
            "scaling": {"label": {"drawThreshold": 9}},
            "width": 1,
            "smooth": False,
        },
        "interaction": {
            "hover": not huge,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": huge,
            "hideEdgesOnZoom": huge,
            "navigationButtons": False,
            "keyboard": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": False},
    }
