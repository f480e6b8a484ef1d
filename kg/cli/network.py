"""`kg network`: network analysis of the actor network."""

from __future__ import annotations

from typing import Any

import click

from kg.cli.common import Group, date_range_options, emit, emit_rows, graph_of, output_file_option, output_options

NETWORK_EXPORTS = ("graphml", "gexf", "nodes-csv", "edges-csv")


def _role_options(func: Any) -> Any:
    """--roles and --exclude-roles: which participations link actors."""
    func = click.option(
        "--exclude-roles",
        metavar="ROLE,...",
        help="Leave out these participations (e.g. addressee: an open letter no longer links its "
        "signatories to the person it is addressed to).",
    )(func)
    return click.option(
        "--roles",
        metavar="ROLE,...",
        help="Only these participations link actors (e.g. signatory: signatory-signatory ties). "
        "'actor' is an actor without a role. Default: every role.",
    )(func)


def _cells(rows: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    return [["; ".join(map(str, r[c])) if isinstance(r[c], list) else r[c] for c in columns] for r in rows]


def _more(items: list[str], shown: int) -> list[str]:
    return items[:shown] + ([f"+{len(items) - shown} more"] if len(items) > shown else [])


@click.group(cls=Group)
def network() -> None:
    """Network analysis: who acts with whom, who brokers, how the network changes over time.

    \b
    kg network stats                              size, components, density
    kg network central --measure betweenness      ranked actors, with scores
    kg network central --split-at EVENT           before and from an event
    kg network central --window 6M --top 3        one ranking per six months
    kg network central --exclude-roles addressee  ties without addressees
    kg network path "Human Rights Watch" NPCSC    shortest connections
    kg network communities --seed 1               groups that act together
    kg network export --bipartite -o ae.graphml   the actor-event network

    Each takes --from/--to (YYYY-MM-DD) to limit the events. Actors are linked when they take
    part in the same event, in any role unless --roles/--exclude-roles say otherwise.
    """


@network.command("stats")
@date_range_options
@_role_options
@output_options()
@click.pass_context
def network_stats(
    ctx: click.Context,
    start: str | None,
    end: str | None,
    roles: str | None,
    exclude_roles: str | None,
    fmt: str,
    output: str | None,
    width: int | None,
) -> None:
    """Nodes, edges, components and density of the network, by kind, class and edge label.

    `edges` counts one edge per role, relation or membership (as the exports and by_edge do);
    `linked_pairs` counts the pairs of nodes with at least one edge, which is what `kg viz`
    draws: one line per pair, its labels joined.
    """
    from kg.network import stats as network_stats_

    info = network_stats_(graph_of(ctx), start=start, end=end, roles=roles, exclude_roles=exclude_roles)
    rows = []
    for key, value in info.items():
        if isinstance(value, dict):
            rows += [[f"{key}.{k}", v] for k, v in value.items()]
        elif value is not None:
            rows.append([key, value])
    emit_rows(["measure", "value"], rows, fmt, output, width, data=info, keep=[1])


@network.command("central")
@click.option(
    "--measure",
    default="degree",
    show_default=True,
    type=click.Choice(["degree", "betweenness", "eigenvector", "pagerank"]),
    help="Centrality of the actor network (eigenvector and pagerank weigh shared events).",
)
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many actors to list.")
@click.option(
    "--window", metavar="SPAN", help="One ranking per window of this span: a count and D, W, M or Y (6M, 1Y)."
)
@click.option(
    "--split-at",
    multiple=True,
    metavar="EVENT|DATE",
    help="One ranking before and one from the day an event begins (repeatable).",
)
@date_range_options
@_role_options
@output_options()
@click.pass_context
def network_central(
    ctx: click.Context,
    measure: str,
    top: int,
    window: str | None,
    split_at: tuple[str, ...],
    start: str | None,
    end: str | None,
    roles: str | None,
    exclude_roles: str | None,
    fmt: str,
    output: str | None,
    width: int | None,
) -> None:
    """The most central actors, ranked, with their scores (the column is named by the measure;
    co-actors is the number of actors one shares an event with).

    \b
    kg network central --measure betweenness --top 10
    kg network central --split-at national-security-law-takes-effect
    kg network central --window 6M --from 2019-01-01 --top 3
    kg network central --measure betweenness --exclude-roles addressee
    kg network central --roles signatory --format csv

    With --window or --split-at, the first column names each window as an EDTF interval
    (2020-06-30/.. is from 30 June 2020 on); an event whose begin is uncertain across a
    boundary counts in both windows.
    """
    from kg.network import central_windows, centrality

    graph = graph_of(ctx)
    columns = ["rank", "label", "kind", measure, "co-actors", "events", "id"]
    if window or split_at:
        rows = central_windows(
            graph,
            measure,
            top,
            every=window,
            split_at=split_at,
            start=start,
            end=end,
            roles=roles,
            exclude_roles=exclude_roles,
        )
        columns = ["window", *columns[:-1]] if fmt == "table" else ["window", *columns]  # ids fit no 80 columns
    else:
        rows = centrality(graph, measure, top=top, start=start, end=end, roles=roles, exclude_roles=exclude_roles)
    named = [{**r, measure: r["score"], "co-actors": r["degree"]} for r in rows]
    keep = [i for i, c in enumerate(columns) if c in ("window", "rank", measure, "co-actors", "events")]
    emit_rows(columns, _cells(named, columns), fmt, output, width, data=rows, keep=keep, main=columns.index("label"))


@network.command("path")
@click.argument("a")
@click.argument("b")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(min=1), help="At most this many paths.")
@click.option(
    "--through-places", is_flag=True, help="Also connect through places (by default only through events and actors)."
)
@date_range_options
@output_options(("text", "table", "csv", "tsv", "json", "md"), default="text")
@click.pass_context
def network_path(
    ctx: click.Context,
    a: str,
    b: str,
    limit: int,
    through_places: bool,
    start: str | None,
    end: str | None,
    fmt: str,
    output: str | None,
    width: int | None,
) -> None:
    """The shortest connections between A and B (actors, events or places), explained hop by hop.

    \b
    kg network path "Human Rights Watch" "Li Zhanshu"
    kg network path HRW NPCSC --format json
    """
    from kg.network import paths

    through = ("event", "person", "organisation") + (("place",) if through_places else ())
    found = paths(graph_of(ctx), a, b, limit=limit, start=start, end=end, through=through)
    if fmt == "text":
        out = []
        for i, hops in enumerate(found, 1):
            out.append(f"path {i} ({len(hops)} hop{'s' if len(hops) != 1 else ''}):")
            out += [f"  {j}. {h['text']}" for j, h in enumerate(hops, 1)]
        emit("\n".join(out) + "\n", output)
        return
    rows = [
        {"path": i, "hop": j, **h, "labels": [e["label"] for e in h["edges"]]}
        for i, hops in enumerate(found, 1)
        for j, h in enumerate(hops, 1)
    ]
    whole = [{"path": i, "hops": hops} for i, hops in enumerate(found, 1)]
    columns = ["path", "hop", "from", "to", "labels", "text"]
    emit_rows(columns, _cells(rows, columns), fmt, output, width, data=whole, keep=[0, 1])


