"""`kg validate`, `kg export` and `kg publish`: checking and publishing the graph."""

from __future__ import annotations

import click

from kg.cli.common import emit, graph_of


@click.command()
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
        graph = graph_of(ctx)
    report = graph.validate(sources)
    click.echo(to_json(report.as_dict()) if fmt == "json" else report.render(), nl=False)
    ctx.exit(0 if report.conforms else 1)


@click.command()
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
    data = graph_of(ctx).export(fmt, output)
    if output:
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        emit(data)


@click.command()
@click.argument("directory", default="export", type=click.Path(file_okay=False))
@click.pass_context
def publish(ctx: click.Context, directory: str) -> None:
    """Regenerate every published file of DIRECTORY (default: export/)."""
    from kg.export import publish as do_publish

    for name in do_publish(graph_of(ctx), directory):
        click.echo(f"wrote {directory}/{name}")
