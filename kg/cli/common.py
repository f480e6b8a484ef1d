"""What every command shares: error handling, the graph it works on, output.

Each command parses its options, calls one library function and prints the result. Errors of
the library (:mod:`kg.errors`) are printed without a traceback and give the documented exit
codes. Heavy modules are imported inside the commands, so ``kg --help`` stays fast.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kg.errors import KGError


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
            click.echo(f"Error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
            ctx.exit(6)


def graph_of(ctx: click.Context):
    """The graph of the global --endpoint, --store or --data (:func:`kg.backends.open_graph`),
    opened once per command line."""
    from kg.backends import open_graph

    obj = ctx.find_root().obj
    if "graph" not in obj:
        obj["graph"] = open_graph(obj.get("data"), obj.get("store"), obj.get("endpoint"))
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
