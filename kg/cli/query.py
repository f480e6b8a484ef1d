"""`kg query` and `kg queries`: SPARQL and the named query library."""

from __future__ import annotations

import sys

import click

from kg.cli.common import emit, emit_rows, graph_of, output_options, table_width
from kg.errors import UsageError


@click.command()
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
@output_options(("table", "csv", "tsv", "json", "xml", "md", "ttl", "nt", "jsonld"), default=None)
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    metavar="SECONDS",
    help="Stop the query after this long (exit 4). Ctrl-C stops it at any time.",
)
@click.pass_context
def query(
    ctx: click.Context,
    query: str | None,
    query_file,
    params: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    width: int | None,
    timeout: float | None,
) -> None:
    """Run SPARQL 1.1: QUERY is a query text, a name from `kg queries`, or '-' for stdin.

    SELECT: table (default), md, or the W3C formats csv, tsv, json, xml. CONSTRUCT and
    DESCRIBE: ttl (default), nt, jsonld.

    \b
    kg query "SELECT ?e ?l WHERE { ?e a sem:Event ; rdfs:label ?l }"
    kg query actor-timeline --param actor="Amnesty International" --format csv
    """
    try:
        if query_file is not None:
            text = query_file.read()
        elif query == "-" or (query is None and not sys.stdin.isatty()):
            text = sys.stdin.read()
        else:
            text = query
    except UnicodeDecodeError as exc:
        raise UsageError(f"the query is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not text:
        raise UsageError("give a query, a query name (see `kg queries`), -f FILE or - for stdin")
    bound = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param expects NAME=VALUE, got {item!r}")
        name = name.lstrip("?$")
        import pyoxigraph as ox

        try:
            ox.Variable(name)
        except ValueError:
            raise UsageError(f"--param {name!r} is not a SPARQL variable name (letters, digits, _)") from None
        bound[name] = value
    from kg.cli import interruptible

    result = interruptible.run(lambda: graph_of(ctx).query(text, bound), what="the query", timeout=timeout)
    from kg.export import serialize_triples
    from kg.sparql import SelectResult

    if isinstance(result, SelectResult):
        if fmt in ("ttl", "nt", "jsonld"):
            raise UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE results")
        emit(result.serialize(fmt or "table", table_width(width, output)), output)
    elif isinstance(result, bool):
        if fmt == "json":
            emit(f'{{"head": {{}}, "boolean": {str(result).lower()}}}\n', output)
        else:
            emit(f"{str(result).lower()}\n", output)
    else:
        if fmt not in (None, "ttl", "nt", "jsonld"):
            raise UsageError("CONSTRUCT and DESCRIBE results are graphs: use --format ttl, nt or jsonld")
        emit(serialize_triples(result, fmt or "ttl").decode(), output)  # sorted: the same bytes each run


@click.command()
@output_options(("text", "table", "csv", "tsv", "json", "md"), default="text")
def queries(fmt: str, output: str | None, width: int | None) -> None:
    """List the named queries of the library, with their questions and parameters."""
    from kg.sparql import library

    lib = library()
    if fmt == "text":
        lines = []
        for q in lib.values():
            lines += [q.name, f"    {q.question or q.title}"]
            lines += [f"    --param {name}=…  {desc}" for name, desc in q.params]
        emit("\n".join(lines) + "\n", output)
        return
    data = [
        {
            "name": q.name,
            "title": q.title,
            "question": q.question,
            "params": [{"name": n, "description": d} for n, d in q.params],
        }
        for q in lib.values()
    ]
    rows = [[q.name, q.question or q.title, ", ".join(name for name, _ in q.params)] for q in lib.values()]
    emit_rows(["name", "question", "params"], rows, fmt, output, width, data=data)
