"""The ``kg`` command: a thin layer over the Python API (``import kg``).

Each command parses its options, calls one library function and prints the result. Errors of
the library (:mod:`kg.errors`) are printed without a traceback and give the documented exit
codes. Heavy modules are imported inside the commands, so ``kg --help`` stays fast.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kg import __version__
from kg.errors import KGError, UsageError

TIMELINE_FORMATS = ("table", "csv", "json", "md")


class _Group(click.Group):
    """Turns the library's errors into a message on stderr and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # the reader (e.g. `head`) stopped reading: not an error
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            click.echo(f"Error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
            ctx.exit(6)


def _graph(ctx: click.Context):
    import kg

    obj = ctx.find_root().obj
    if "graph" not in obj:
        if obj.get("endpoint"):
            from kg.backends.endpoint import RemoteGraph

            obj["graph"] = RemoteGraph(obj["endpoint"])
        elif obj.get("store"):
            from kg.backends.store import open_store

            obj["graph"] = open_store(obj["store"], read_only=True)
        else:
            obj["graph"] = kg.load(obj.get("data"))
    return obj["graph"]


def _emit(text: str | bytes, output: str | None = None) -> None:
    if output:
        from kg import atomic

        atomic.write_bytes(output, text if isinstance(text, bytes) else text.encode())
        click.echo(f"wrote {output}", err=True)
    elif isinstance(text, bytes):
        click.get_binary_stream("stdout").write(text)
    else:
        click.echo(text, nl=False)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    envvar="KG_DATA",
    type=click.Path(file_okay=False),
    help="Data directory to use instead of the bundled data/ (also $KG_DATA).",
)
@click.option(
    "--store",
    envvar="KG_STORE",
    type=click.Path(file_okay=False),
    help="Work on an on-disk Oxigraph store (see `kg load`) instead of the bundled graph.",
)
@click.option(
    "--endpoint",
    envvar="KG_ENDPOINT",
    metavar="URL",
    help="Work on a SPARQL 1.1 endpoint (Oxigraph, Fuseki, Virtuoso, GraphDB...).",
)
@click.version_option(__version__, prog_name="kg")
@click.pass_context
def cli(ctx: click.Context, data: str | None, store: str | None, endpoint: str | None) -> None:
    """Build, query and publish the Hong Kong civic-freedoms timeline knowledge graph.

    \b
    Exit codes: 0 ok, 1 validation failed, 2 usage error, 3 data error,
    4 query error, 5 name not found, 6 file error.
    """
    if sum(x is not None for x in (data, store, endpoint)) > 1:
        raise UsageError("give at most one of --data, --store and --endpoint")
    ctx.obj = {"data": data, "store": store, "endpoint": endpoint}


@cli.command()
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from a file ('-' for stdin).",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME safely (repeatable). <iri>, YYYY-MM-DD and integers are typed.",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "md", "ttl", "nt", "jsonld"]),
    help="SELECT: table (default), csv, tsv, json, xml (W3C formats), md. CONSTRUCT: ttl, nt, jsonld.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file (atomically).")
@click.pass_context
def query(
    ctx: click.Context, query: str | None, query_file, params: tuple[str, ...], fmt: str | None, output: str | None
) -> None:
    """Run SPARQL 1.1: QUERY is a query text, a name from `kg queries`, or '-' for stdin.

    \b
    kg query "SELECT ?e ?l WHERE { ?e a sem:Event ; rdfs:label ?l }"
    kg query actor-timeline --param actor="Amnesty International" --format csv
    """
    if query_file is not None:
        text = query_file.read()
    elif query == "-" or (query is None and not sys.stdin.isatty()):
        text = sys.stdin.read()
    elif query:
        text = query
    else:
        raise UsageError("give a query, a query name (see `kg queries`), -f FILE or - for stdin")
    bound = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param expects NAME=VALUE, got {item!r}")
        bound[name.lstrip("?$")] = value
    result = _graph(ctx).query(text, bound)
    from kg.sparql import SelectResult, graph_result

    if isinstance(result, SelectResult):
        if fmt in ("ttl", "nt", "jsonld"):
            raise UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE results")
        _emit(result.serialize(fmt or "table"), output)
    elif isinstance(result, bool):
        if fmt == "json":
            _emit(f'{{"head": {{}}, "boolean": {str(result).lower()}}}\n', output)
        else:
            _emit(f"{str(result).lower()}\n", output)
    else:
        if fmt not in (None, "ttl", "nt", "jsonld"):
            raise UsageError("CONSTRUCT and DESCRIBE results are graphs: use --format ttl, nt or jsonld")
        _emit(graph_result(result, fmt or "ttl"), output)


