"""The ``kg`` command: a thin layer over the Python API (``import kg``).

Each command parses its options, calls one library function and prints the result. Errors of
the library (:mod:`kg.errors`) are printed without a traceback and give the documented exit
codes. Heavy modules are imported inside the commands, so ``kg --help`` stays fast.
"""

from __future__ import annotations

import click

from kg.about import __version__
from kg.cli.common import Group
from kg.cli.network import network
from kg.cli.publish import export, publish, validate
from kg.cli.query import queries, query
from kg.cli.read import show, stats, timeline
from kg.cli.stores import import_, load, push, reindex, serve
from kg.cli.views import viz
from kg.errors import UsageError


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option(
    "--endpoint-timeout",
    envvar="KG_ENDPOINT_TIMEOUT",
    type=click.FloatRange(0, min_open=True),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Time an endpoint has to send a whole answer (also $KG_ENDPOINT_TIMEOUT).",
)
@click.version_option(__version__, prog_name="kg")
@click.pass_context
def cli(ctx: click.Context, data: str | None, store: str | None, endpoint: str | None, endpoint_timeout: float) -> None:
    """Build, query, draw and publish the Hong Kong 2019-2021 timeline knowledge graph.

    \b
    Exit codes: 0 ok, 1 validation failed, 2 usage error, 3 data error,
    4 query error, 5 name not found, 6 file error.
    """
    if sum(x is not None for x in (data, store, endpoint)) > 1:
        raise UsageError("give at most one of --data, --store and --endpoint")
    ctx.obj = {"data": data, "store": store, "endpoint": endpoint, "timeout": endpoint_timeout}


for _command in (
    query,
    queries,
    timeline,
    show,
    stats,
    viz,
    validate,
    export,
    publish,
    load,
    reindex,
    import_,
    serve,
    push,
    network,
):
    cli.add_command(_command)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