@network.command("communities")
@click.option(
    "--seed", default=1, show_default=True, type=int, help="Random seed of Louvain: the same seed, the same groups."
)
@click.option(
    "--resolution", default=1.0, show_default=True, type=float, help="Above 1: smaller groups; below 1: larger."
)
@date_range_options
@_role_options
@output_options()
@click.pass_context
def network_communities(
    ctx: click.Context,
    seed: int,
    resolution: float,
    start: str | None,
    end: str | None,
    roles: str | None,
    exclude_roles: str | None,
    fmt: str,
    output: str | None,
    width: int | None,
) -> None:
    """Groups of actors that act together (Louvain communities of the actor network).

    The table lists the first members and events of each group; csv, tsv, json and md give
    them all, with the actors' ids.
    """
    from kg.network import communities

    rows = communities(
        graph_of(ctx), seed=seed, resolution=resolution, start=start, end=end, roles=roles, exclude_roles=exclude_roles
    )
    if fmt == "table":
        shown = [r | {"members": _more(r["members"], 6), "events": _more(r["events"], 3)} for r in rows]
        columns = ["community", "size", "members", "events"]
        emit_rows(columns, _cells(shown, columns), fmt, output, width, data=rows, keep=[0, 1])
        return
    columns = ["community", "size", "members", "ids", "events"]
    emit_rows(columns, _cells(rows, columns), fmt, output, width, data=rows)


@network.command("components")
@date_range_options
@output_options()
@click.pass_context
def network_components(
    ctx: click.Context, start: str | None, end: str | None, fmt: str, output: str | None, width: int | None
) -> None:
    """The connected parts of the graph of events, actors and places, largest first."""
    from kg.network import components

    rows = components(graph_of(ctx), start=start, end=end)
    shown = [r | {"members": _more(r["members"], 5)} for r in rows] if fmt == "table" else rows
    columns = ["component", "size", "events", "actors", "places", "members"]
    emit_rows(columns, _cells(shown, columns), fmt, output, width, data=rows, keep=[0, 1, 2, 3, 4])


@network.command("export")
@click.option(
    "--bipartite",
    is_flag=True,
    help="Only the actor-event network: events and actors, one edge per role (event -> actor).",
)
@click.option("--sources", is_flag=True, help="Add the source documents (not with --bipartite).")
@click.option(
    "--format",
    "fmt",
    default="graphml",
    show_default=True,
    type=click.Choice(NETWORK_EXPORTS),
    help="GraphML, dynamic GEXF 1.2, or the node or edge list as CSV.",
)
@output_file_option
@date_range_options
@_role_options
@click.pass_context
def network_export(
    ctx: click.Context,
    bipartite: bool,
    sources: bool,
    fmt: str,
    output: str | None,
    start: str | None,
    end: str | None,
    roles: str | None,
    exclude_roles: str | None,
) -> None:
    """The network of events, actors and places, or (--bipartite) the actor-event network, as a file
    for Gephi, Cytoscape, igraph or networkx.

    \b
    kg network export --bipartite -o actors-events.graphml
    kg network export --bipartite --roles signatory --format gexf -o sign.gexf
    kg network export --from 2020-06-30 --format edges-csv -o edges.csv

    Nodes and edges carry the attributes of `kg export --format graphml`: in the bipartite
    network `kind` tells events from actors (person, organisation) and each edge's `role`
    says how the actor took part. --roles/--exclude-roles choose the participations kept.
    """
    from kg.errors import UsageError
    from kg.export import formats
    from kg.network import bipartite as actor_event
    from kg.network import project

    graph = graph_of(ctx)
    if bipartite:
        if sources:
            raise UsageError("--sources adds documents to the full network: leave out --bipartite")
        G = actor_event(graph, start=start, end=end, roles=roles, exclude_roles=exclude_roles)
    else:
        if roles or exclude_roles:
            raise UsageError(
                "--roles and --exclude-roles choose participations of the actor-event network: add --bipartite"
            )
        G = project(graph, start=start, end=end, include_sources=sources)
    emit(getattr(formats, fmt.replace("-", "_"))(G), output)
