"""A static, publication-quality timeline figure (SVG, PDF or PNG) with matplotlib.

One row per event, in date order: a marker at the earliest begin, a bar over the date's bounds
(hatched where the date is uncertain rather than a duration), the label beside it, colour by
event type with a legend, year and month gridlines. Needs the ``plot`` extra
(``pip install 'hk-timeline-kg[plot]'``). The files are byte-stable: no dates or random ids in
the metadata.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.viz.palette import Palette

FORMATS = ("svg", "pdf", "png")


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def _begin(event: dict[str, Any]) -> dt.date:
    """An event's earliest begin (every event of a timeline has one)."""
    return dt.date.fromisoformat(str(event["earliest_begin"])[:10])


def _short(text: str, width: int = 72) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _segments(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """The stretches of time the axis shows: the whole range, or two when a long empty gap
    (over half the range and over two years) separates early events from the rest."""
    first = min(a for a, _ in spans)
    last = max(b for _, b in spans)
    ordered = sorted(spans)
    best, reach = None, ordered[0][1]
    for a, b in ordered[1:]:
        gap = (a - reach).days
        if gap > 730 and gap > 0.5 * (last - first).days and (best is None or gap > best[2]):
            best = (reach, a, gap)
        reach = max(reach, b)
    if best is None:
        return [(first, last)]
    return [(first, best[0]), (best[1], last)]


def _ticks(ax: Any, days: int, year: bool = False) -> None:
    """Week ticks for a few months, month ticks up to a year and a half, years beyond; ``year``:
    week ticks name the year too (a stretch of a broken axis, such as 1984's, says which)."""
    import matplotlib.dates as mdates

    if days <= 120:
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y" if year or days > 60 else "%d %b"))
        ax.xaxis.set_minor_locator(mdates.DayLocator())
    elif days <= 550:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=None if days <= 270 else (1, 4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.xaxis.set_minor_locator(mdates.MonthLocator())
    else:
        years = days / 365.25
        ax.xaxis.set_major_locator(mdates.YearLocator(base=1 if years < 12 else 5))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        if years < 6:
            ax.xaxis.set_minor_locator(mdates.MonthLocator())


def plot_timeline(
    events: list[dict[str, Any]],
    path: str | os.PathLike,
    *,
    title: str | None = None,
    palette: Palette | None = None,
    start: str | None = None,
    end: str | None = None,
    data: str = "Hong Kong 2019\u20132021",
) -> Path:
    """Draw ``events`` (as :func:`kg.explore.timeline.timeline` returns them) into ``path``; the format
    follows the extension (``.svg``, ``.pdf``, ``.png``). Written atomically.

    Event types take the colours of ``palette`` (:meth:`Palette.of` the graph, as the pages do);
    ``start`` and ``end`` (the filter's range) bound the axis, which then shows week or month
    ticks for a short range."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise UsageError(f"--plot: cannot draw {path.name!r}: give a file ending in .svg, .pdf or .png")
    if not events:
        raise UsageError("--plot: no event matches the filters, so there is nothing to draw")
    try:
        import matplotlib
    except ImportError:
        raise UsageError(
            "kg timeline --plot needs matplotlib: pip install 'hk-timeline-kg[plot]' (or pip install matplotlib)"
        ) from None
    matplotlib.use("Agg", force=True)
    import io

    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from kg import atomic
    from kg.about import __version__

    types = sorted({e["type"] or "no type" for e in events})
    colour = (palette or Palette()).types(set(types))
    n = len(events)
    rows: list[tuple[dict[str, Any], dt.date, dt.date, bool]] = []
    for e in events:
        eb = _begin(e)
        lb = _day(e["latest_begin"]) or eb
        stop = max(d for d in (lb, _day(e["latest_end"]), eb) if d)
        uncertain = lb != eb or (e.get("earliest_end") or None) != (e.get("latest_end") or None)
        rows.append((e, eb, stop, uncertain))
    lo_day, hi_day = _day(start), _day(end)
    if lo_day or hi_day:  # the filter's range: one stretch, the events cut to it
        first = lo_day or min(eb for _, eb, _, _ in rows)
        last = hi_day or max(e for _, _, e, _ in rows)
        segments: list[tuple[dt.date, dt.date]] = [(first, last)]
    else:
        segments = _segments([(eb, stop) for _, eb, stop, _ in rows])

    rc: dict[str, Any] = {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "svg.hashsalt": "hk-timeline-kg",
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.spines.left": False,
    }
    height = 1.6 + 0.2 * n
    with plt.rc_context(rc):  # type: ignore[arg-type]  # matplotlib types the keys as literals
        widths = [1.0] if len(segments) == 1 else [0.2, 0.8]  # the early stretch is compressed
        fig, axes = plt.subplots(
            1,
            len(segments),
            figsize=(11.0, height),
            dpi=200,
            sharey=True,
            layout="constrained",
            gridspec_kw={"width_ratios": widths, "wspace": 0.02},
            squeeze=False,
        )
        panels = list(axes[0])
        for ax, (lo, hi) in zip(panels, segments, strict=True):
            for i, (e, eb, stop, uncertain) in enumerate(rows):
                if stop < lo or eb > hi:  # drawn where its span meets this stretch of the axis
                    continue
                y = n - 1 - i
                c = colour[e["type"] or "no type"]
                if stop > eb:
                    ax.barh(
                        y,
                        (stop - eb).days + 1,
                        left=mdates.date2num(eb),
                        height=0.55,
                        color=c,
                        alpha=0.3 if uncertain else 0.6,
                        hatch="////" if uncertain else None,
                        edgecolor=c,
                        linewidth=0.6,
                    )
                ax.plot(
                    mdates.date2num(eb),
                    y,
                    marker="D",
                    markersize=4.5,
                    color=c,
                    markeredgecolor="#222222",
                    markeredgewidth=0.5,
                    markerfacecolor="white" if uncertain else c,
                    linestyle="none",
                )
            span = max((hi - lo).days, 7)
            pad = dt.timedelta(days=0 if (lo_day or hi_day) else max(8, span // 30))
            ax.set_xlim(mdates.date2num(lo - pad), mdates.date2num(hi + pad + dt.timedelta(days=1)))
            _ticks(ax, span, year=len(segments) > 1)
            ax.grid(axis="x", which="major", color="#9a9a9a", linewidth=0.7)
            ax.grid(axis="x", which="minor", color="#e6e6e6", linewidth=0.4)
            ax.set_axisbelow(True)
            ax.tick_params(axis="y", length=0)
            ax.tick_params(axis="x", which="major", labelsize=8)
        for left, right in zip(panels, panels[1:], strict=False):  # the axis is broken between two segments
            left.spines["right"].set_visible(False)
            for ax, x in ((left, 1), (right, 0)):
                ax.plot(
                    [x, x],
                    [0, 0],
                    transform=ax.transAxes,
                    marker=[(-1, -2), (1, 2)],
                    markersize=8,
                    color="#555555",
                    linestyle="none",
                    clip_on=False,
                    mew=1,
                )
        first_ax = panels[0]
        first_ax.set_ylim(-0.8, n - 0.2)
        first_ax.set_yticks(range(n))
        first_ax.set_yticklabels(
            [f"{_short(e['label'])}  ({e['edtf'] or eb.isoformat()})" for e, eb, _, _ in reversed(rows)], fontsize=7.5
        )
        for tick, (e, *_rest) in zip(first_ax.get_yticklabels(), reversed(rows), strict=True):
            tick.set_color("#111111")
            del e
        handles: list[Any] = [Patch(facecolor=colour[t], edgecolor=colour[t], label=t) for t in types]
        handles += [
            Line2D(
                [], [], marker="D", color="#444444", markerfacecolor="white", linestyle="none", label="uncertain date"
            ),
            Patch(facecolor="#cccccc", edgecolor="#777777", hatch="////", label="bounds of an uncertain date"),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncol=min(6, len(handles)), frameon=False, fontsize=7.5)
        first, last = segments[0][0], segments[-1][1]
        fig.suptitle(
            title
            or f"{data} timeline: {n} event{'s' if n != 1 else ''}, "
            + (f"{first.year}" if first.year == last.year else f"{first.year}\u2013{last.year}"),
            x=0.01,
            ha="left",
            fontsize=11,
            fontweight="bold",
        )
        metadata: dict[str, Any] = {"svg": {"Date": None, "Creator": f"hk-timeline-kg {__version__}"}}
        metadata["pdf"] = {"CreationDate": None, "ModDate": None, "Creator": f"hk-timeline-kg {__version__}"}
        metadata["png"] = {"Software": f"hk-timeline-kg {__version__}"}
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata=metadata[fmt])
        plt.close(fig)
    return atomic.write_bytes(path, buf.getvalue())
