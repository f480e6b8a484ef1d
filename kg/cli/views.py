"""`kg viz`: the browser views."""

from __future__ import annotations

import click

from kg.cli.common import graph_of


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="HTML file to write (atomically); '-' for stdout. Default: network.html, timeline.html or map.html.",
)
@click.option(
    "--layout",
    default="network",
    show_default=True,
    type=click.Choice(["network", "timeline", "map"]),
    help="network: the network and, below it, the timeline (linked); timeline: the same page, the "
    "timeline larger; map: events at their places' coordinates on a world map (offline).",
)
@click.option("--ego", metavar="NAME", help="Only what lies within --depth steps of this actor, event or place.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(min=0), help="Steps from --ego.")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="Events whose begin may fall on or after this day.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Events whose begin may fall on or before this day.")
@click.option(
    "--type", "types", multiple=True, metavar="TYPE", help="Only events of this type or a narrower one (repeatable)."
)
@click.option(
    "--query",
    "query_file",
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE.rq",
    help="Draw what a SPARQL CONSTRUCT (its triples) or SELECT (the resources in its rows) returns.",
)
@click.option("--sources", is_flag=True, help="Draw the source documents too (hidden by default).")
@click.option(
    "--lanes",
    default="type",
    show_default=True,
    type=click.Choice(["type", "actor"]),
    help="Timeline lanes: by event type or by actor.",
)
@click.option(
    "--node-limit",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Refuse views with more nodes than this (default 20000).",
)
@click.pass_context
def viz(
    ctx: click.Context,
    output: str | None,
    layout: str,
    ego: str | None,
    depth: int,
    start: str | None,
    end: str | None,
    types: tuple[str, ...],
    query_file: str | None,
    sources: bool,
    lanes: str,
    node_limit: int | None,
) -> None:
    """Draw the graph as an interactive page: the network and the timeline, linked, in one
    self-contained HTML file that works offline.

    \b
    kg viz -o export/network.html
    kg viz --layout timeline -o export/timeline.html
    kg viz --ego "Amnesty International" --depth 2 -o amnesty.html
    kg viz --from 2020-05-01 --to 2020-07-31 --type "open letter" -o june2020.html
    kg viz --query my-subgraph.rq -o sub.html
    kg viz --layout map -o map.html
    """
    from pathlib import Path

    from kg.viz import view

    result = view(
        graph_of(ctx),
        layout=layout,
        ego=ego,
        depth=depth,
        start=start,
        end=end,
        types=list(types),
        query=Path(query_file) if query_file else None,
        include_sources=sources,
        lanes=lanes,
        node_limit=node_limit,
    )
    target = output or f"{layout}.html"
    what = f"{result.nodes} nodes, {result.edges} edges"
    if layout == "map":
        x = result.extra
        what = f"{x['markers']} events at {x['places']} places, {x['unplaced']} without coordinates; " + what
    if target == "-":
        click.get_binary_stream("stdout").write(result.html.encode("utf-8"))
        click.echo(what, err=True)
        return
    result.write(target)
    click.echo(f"wrote {target}: {layout} of {what}")
