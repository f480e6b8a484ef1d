"""What every command shares: error handling, the graph it works on, output.

Each command parses its options, calls one library function and prints the result. Errors of
the library (:mod:`kg.errors`) are printed without a traceback and give the documented exit
codes. Heavy modules are imported inside the commands, so ``kg --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from kg.errors import KGError

#: The formats of every command that prints rows (`kg query` adds the W3C XML format).
ROW_FORMATS = ("table", "csv", "tsv", "json", "md")


class Group(click.Group):
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
            click.echo(f"Error: {file_error(exc)}", err=True)
            ctx.exit(6)


def file_error(exc: OSError) -> str:
    """A one-line message for a file that could not be read or written, naming the culprit:
    for ``-o afile/out.csv`` that ``afile`` is a file, not the "File exists" of mkdir."""
    name = exc.filename
    if name and isinstance(exc, (FileExistsError, NotADirectoryError)):
        for parent in Path(name).parents:
            if parent.exists() and not parent.is_dir():
                return f"cannot write {name}: {parent} is a file, not a directory"
    return f"{exc.strerror or exc}: {name or ''}".rstrip(": ")


#: What each output format is, for the help of the commands that offer it.
FORMAT_HELP = {
    "text": "readable text, wrapped to the width",
    "table": "aligned columns, cut to the width",
    "csv": "comma-separated",
    "tsv": "tab-separated",
    "json": "JSON",
    "xml": "SPARQL XML results",
    "md": "Markdown",
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
}


def output_options(formats: Sequence[str] = ROW_FORMATS, default: str | None = "table") -> Callable[[Any], Any]:
    """``--format``, ``-o/--output`` and ``--width``, the same on every command that prints rows
    (as sqlite-utils' output options): the function receives ``fmt``, ``output`` and ``width``.
    The help names only the ``formats`` the command offers."""
    described = "; ".join(f"{f}: {FORMAT_HELP[f]}" for f in formats)
    fitted = [f for f in formats if f in ("text", "table")]

    def decorate(func: Any) -> Any:
        func = click.option(
            "--width",
            type=click.IntRange(min=0),
            metavar="COLUMNS",
            help=f"Fit {' and '.join(fitted)} output to this many columns (0: no limit). "
            "Default: the terminal's width; in full when piped or written to a file.",
        )(func)
        func = output_file_option(func)
        return click.option(
            "--format",
            "fmt",
            default=default,
            show_default=default is not None,
            type=click.Choice(formats),
            help=described + ("" if default else " (default: table for SELECT, ttl for CONSTRUCT and DESCRIBE)") + ".",
        )(func)

    return decorate


def output_file_option(func: Any) -> Any:
    """``-o/--output``: the function receives ``output`` (``None``: stdout)."""
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False), help="Write to a file (atomically) instead of stdout."
    )(func)


def date_range_options(func: Any) -> Any:
    """``--from`` and ``--to``, the same date range on every command that selects events: the
    function receives ``start`` and ``end`` (checked by :func:`kg.backends.selection.date_range`)."""
    func = click.option(
        "--to", "end", metavar="YYYY-MM-DD", help="Only events whose begin may fall on or before this day."
    )(func)
    return click.option(
        "--from", "start", metavar="YYYY-MM-DD", help="Only events whose begin may fall on or after this day."
    )(func)


def table_width(width: int | None, output: str | None) -> int | None:
    """The columns a table must fit: ``--width``, else the terminal's when stdout is one; ``None``
    (cells in full) when piped or written to a file."""
    if width is not None:
        return width or None
    if output is None and sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def emit_rows(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str,
    output: str | None = None,
    width: int | None = None,
    data: Any = None,
    keep: Sequence[int] = (),
    main: int | None = None,
) -> None:
    """Print (or write) rows in ``fmt``; ``data`` is what ``json`` gives (default: a list of
    objects); ``keep`` are the table columns cut last and ``main`` the one cut less than the
    others (see :func:`kg.sparql.render.table`)."""
    from kg.sparql import to_json
    from kg.sparql.render import markdown, rows_to_csv, table

    if fmt == "json":
        emit(to_json([dict(zip(headers, r, strict=True)) for r in rows] if data is None else data), output)
    elif fmt == "table":
        emit(table(headers, rows, table_width(width, output), keep, main), output)
    elif fmt == "md":
        emit(markdown(headers, rows), output)
    elif fmt in ("csv", "tsv"):
        emit(rows_to_csv(headers, rows, delimiter="," if fmt == "csv" else "\t"), output)
    else:
        raise click.UsageError(f"unknown format {fmt!r}")


def graph_of(ctx: click.Context):
    """The graph of the global --endpoint, --store or --data (:func:`kg.graph.open_graph`),
    opened once per command line."""
    from kg.graph import open_graph

    obj = ctx.find_root().obj
    if "graph" not in obj:
        obj["graph"] = open_graph(
            obj.get("data"), obj.get("store"), obj.get("endpoint"), timeout=obj.get("timeout", 60)
        )
    return obj["graph"]


def emit(text: str | bytes, output: str | None = None) -> None:
    if output:
        from kg import atomic

        atomic.write_bytes(output, text if isinstance(text, bytes) else text.encode())
        click.echo(f"wrote {output}", err=True)
    elif isinstance(text, bytes):
        click.get_binary_stream("stdout").write(text)
    else:
        click.echo(text, nl=False)