@cli.command()
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "json"]))
def queries(fmt: str) -> None:
    """List the named queries of the library, with their questions and parameters."""
    from kg.sparql import library, to_json

    lib = library()
    if fmt == "json":
        click.echo(
            to_json(
                [
                    {
                        "name": q.name,
                        "title": q.title,
                        "question": q.question,
                        "params": [{"name": n, "description": d} for n, d in q.params],
                    }
                    for q in lib.values()
                ]
            ),
            nl=False,
        )
        return
    for q in lib.values():
        click.echo(f"{q.name}\n    {q.question or q.title}")
        for name, desc in q.params:
            click.echo(f"    --param {name}=…  {desc}")


@cli.command()
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
    events = _graph(ctx).timeline(start=start, end=end, actor=actor, type=type_)
    if plot:
        from kg.viz.plot import plot_timeline

        plot_timeline(events, plot)
        click.echo(f"wrote {plot} ({len(events)} event{'s' if len(events) != 1 else ''})", err=True)
        return
    if fmt == "json":
        _emit(to_json(events), output)
        return
    headers, rows = table_rows(events, max_actors=0 if fmt == "csv" else 4)
    render = {"table": table, "md": markdown, "csv": rows_to_csv}[fmt]
    _emit(render(headers, rows), output)


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="HTML file to write (atomically); '-' for stdout. Default: network.html or timeline.html.",
)
@click.option(
    "--layout",
    default="network",
    show_default=True,
    type=click.Choice(["network", "timeline"]),
    help="network: a force layout; timeline: events left to right by date, to scale.",
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
    """Draw the graph as an interactive page: one self-contained HTML file that works offline.

    \b
    kg viz -o export/network.html
    kg viz --layout timeline -o export/timeline.html
    kg viz --ego "Amnesty International" --depth 2 -o amnesty.html
    kg viz --from 2020-05-01 --to 2020-07-31 --type "open letter" -o june2020.html
    kg viz --query my-subgraph.rq -o sub.html
    """
    from pathlib import Path

    from kg.viz import view

    result = view(
        _graph(ctx),
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
    if target == "-":
        click.get_binary_stream("stdout").write(result.html.encode("utf-8"))
        click.echo(f"{result.nodes} nodes, {result.edges} edges", err=True)
        return
    result.write(target)
    click.echo(f"wrote {target}: {layout} of {result.nodes} nodes, {result.edges} edges")


@cli.command()
@click.argument("name")
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json"]))
@click.pass_context
def show(ctx: click.Context, name: str, fmt: str) -> None:
    """Everything about one actor, event, place or source, with the quotes behind it."""
    from kg.explore.show import render
    from kg.sparql import to_json

    info = _graph(ctx).show(name)
    click.echo(to_json(info) if fmt == "json" else render(info), nl=False)


@cli.command()
@click.option(
    "--sources",
    type=click.Path(file_okay=False),
    help="Directory of the corpus texts (default ../shared/sources, or $KG_SOURCES).",
)
@click.option("--store", "store_path", type=click.Path(file_okay=False), help="Validate an on-disk store.")
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json"]))
@click.pass_context
def validate(ctx: click.Context, sources: str | None, store_path: str | None, fmt: str) -> None:
    """Check the graph against CONTRACT.md (SHACL) and every quote against its source text.

    Exits 0 when everything holds and 1 otherwise.
    """
    from kg.sparql import to_json

    if store_path:
        from kg.backends.store import open_store

        graph = open_store(store_path, read_only=True)
    else:
        graph = _graph(ctx)
    report = graph.validate(sources)
    click.echo(to_json(report.as_dict()) if fmt == "json" else report.render(), nl=False)
    ctx.exit(0 if report.conforms else 1)


@cli.command()
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(
        ["ttl", "nt", "jsonld", "rdfxml", "trig", "nq", "csv"]
        + ["graphml", "gexf", "timelinejs", "nodes-csv", "edges-csv"]
    ),
    help="Default: from the -o extension, else ttl.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (atomically); stdout without it.")
@click.pass_context
def export(ctx: click.Context, fmt: str | None, output: str | None) -> None:
    """Write the graph as RDF, the timeline as CSV or TimelineJS, or the network for Gephi, Cytoscape, R.

    \b
    RDF: ttl, nt, jsonld, rdfxml, trig, nq       timeline: csv, timelinejs (Knight Lab)
    network: graphml (Cytoscape, yEd, igraph, R), gexf (Gephi, dynamic: the timeline
    slider replays it), nodes-csv and edges-csv (Gephi/Cytoscape spreadsheet import)
    """
    data = _graph(ctx).export(fmt, output)
    if output:
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        _emit(data)


@cli.command()
@click.argument("directory", default="export", type=click.Path(file_okay=False))
@click.pass_context
def publish(ctx: click.Context, directory: str) -> None:
    """Regenerate every published file of DIRECTORY (default: export/)."""
    from kg.export import publish as do_publish

    for name in do_publish(_graph(ctx), directory):
        click.echo(f"wrote {directory}/{name}")


@cli.command()
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json"]))
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Counts by class, event type, source and date precision."""
    from kg.explore.stats import render
    from kg.sparql import to_json

    info = _graph(ctx).stats()
    click.echo(to_json(info) if fmt == "json" else render(info), nl=False)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False),
    help="The store directory (created if missing; default: the global --store).",
)
@click.pass_context
def load(ctx: click.Context, files: tuple[str, ...], store_path: str | None) -> None:
    """Bulk-load RDF FILES (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD) into a store."""
    import os

    from kg.backends.store import load_files, open_store

    target = store_path or ctx.find_root().obj.get("store")
    if not target:
        raise UsageError("`kg load` needs --store PATH")
    graph = open_store(target, create=True)
    total = sum(os.path.getsize(f) for f in files)
    with click.progressbar(length=total, label=f"loading {len(files)} file(s)", file=sys.stderr) as bar:
        load_files(graph, files, progress=bar.update)
    click.echo(f"loaded {total:,} bytes from {len(files)} file(s) into {target}", err=True)


@cli.command()
@click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False),
    help="The store directory (default: the global --store).",
)
@click.pass_context
def reindex(ctx: click.Context, store_path: str | None) -> None:
    """Rebuild a store's index graph and event index, after changing it by other means."""
    from kg.backends.store import open_store, reindex

    target = store_path or ctx.find_root().obj.get("store")
    if not target:
        raise UsageError("`kg reindex` needs --store PATH")
    graph = open_store(target)
    reindex(graph)
    click.echo(f"indexed {len(graph.event_index or ())} events in {target}", err=True)


@cli.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", required=True, help="A mapping YAML file, or a shipped one: acled, gdelt.")
@click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False),
    help="The store directory (created if missing; default: the global --store).",
)
@click.option("--skip-bad", is_flag=True, help="Skip rows that cannot be imported (and list them) instead of aborting.")
@click.pass_context
def import_(ctx: click.Context, table: str, mapping: str, store_path: str | None, skip_bad: bool) -> None:
    """Import the events of a CSV/TSV TABLE into a store through a declarative mapping."""
    import os

    from kg.backends.store import load_files, open_store
    from kg.curate.importer import convert

    target = store_path or ctx.find_root().obj.get("store")
    if not target:
        raise UsageError("`kg import` needs --store PATH")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kg-import-") as tmp:
        converted = os.path.join(tmp, "import.nq")
        with click.progressbar(length=os.path.getsize(table), label=f"importing {table}", file=sys.stderr) as bar:
            summary = convert(table, mapping, converted, skip_bad=skip_bad, progress=bar.update)
        # Only a complete conversion reaches the store: a bad row leaves it untouched.
        load_files(open_store(target, create=True), [converted])
    for problem in summary.skipped:
        click.echo(f"skipped {problem}", err=True)
    click.echo(
        f"{summary.events} events from {summary.rows} rows ({len(summary.skipped)} skipped), "
        f"{summary.actors} actors, {summary.places} places into {target}",
        err=True,
    )


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0 exposes it).")
@click.option("--port", default=7878, show_default=True, type=int)
@click.option("--timeout", default=30, show_default=True, type=int, help="Query timeout in seconds.")
@click.option("--writable", is_flag=True, help="Accept SPARQL updates and Graph Store writes.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout: int, writable: bool) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint (Oxigraph server), read-only by default.

    \b
    Query:      http://HOST:PORT/query   (SPARQL 1.1 Protocol)
    Query page: http://HOST:PORT/        (works offline)
    Store:      http://HOST:PORT/store   (Graph Store Protocol; writes need --writable)
    """
    import signal
    import subprocess

    from kg.backends import serve as server

    obj = ctx.find_root().obj
    if obj.get("endpoint"):
        raise UsageError("`kg serve` serves a local graph, not --endpoint")
    graph = _graph(ctx)
    location, union = obj.get("store") or server.materialise(graph), graph.union
    del graph, obj["graph"]  # the server opens the store itself
    click.echo(f"SPARQL endpoint: http://{host}:{port}/query  (query page: http://{host}:{port}/)", err=True)
    options = {"host": host, "port": port, "timeout": timeout, "writable": writable, "union": union}
    if writable and obj.get("store"):  # its event index stops being trusted until reindexed
        from kg.backends.store import invalidate_index, open_store

        invalidate_index(open_store(location).store)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C, then reindex
    proc = subprocess.Popen(server.command(location, **options))
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()  # and wait: the server must have closed the store before a reindex
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        code = 0
    if writable and obj.get("store"):  # the clients may have changed the data
        from kg.backends.store import open_store, reindex

        reindex(open_store(location))
    ctx.exit(code)


@cli.command()
@click.option(
    "--endpoint",
    "url",
    required=True,
    metavar="URL",
    help="Graph Store Protocol URL, e.g. http://localhost:7878/store.",
)
@click.option("--append", is_flag=True, help="POST (add to the graphs) instead of PUT (replace them).")
@click.option("--user", help="User name, for stores that need authentication (digest or basic).")
@click.option("--password", envvar="KG_PASSWORD", help="Password (also $KG_PASSWORD).")
@click.pass_context
def push(ctx: click.Context, url: str, append: bool, user: str | None, password: str | None) -> None:
    """Upload the graph (ontology and data graphs) to a store over the Graph Store Protocol."""
    from kg.backends.endpoint import push as do_push

    for name, status, count in do_push(_graph(ctx), url, replace=not append, user=user, password=password):
        click.echo(f"{name}: {count} triples, HTTP {status}")


# ---------------------------------------------------------------------------- kg network

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
        _emit(to_json(rows if data is None else data))
        return
    cells = [
        ["; ".join(map(str, r[c])) if isinstance(r[c], list) else ("" if r[c] is None else str(r[c])) for c in columns]
        for r in rows
    ]
    _emit(table(columns, cells) if fmt == "table" else rows_to_csv(columns, cells))


@cli.group(cls=_Group)
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

    info = network_stats_(_graph(ctx), start=start, end=end)
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

    rows = centrality(_graph(ctx), measure, top=top, start=start, end=end)
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
    found = paths(_graph(ctx), a, b, limit=limit, start=start, end=end, through=through)
    if fmt == "table":
        out = []
        for i, hops in enumerate(found, 1):
            out.append(f"path {i} ({len(hops)} hop{'s' if len(hops) != 1 else ''}):")
            out += [f"  {j}. {h['text']}" for j, h in enumerate(hops, 1)]
        _emit("\n".join(out) + "\n")
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

    rows = communities(_graph(ctx), seed=seed, resolution=resolution, start=start, end=end)
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

    rows = components(_graph(ctx), start=start, end=end)
    if fmt == "table":
        rows = [r | {"members": r["members"][:5] + ([f"+{r['size'] - 5} more"] if r["size"] > 5 else [])} for r in rows]
    _rows_out(rows, ["component", "size", "events", "actors", "places", "members"], fmt)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
