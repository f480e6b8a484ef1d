"""The CLI reference (``docs/cli.md``), generated from every command's ``--help``.

A test compares ``docs/cli.md`` with :func:`reference` and fails when a command or option is
added without regenerating it, or without help text. Regenerate with::

    python3 -m kg.cli.reference > docs/cli.md
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from kg.cli import cli

#: Environment variables the commands read, with what they stand for.
ENVIRONMENT = {
    "KG_DATA": "a data directory to use instead of the bundled `data/` (as `--data`)",
    "KG_STORE": "an on-disk store to work on (as `--store`)",
    "KG_ENDPOINT": "a SPARQL endpoint to work on (as `--endpoint`)",
    "KG_SOURCES": "the directory of the corpus texts that `kg validate` checks quotes against",
    "KG_CACHE_DIR": "where the bundled graph is cached (default `~/.cache/hk-timeline-kg`)",
    "KG_PASSWORD": "the password of `kg push --user`",
    "KG_ENDPOINT_TIMEOUT": "seconds an endpoint has to send a whole answer (as `--endpoint-timeout`, default 60)",
}


def commands(group: click.Group = cli, prefix: str = "kg") -> Iterator[tuple[str, click.Command]]:
    """``(full name, command)`` for the group and every command under it, depth first."""
    yield prefix, group
    ctx = click.Context(group, info_name=prefix)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def help_text(name: str, command: click.Command) -> str:
    """What ``NAME --help`` prints, at a fixed width so the reference is stable."""
    names = cli.context_settings["help_option_names"]  # as the CLI runs, whatever ran before
    parent = None
    for part in name.split()[:-1]:
        parent = click.Context(cli, info_name=part, parent=parent, help_option_names=names)
    ctx = click.Context(
        command,
        info_name=name.split()[-1],
        parent=parent,
        max_content_width=100,
        terminal_width=100,
        help_option_names=names,
    )
    return command.get_help(ctx)


def undocumented(group: click.Group = cli) -> list[str]:
    """Commands and options that have no help text."""
    missing = []
    for name, command in commands(group):
        if not (command.help or command.short_help):
            missing.append(name)
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and not param.help:
                missing.append(f"{name} {max(param.opts, key=len)}")
    return missing


def reference() -> str:
    """The whole reference as Markdown."""
    parts = [
        "# `kg` command reference\n",
        "Generated from each command's `--help` by `python3 -m kg.cli.reference > docs/cli.md`;"
        " a test fails when it is out of date.\n",
        "## Environment\n",
        *(f"- `{var}`: {what}" for var, what in ENVIRONMENT.items()),
        "",
    ]
    for name, command in commands():
        parts += [f"## `{name}`\n", "```text", help_text(name, command).rstrip(), "```\n"]
    return "\n".join(parts)


if __name__ == "__main__":
    click.echo(reference(), nl=False)
