"""`kg timeline`, `kg show` and `kg stats`: reading the record."""

from __future__ import annotations

import click

from kg.cli.common import ROW_FORMATS, emit, emit_rows, graph_of, output_options, table_width
from kg.errors import UsageError


@click.command()
@click.option("--from", "start", metavar="YYYY-MM-DD", help="Events whose begin may fall on or after this day.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Events whose begin may fall on or before this day.")
@click.option("--actor", help="Only events of this actor (id, name or alternative name, any case).")
@click.option("--type", "type_", metavar="TYPE", help="Only events of this type or a narrower one.")
@output_options()
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Draw a static figure instead: FILE.svg, .pdf or .png (needs the 'plot' extra: matplotlib).",
)
@click.pass_context
def timeline(
    ctx: click.Context,
    start: str | None,
    end: str | None,
    actor: str | None,
    type_: str | None,
    fmt: str,
    output: str | None,
    width: int | None,
    plot: str | None,
) -> None:
    """The events in order of their earliest begin, with dates, types, actors and sources.

    \b
    kg timeline --from 2020-05-01 --to 2020-07-31
    kg timeline --actor "Amnesty International" --plot amnesty.svg
    """
    from kg.explore.timeline import table_rows

    for option, value in (("--actor", actor), ("--type", type_)):
        if value is not None and not value.strip():
            raise UsageError(f"{option} needs a name; leave the option out to keep every event")
    if plot and not plot.lower().endswith((".svg", ".pdf", ".png")):
        raise UsageError(f"--plot: cannot draw {plot!r}: give a file ending in .svg, .pdf or .png")
    graph = graph_of(ctx)
    events = graph.timeline(start=start, end=end, actor=actor, type=type_)
    if plot:
        from kg.viz.evidence import data_name
        from kg.viz.palette import Palette
        from kg.viz.plot import plot_timeline

        plot_timeline(events, plot, palette=Palette.of(graph), start=start, end=end, data=data_name(graph))
        click.echo(f"wrote {plot} ({len(events)} event{'s' if len(events) != 1 else ''})", err=True)
        return
    headers, rows = table_rows(events, max_actors=4 if fmt == "table" else 0)
    emit_rows(headers, rows, fmt, output, width, data=list(events), keep=[0], main=1)


@click.command()
@click.argument("name")
@output_options(("text", "json", "md"), default="text")
@click.option(
    "--all", "full", is_flag=True, help="Print every fact, claimant, claim and quote (text, md fold long lists)."
)
@click.pass_context
def show(ctx: click.Context, name: str, fmt: str, output: str | None, width: int | None, full: bool) -> None:
    """Everything about one actor, event, place or source, with the quotes behind it.

    The text is wrapped at the terminal's width (or --width). Text and md give each claim once
    with its claimants and fold long lists to their first items and a count (--all prints every
    one); json always has everything.
    """
    from kg.explore.show import markdown, render
    from kg.sparql import to_json

    info = graph_of(ctx).show(name)
    if fmt == "json":
        emit(to_json(info), output)
    else:
        emit(markdown(info, full) if fmt == "md" else render(info, table_width(width, output), full), output)


@click.command()
@output_options(("text", *ROW_FORMATS), default="text")
@click.pass_context
def stats(ctx: click.Context, fmt: str, output: str | None, width: int | None) -> None:
    """What the graph holds (events, actors, claims, links, roles, quotes), and counts by class,
    event type, source and date precision."""
    from kg.explore.stats import render, rows

    info = graph_of(ctx).stats()
    if fmt == "text":
        emit(render(info), output)
    else:
        emit_rows(["group", "name", "count"], rows(info), fmt, output, width, data=info)
