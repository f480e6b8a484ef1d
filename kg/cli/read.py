"""`kg timeline`, `kg show` and `kg stats`: reading the record."""

from __future__ import annotations

import click

from kg.cli.common import emit, graph_of
from kg.errors import UsageError

TIMELINE_FORMATS = ("table", "csv", "json", "md")


@click.command()
@click.option("--from", "start", metavar="YYYY-MM-DD", help="Events whose begin may fall on or after this day.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Events whose begin may fall on or before this day.")
@click.option("--actor", help="Only events of this actor (id, name or alternative name, any case).")
@click.option("--type", "type_", metavar="TYPE", help="Only events of this type or a narrower one.")
@click.option("--format", "fmt", default="table", type=click.Choice(TIMELINE_FORMATS))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file (atomically).")
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
    plot: str | None,
) -> None:
    """The events in order of their earliest begin, with dates, types, actors and sources.

    \b
    kg timeline --from 2020-05-01 --to 2020-07-31
    kg timeline --actor "Amnesty International" --plot amnesty.svg
    """
    from kg.explore.timeline import table_rows
    from kg.sparql import markdown, rows_to_csv, table, to_json

    if plot and not plot.lower().endswith((".svg", ".pdf", ".png")):
        raise UsageError(f"--plot: cannot draw {plot!r}: give a file ending in .svg, .pdf or .png")
    events = graph_of(ctx).timeline(start=start, end=end, actor=actor, type=type_)
    if plot:
        from kg.viz.plot import plot_timeline

        plot_timeline(events, plot)
        click.echo(f"wrote {plot} ({len(events)} event{'s' if len(events) != 1 else ''})", err=True)
        return
    if fmt == "json":
        emit(to_json(events), output)
        return
    headers, rows = table_rows(events, max_actors=0 if fmt == "csv" else 4)
    render = {"table": table, "md": markdown, "csv": rows_to_csv}[fmt]
    emit(render(headers, rows), output)


@click.command()
@click.argument("name")
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json"]))
@click.pass_context
def show(ctx: click.Context, name: str, fmt: str) -> None:
    """Everything about one actor, event, place or source, with the quotes behind it."""
    from kg.explore.show import render
    from kg.sparql import to_json

    info = graph_of(ctx).show(name)
    click.echo(to_json(info) if fmt == "json" else render(info), nl=False)


@click.command()
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json"]))
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Counts by class, event type, source and date precision."""
    from kg.explore.stats import render
    from kg.sparql import to_json

    info = graph_of(ctx).stats()
    click.echo(to_json(info) if fmt == "json" else render(info), nl=False)
