"""`kg network`: network analysis of the actor network."""

from __future__ import annotations

from typing import Any

import click

from kg.cli.common import Group, emit, graph_of

NETWORK_FORMATS = ("table", "csv", "json")


def _network_options(func: Any) -> Any:
    """--from, --to and --format, shared by the `kg network` commands."""
    func = click.option("--format", "fmt", default="table", type=click.Choice(NETWORK_FORMATS), show_default=True)(func)
    func = click.option(
        "--to", "end", metavar="YYYY-MM-DD", help="Only events whose begin may fall on or before this day."
    )(func)
    return click.option(
        "--from", "start", metavar="YYYY-MM-DD", help="Only events whose begin may fall on or after this day."
    )(func)


def _rows_out(rows: list[dict[str, Any]], columns: list[str], fmt: str, data: Any = None) -> None:
    from kg.sparql import rows_to_csv, table, to_json

    if fmt == "json":
        emit(to_json(rows if data is None else data))
        return
    cells = [
        ["; ".join(map(str, r[c])) if isinstance(r[c], list) else ("" if r[c] is None else str(r[c])) for c in columns]
        for r in rows
    ]
    emit(table(columns, cells) if fmt == "table" else rows_to_csv(columns, cells))


@click.group(cls=Group)
def network() -> None:
    """Network analysis: who acts with whom, who brokers, how the network changes over time.

    \b
    kg network stats                                   size, components, density, by class
    kg network central --measure betweenness --top 10  ranked actors, with scores
    kg network path "Human Rights Watch" "Li Zhanshu"  shortest connections, hop by hop
    kg network communities --seed 1                    groups of actors that act together

    Each takes --from/--to (YYYY-MM-DD) to limit the events, and --format table|csv|json.
    Actors are linked when they take part in the same event (any role); the full graph of
    events, actors and places is `kg export --format graphml` or `gexf`.
    """


@network.command("stats")
@_network_options
@click.pass_context
def network_stats(ctx: click.Context, start: str | None, end: str | None, fmt: str) -> None:
    """Nodes, edges, components and density of the network, by kind, class and edge label."""
    from kg.network import stats as network_stats_

    info = network_stats_(graph_of(ctx), start=start, end=end)
    rows = []
    for key, value in info.items():
        if isinstance(value, dict):
            rows += [{"measure": f"{key}.{k}", "value": v} for k, v in value.items()]
        else:
            rows.append({"measure": key, "value": value})
    _rows_out([r for r in rows if r["value"] is not None], ["measure", "value"], fmt, info)


@network.command("central")
@click.option(
    "--measure",
    default="degree",
    show_default=True,
    type=click.Choice(["degree", "betweenness", "eigenvector", "pagerank"]),
    help="Centrality of the actor network (eigenvector and pagerank weigh shared events).",
)
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many actors to list.")
@_network_options
@click.pass_context
def network_central(ctx: click.Context, measure: str, top: int, start: str | None, end: str | None, fmt: str) -> None:
    """The most central actors, ranked, with their scores.

    \b
    kg network central --measure betweenness --top 10
    kg network central --to 2020-06-29 --format csv     before the security law took effect
    kg network central --from 2020-06-30 --format csv   from the day it took effect
    """
    from kg.network import centrality

    rows = centrality(graph_of(ctx), measure, top=top, start=start, end=end)
    _rows_out(rows, ["rank", "label", "kind", "score", "degree", "events", "id"], fmt)


@network.command("path")
@click.argument("a")
@click.argument("b")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(min=1), help="At most this many paths.")
@click.option(
    "--through-places", is_flag=True, help="Also connect through places (by default only through events and actors)."
)
@_network_options
@click.pass_context
def network_path(
    ctx: click.Context, a: str, b: str, limit: int, through_places: bool, start: str | None, end: str | None, fmt: str
) -> None:
    """The shortest connections between A and B (actors, events or places), explained hop by hop.

    \b
    kg network path "Human Rights Watch" "Li Zhanshu"
    kg network path HRW NPCSC --format json
    """
    from kg.network import paths

    through = ("event", "person", "organisation") + (("place",) if through_places else ())
    found = paths(graph_of(ctx), a, b, limit=limit, start=start, end=end, through=through)
    if fmt == "table":
        out = []
        for i, hops in enumerate(found, 1):
            out.append(f"path {i} ({len(hops)} hop{'s' if len(hops) != 1 else ''}):")
            out += [f"  {j}. {h['text']}" for j, h in enumerate(hops, 1)]
        emit("\n".join(out) + "\n")
        return
    rows = [
        {
            "path": i,
            "hop": j,
            **{k: h[k] for k in ("from", "from_label", "to", "to_label", "text")},
            "labels": [e["label"] for e in h["edges"]],
        }
        for i, hops in enumerate(found, 1)
        for j, h in enumerate(hops, 1)
    ]
    whole = [{"path": i, "hops": hops} for i, hops in enumerate(found, 1)]
    _rows_out(rows, ["path", "hop", "from", "to", "labels", "text"], fmt, whole)


@network.command("communities")
@click.option(
    "--seed", default=1, show_default=True, type=int, help="Random seed of Louvain: the same seed, the same groups."
)
@click.option(
    "--resolution", default=1.0, show_default=True, type=float, help="Above 1: smaller groups; below 1: larger."
)
@_network_options
@click.pass_context
def network_communities(
    ctx: click.Context, seed: int, resolution: float, start: str | None, end: str | None, fmt: str
) -> None:
    """Groups of actors that act together (Louvain communities of the actor network)."""
    from kg.network import communities

    rows = communities(graph_of(ctx), seed=seed, resolution=resolution, start=start, end=end)
    if fmt == "table":
        more = lambda xs, n: xs[:n] + ([f"+{len(xs) - n} more"] if len(xs) > n else [])  # noqa: E731
        rows = [r | {"members": more(r["members"], 6), "events": more(r["events"], 3)} for r in rows]
        _rows_out(rows, ["community", "size", "members", "events"], fmt)
        return
    _rows_out(rows, ["community", "size", "members", "ids", "events"], fmt)


@network.command("components")
@_network_options
@click.pass_context
def network_components(ctx: click.Context, start: str | None, end: str | None, fmt: str) -> None:
    """The connected parts of the graph of events, actors and places, largest first."""
    from kg.network import components

    rows = components(graph_of(ctx), start=start, end=end)
    if fmt == "table":
        rows = [r | {"members": r["members"][:5] + ([f"+{r['size'] - 5} more"] if r["size"] > 5 else [])} for r in rows]
    _rows_out(rows, ["component", "size", "events", "actors", "places", "members"], fmt)
