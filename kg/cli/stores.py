"""`kg load`, `reindex`, `import`, `serve` and `push`: stores and endpoints."""

from __future__ import annotations

import sys

import click

from kg.cli.common import graph_of
from kg.errors import UsageError


@click.command()
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

    from kg import atomic
    from kg.backends.loading import load_files
    from kg.backends.safe_load import check_files, staged_store
    from kg.backends.store import open_store
    from kg.cli import interruptible

    target = store_path or ctx.find_root().obj.get("store")
    if not target:
        raise UsageError("`kg load` needs --store PATH")
    total = sum(os.path.getsize(f) for f in files)
    check_files(files)

    def work() -> dict:
        with (
            staged_store(target, "load") as new,  # all or nothing, even under Ctrl-C or kill -9
            open_store(new, create=True) as graph,
            click.progressbar(length=total, label=f"loading {len(files)} file(s)", file=sys.stderr) as bar,
        ):
            load_files(graph, files, progress=bar.update)
            return graph.summary()

    summary = interruptible.run(work, what="the load", cleanup=lambda: atomic.discard_staging(target, "load"))
    click.echo(f"loaded {total:,} bytes from {len(files)} file(s) into {target}", err=True)
    click.echo(f"{summary['events']:,} events", err=True)
    for key, what in (
        ("undated", "without a date (in no timeline or date range)"),
        ("untyped", "without a type (sem:eventType)"),
        ("without_actor", "without an actor (sem:hasActor)"),
    ):
        if summary[key]:
            click.echo(f"Warning: {summary[key]:,} event(s) {what}", err=True)


@click.command()
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
    with open_store(target) as graph:
        count = reindex(graph)
    click.echo(f"indexed {count} events in {target}", err=True)


@click.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", required=True, help="A mapping YAML file, or a shipped one: acled, gdelt.")
@click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False),
    help="The store directory (created if missing; default: the global --store).",
)
@click.option("--skip-bad", is_flag=True, help="Skip rows that cannot be imported (and list them) instead of aborting.")
@click.option("--encoding", help="The table's text encoding (default: the mapping's, else UTF-8), e.g. latin-1.")
@click.pass_context
def import_(
    ctx: click.Context, table: str, mapping: str, store_path: str | None, skip_bad: bool, encoding: str | None
) -> None:
    """Import the events of a CSV/TSV TABLE into a store through a declarative mapping.

    All or nothing: an error, Ctrl-C or a crash leaves the store as it was.
    """
    import os

    from kg.curate.importer import import_to_store

    target = store_path or ctx.find_root().obj.get("store")
    if not target:
        raise UsageError("`kg import` needs --store PATH")
    with click.progressbar(length=os.path.getsize(table), label=f"importing {table}", file=sys.stderr) as bar:
        summary = import_to_store(table, mapping, target, skip_bad=skip_bad, progress=bar.update, encoding=encoding)
    for problem in summary.skipped:
        click.echo(f"skipped {problem}", err=True)
    click.echo(
        f"{summary.events} events from {summary.rows} rows ({len(summary.skipped)} skipped), "
        f"{summary.actors} actors, {summary.places} places into {target}",
        err=True,
    )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0 exposes it).")
@click.option("--port", default=7878, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--timeout",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Query timeout in seconds: the query is stopped and the client gets HTTP 503.",
)
@click.option("--writable", is_flag=True, help="Accept SPARQL updates and Graph Store writes.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Queries run at once.")
@click.option(
    "--memory",
    "memory_mb",
    default=2048,
    show_default=True,
    type=click.IntRange(64),
    help="Memory one query may use, in MB (it is stopped beyond).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout: int, writable: bool, workers: int, memory_mb: int) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint (Oxigraph), read-only by default.

    \b
    Query:      http://HOST:PORT/query   (SPARQL 1.1 Protocol)
    Query page: http://HOST:PORT/        (works offline)
    Store:      http://HOST:PORT/store   (Graph Store Protocol; writes need --writable)

    SERVICE is refused, and so are requests over 1 MB or nested over 200 levels (HTTP 4xx).
    """
    import contextlib
    import signal

    from kg import serve as server

    obj = ctx.find_root().obj
    if obj.get("endpoint"):
        raise UsageError("`kg serve` serves a local graph, not --endpoint")
    server.oxigraph_binary()  # says what to install, before any address is printed
    served = graph_of(ctx)
    location, union = obj.get("store") or server.materialise(served), served.union
    del served, obj["graph"]  # the server opens the store itself
    click.echo(f"SPARQL endpoint: http://{host}:{port}/query  (query page: http://{host}:{port}/)", err=True)
    options = {"host": host, "port": port, "timeout": timeout, "writable": writable, "union": union}
    if writable and obj.get("store"):  # its event index stops being trusted until reindexed
        from kg.backends.index_graph import invalidate_index
        from kg.backends.store import open_store

        invalidate_index(open_store(location).store)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C, then reindex
    with contextlib.suppress(KeyboardInterrupt):  # run returns once every server process has stopped
        server.run(location, workers=workers, memory_mb=memory_mb, **options)
    if writable and obj.get("store"):  # the clients may have changed the data
        from kg.backends.store import open_store, reindex

        reindex(open_store(location))


@click.command()
@click.option(
    "--endpoint",
    "url",
    required=True,
    metavar="URL",
    help="Graph Store Protocol URL, e.g. http://localhost:7878/store.",
)
@click.option("--append", is_flag=True, help="POST (add to the graphs) instead of PUT (replace them).")
@click.option(
    "--named-graphs",
    is_flag=True,
    help="Keep the ontology and data graphs apart (for servers whose queries read the union, e.g. Virtuoso); "
    "by default everything goes to the default graph, which every server's queries read.",
)
@click.option("--user", help="User name, for stores that need authentication (digest or basic).")
@click.option("--password", envvar="KG_PASSWORD", help="Password (also $KG_PASSWORD).")
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    default=120,
    show_default=True,
    metavar="SECONDS",
    help="Time the store has to answer each upload step.",
)
@click.pass_context
def push(
    ctx: click.Context,
    url: str,
    append: bool,
    named_graphs: bool,
    user: str | None,
    password: str | None,
    timeout: float,
) -> None:
    """Upload the graph (ontology and data graphs) to a store over the Graph Store Protocol."""
    from kg.backends.endpoint import push as do_push

    graph = graph_of(ctx)
    pushed = do_push(
        graph, url, replace=not append, named_graphs=named_graphs, user=user, password=password, timeout=timeout
    )
    for name, status, count in pushed:
        click.echo(f"{name}: {count} triples, HTTP {status}")
