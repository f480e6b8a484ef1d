"""`kg validate`, `kg export` and `kg publish`: checking and publishing the graph."""

from __future__ import annotations

import itertools
from pathlib import Path

import click

from kg.cli.common import emit, graph_of
from kg.errors import UsageError


@click.command()
@click.option(
    "--sources",
    type=click.Path(file_okay=False),
    help="Directory of the corpus texts (default ../shared/sources, or $KG_SOURCES).",
)
@click.option("--store", "store_path", type=click.Path(file_okay=False), help="Validate an on-disk store.")
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json"]),
    help="text: the report for people; json: every violation and quote check, for programs.",
)
@click.pass_context
def validate(ctx: click.Context, sources: str | None, store_path: str | None, fmt: str) -> None:
    """Check the graph against CONTRACT.md (SHACL) and every quote against its source text.

    Exits 0 when everything holds and 1 otherwise.
    """
    from kg.sparql import to_json

    if store_path:
        from kg.graph import open_store

        graph = open_store(store_path, read_only=True)
    else:
        graph = graph_of(ctx)
    report = graph.validate(sources)
    if fmt == "json":
        click.echo(to_json(report.as_dict()), nl=False)
    else:  # a few thousand lines at a time: a store's millions of violations are never one string
        lines = report.lines()
        while chunk := "".join(itertools.islice(lines, 10_000)):
            click.echo(chunk, nl=False)
    ctx.exit(0 if report.conforms else 1)


@click.command()
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(
        ["ttl", "nt", "jsonld", "rdfxml", "trig", "nq", "csv"]
        + ["graphml", "gexf", "timelinejs", "timelinejs-html", "nodes-csv", "edges-csv"]
    ),
    help="Default: from the -o extension, else ttl.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (atomically); stdout without it.")
@click.option(
    "--group-by",
    type=click.Choice(["type", "actor", "none"]),
    help="timelinejs: one row of the time navigation per event type, per main actor, or none (default).",
)
@click.option(
    "--from", "start", metavar="YYYY-MM-DD", help="timelinejs: only events whose begin may fall from this day."
)
@click.option("--to", "end", metavar="YYYY-MM-DD", help="timelinejs: only events whose begin may fall up to this day.")
@click.pass_context
def export(
    ctx: click.Context, fmt: str | None, output: str | None, group_by: str | None, start: str | None, end: str | None
) -> None:
    """Write the graph as RDF, the timeline as CSV or TimelineJS, or the network for Gephi, Cytoscape, R.

    \b
    RDF: ttl, nt, jsonld, rdfxml, trig, nq
    timeline: csv, timelinejs (Knight Lab's JSON), timelinejs-html (a page that opens offline)
    network: graphml (Cytoscape, yEd, igraph, R), gexf (Gephi, dynamic: the timeline
    slider replays it), nodes-csv and edges-csv (Gephi/Cytoscape spreadsheet import)
    """
    import os

    from kg.export import export as do_export

    options = {k: v for k, v in (("group_by", group_by), ("start", start), ("end", end)) if v is not None}
    data = do_export(graph_of(ctx), fmt, output, stream=output is not None, **options)
    if output:
        click.echo(f"wrote {output} ({os.path.getsize(output)} bytes)", err=True)
    else:
        emit(data)


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False),
    help="Write the record as a static site (a page per IRI, search, SPARQL in the browser) to this directory.",
)
@click.option("--site-url", help="Where the site will be hosted: the target of the w3id.org rules and metadata.")
@click.pass_context
def publish(ctx: click.Context, directory: str | None, site_dir: str | None, site_url: str | None) -> None:
    """Regenerate every published file in DIRECTORY (the checkout's is export/: `kg publish export`),
    and with --site DIR the static site.

    A directory is required, so that no command writes a dozen files where it happens to run.
    """
    if not directory and not site_dir:
        raise UsageError("give the directory to publish to (`kg publish export`) or --site DIR")
    graph = graph_of(ctx)
    if directory:
        from kg.export import publish as do_publish

        for name in do_publish(graph, directory):
            click.echo(f"wrote {directory}/{name}")
    if site_dir:
        from kg.site import build

        written = build(graph, site_dir, site_url=site_url)
        size = sum((Path(site_dir) / name).stat().st_size for name in written)
        click.echo(f"wrote the site to {site_dir}: {len(written)} files, {size / 1e6:.1f} MB")
        click.echo(f"open {site_dir}/index.html, or serve it: python3 -m http.server -d {site_dir}")
