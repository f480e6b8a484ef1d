"""The timeline as Knight Lab TimelineJS JSON, and a page that shows it offline in TimelineJS.

One slide per event, in a date window (by default the record's own period: events long before
it, such as the 1984 Joint Declaration, are listed on the title slide as background instead of
squeezing 2019-2021 into a sliver of the time navigation), grouped into rows by event type, by
main actor or not at all. Long lists of names (the 86 signatories) are folded, and sources are
cited by their titles, never by the corpus's file numbers.

:func:`page` inlines TimelineJS (npm ``@knight-lab/timelinejs``, pinned, carried in
``kg/export/static/timelinejs`` with its licence) and the JSON into one HTML file, with options
that leave room for the dense months of 2020: it opens from a file, with nothing fetched.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.about import TITLE
from kg.errors import UsageError
from kg.explore import evidence
from kg.explore.timeline import shown_date, timeline

if TYPE_CHECKING:
    from kg.backends import Backend

GROUPS = ("none", "type", "actor")
STATIC = Path(__file__).resolve().parent / "static" / "timelinejs"
#: TimelineJS options of :func:`page`: a time navigation tall and wide enough that the events
#: of June 2020 do not overlap, no web font, no "#event" in the address (and ``start_at_slide``:
#: :func:`start_slide`).
#: Nothing but what the page holds: no request can leave it.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; font-src data:; img-src data:"
PAGE_OPTIONS = {"font": None, "timenav_height_percentage": 45, "scale_factor": 4, "hash_bookmark": False}
#: Roles that make an actor the one an event is "of", first first (for --group-by actor).
MAIN_ROLES = ("authority", "organiser", "author", "speaker", "participant", "signatory", "subject", "target")
#: A list of more names than this is folded under its first few.
FOLD_AFTER = 8
#: Events that come before the rest by more than this many days are background.
BACKGROUND_GAP = 2 * 365

_COMMENTS = "SELECT ?event ?comment WHERE { ?event a sem:Event ; rdfs:comment ?comment }"
_FILES = "SELECT ?file ?title WHERE { ?s hk:fileName ?file ; dcterms:title ?title }"
_TEXT_NUMBER = re.compile(r"\b(?:corpus )?texts? (\d{3})\b")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _parts(edtf_part: str) -> tuple[dict[str, int], dict[str, int] | None, str] | None:
    """TimelineJS date objects for one side of an EDTF date, with only the parts its precision gives.

    ``2020-06-30`` gives year, month and day; ``2020-06`` year and month; ``2019`` the year;
    ``..`` (open) nothing. A set of days (``[2020-05-25..2020-06-18]``: one day, not known
    which) gives its first and last day, as a span, so that the slide stands where the day
    may fall. Also a human-readable rendering that says which of these it is.
    """
    from kg.curate.dates import parse

    text = edtf_part.strip()
    if text in ("", ".."):
        return None
    b = parse(text)
    eb, lb = b.earliest_begin, b.latest_begin
    if eb is None or lb is None:
        return None
    approx = "approximately " if b.precision == "approximate" else ""
    if eb == lb:
        return {"year": eb.year, "month": eb.month, "day": eb.day}, None, approx + _human(eb)
    if b.precision == "range":
        first, last = ({"year": d.year, "month": d.month, "day": d.day} for d in (eb, lb))
        return first, last, f"one day between {_human(eb)} and {_human(lb)}, not known which"
    if eb.year == lb.year and eb.month == lb.month:
        return {"year": eb.year, "month": eb.month}, None, f"{approx}{_MONTHS[eb.month - 1]} {eb.year}"
    if eb.year == lb.year and (eb.month, eb.day, lb.month, lb.day) == (1, 1, 12, 31):
        return {"year": eb.year}, None, f"{approx}{eb.year}"
    return {"year": eb.year}, None, f"{approx}{_human(eb)} – {_human(lb)}"


def _human(day: Any) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def timeline_dates(edtf: str) -> tuple[dict[str, int], dict[str, int] | None, str]:
    """``start_date``, ``end_date`` and ``display_date`` of a TimelineJS slide for an EDTF date.

    ``end_date`` is given for an interval with a known end, at that end's precision, and for
    a set of days (its last day); ``display_date`` says in words what is known.

    >>> timeline_dates("2021-06")
    ({'year': 2021, 'month': 6}, None, 'June 2021')
    >>> timeline_dates("2020-06-18/2020-06-20")[:2]
    ({'year': 2020, 'month': 6, 'day': 18}, {'year': 2020, 'month': 6, 'day': 20})
    >>> timeline_dates("2019/..")
    ({'year': 2019}, None, 'from 2019, end not known')
    """
    if "/" in edtf:
        first, _, second = edtf.partition("/")
        begin, end = _parts(first), _parts(second)
        if begin is None:
            raise ValueError(f"{edtf!r} has no begin")
        if end is None:
            return begin[0], None, f"from {begin[2]}, end not known"
        return begin[0], end[1] or end[0], f"{begin[2]} – {end[2]}"
    begin = _parts(edtf)
    if begin is None:
        raise ValueError(f"{edtf!r} has no begin")
    return begin


def cite_by_title(text: str, titles: dict[str, str]) -> str:
    """``text`` with the corpus's internal names ("text 004", "corpus text 000") replaced by the
    titles of those documents (``titles``: file number -> title); unknown numbers stay.

    >>> cite_by_title("which text 004 calls a treaty", {"004": "Amnesty to close"})
    'which “Amnesty to close” calls a treaty'
    """

    def title(m: re.Match[str]) -> str:
        found = titles.get(m.group(1))
        if found is None:
            return m.group(0)
        return found if found.startswith("[") else f"“{found}”"

    return _TEXT_NUMBER.sub(title, text)


def background_split(events: list[dict[str, Any]]) -> int:
    """How many of the first events (in date order) are background: those before the last gap
    of more than :data:`BACKGROUND_GAP` days between two events."""
    import datetime as dt

    cut = 0
    for i in range(1, len(events)):
        before = dt.date.fromisoformat(events[i - 1]["latest_begin"])
        if (dt.date.fromisoformat(events[i]["earliest_begin"]) - before).days > BACKGROUND_GAP:
            cut = i
    return cut


def main_actor(event: dict[str, Any]) -> str:
    """The actor an event is "of": the first in its strongest role (:data:`MAIN_ROLES`)."""
    for role in MAIN_ROLES:
        names = sorted(r["actor"] for r in event["roles"] if r["role"] == role)
        if names:
            return names[0]
    return event["actors"][0] if event["actors"] else "no actor named"


def _names(heading: str, names: list[str]) -> str:
    """A paragraph of names, folded under the first :data:`FOLD_AFTER` when longer."""
    esc = html.escape
    if len(names) <= FOLD_AFTER:
        return f"<p><b>{esc(heading)}:</b> {esc(', '.join(names))}</p>"
    first = esc(", ".join(names[:FOLD_AFTER]))
    return (
        f"<details><summary><b>{esc(heading)}:</b> {first} and {len(names) - FOLD_AFTER} more</summary>"
        f"<p>{esc(', '.join(names))}</p></details>"
    )


def timelinejs(
    graph: Backend,
    title: str = TITLE,
    group_by: str = "none",
    start: str | None = None,
    end: str | None = None,
) -> bytes:
    """The timeline as Knight Lab TimelineJS JSON (``new TL.Timeline(id, "timelinejs.json")``).

    One slide per event: ``start_date`` and, for intervals, ``end_date`` with only the date
    parts the precision gives (a month-precision event has no ``day``), a ``display_date``
    saying what the EDTF date means, ``text.headline`` (the label) and ``text.text`` (the
    description, the actors with their roles, and every quote with its source's title,
    HTML-escaped), ``group`` (with ``group_by`` ``type`` or ``actor``: the event type or its
    main actor, one row each in TimelineJS's time navigation) and ``unique_id`` (the event id).

    ``start``/``end`` (``YYYY-MM-DD``) keep the events whose begin may fall in that window.
    Without them, events long before the rest (:func:`background_split`) are listed on the
    title slide rather than given slides of their own.

    >>> import kg, json
    >>> doc = json.loads(timelinejs(kg.load()))
    >>> sorted(doc["events"][0])
    ['display_date', 'start_date', 'text', 'unique_id']
    """
    if group_by not in GROUPS:
        raise UsageError(f"--group-by {group_by!r}: use one of {', '.join(GROUPS)}")
    esc = html.escape
    events = timeline(graph, start=start, end=end)
    background = [] if start or end else events[: background_split(events)]
    events = events[len(background) :]
    titles = {r["file"][:3]: r["title"] for r in graph.select(_FILES)}
    quotes = evidence.quotes(graph, [e["iri"] for e in events])
    comments = {r["event"]: cite_by_title(r["comment"], titles) for r in graph.select(_COMMENTS)}
    slides = []
    for e in events:
        start_date, end_date, shown = timeline_dates(shown_date(e))
        body = []
        if comments.get(e["iri"]):
            body.append(f"<p>{esc(comments[e['iri']])}</p>")
        by_role: dict[str, list[str]] = defaultdict(list)
        for r in e["roles"]:
            by_role[r["role"]].append(r["actor"])
        with_role = {r["actor"] for r in e["roles"]}
        by_role["actor"] += [a for a in e["actors"] if a not in with_role]
        for role, names in sorted(by_role.items()):
            if names:
                unique = sorted(set(names))
                body.append(_names(role if len(unique) == 1 else f"{role} ({len(unique)})", unique))
        if e["places"]:
            body.append(f"<p><b>Place:</b> {esc(', '.join(e['places']))}</p>")
        cited = {(q.exact, q.title or q.source) for q in quotes.get(e["iri"], [])}
        for quote, source in sorted(cited, key=lambda q: (q[1], q[0])):
            body.append(f"<blockquote>“{esc(quote)}”<br><cite>{esc(source)}</cite></blockquote>")
        slide: dict[str, Any] = {"start_date": start_date}
        if end_date is not None:
            slide["end_date"] = end_date
        slide.update(display_date=shown, text={"headline": esc(e["label"]), "text": "\n".join(body)})
        if group_by != "none":
            slide["group"] = e["type"] if group_by == "type" else main_actor(e)
        slide["unique_id"] = e["id"]
        slides.append(slide)
    intro = (
        f"<p>{len(slides)} events of the hk-timeline-kg knowledge graph, each with the quotes from its "
        "sources. Dates show only what the sources say: a month when only the month is known.</p>"
    )
    if background:
        items = "".join(f"<li>{esc(timeline_dates(shown_date(e))[2])}: {esc(e['label'])}</li>" for e in background)
        intro += f"<p><b>Background:</b></p><ul>{items}</ul>"
    doc = {"title": {"text": {"headline": esc(title), "text": intro}}, "events": slides, "scale": "human"}
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def start_slide(slides: list[dict[str, Any]]) -> int:
    """The slide the page opens on: the first event known to the day (the first march, the
    bill's introduction), not the title slide, whose time navigation TimelineJS centres on the
    first event however vague ("2019"), and so opens on an empty half-screen of the year before.
    The title slide stays the start (TimelineJS's "back to start"). TimelineJS orders the
    slides by start date (a stable sort; a missing month or day counts as the first), the title
    slide being slide 0."""

    def key(slide: dict[str, Any]) -> tuple[int, int, int]:
        d = slide["start_date"]
        return d["year"], d.get("month", 1), d.get("day", 1)

    ordered = sorted(slides, key=key)
    return next((i + 1 for i, slide in enumerate(ordered) if "day" in slide["start_date"]), 0)


def page(graph: Backend, **options: Any) -> bytes:
    """One HTML file that shows :func:`timelinejs` (same ``options``) in TimelineJS, offline.

    TimelineJS's script, its style sheet (with its icon font as a data URL) and the timeline are
    inlined; the JSON is written so that no ``<`` can close the script element.
    """
    import base64

    data = json.loads(timelinejs(graph, **options))
    page_options = dict(PAGE_OPTIONS, start_at_slide=start_slide(data["events"]))
    font = base64.b64encode((STATIC / "tl-icons.woff2").read_bytes()).decode()
    css = (STATIC / "timeline.css").read_text(encoding="utf-8")
    css = re.sub(r"src:[^;]*tl-icons[^;]*;", "", css)
    css = css.replace(
        "font-family: 'tl-icons';",
        f"font-family: 'tl-icons'; src: url(data:font/woff2;base64,{font}) format('woff2');",
        1,
    )
    script = (STATIC / "timeline.js").read_text(encoding="utf-8").replace("</script", "<\\/script")

    def js(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")

    title = html.escape(data["title"]["text"]["headline"], quote=False)
    doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{title}</title>
<!-- TimelineJS 3.9.11, Knight Lab, Mozilla Public License 2.0 (npm @knight-lab/timelinejs) -->
<style>
{css}
html, body {{ height: 100%; margin: 0; }}
#timeline {{ width: 100%; height: 100%; }}
</style>
</head>
<body>
<div id="timeline"></div>
<script>
{script}
</script>
<script>
window.timeline = new TL.Timeline("timeline", {js(data)}, {js(page_options)});
</script>
</body>
</html>
"""
    return doc.encode("utf-8")
