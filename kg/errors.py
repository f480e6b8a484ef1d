"""The errors ``kg`` reports to its users, each with the exit code the CLI returns for it.

Kept free of heavy imports, so that the CLI can name them without loading rdflib or Oxigraph.

========  ==========================================================
exit code meaning
========  ==========================================================
0         success
1         ``kg validate`` found violations
2         usage error (unknown option, bad argument, unknown format)
3         the data directory has mistakes (file, line and field given)
4         the query cannot run (SPARQL syntax error with its position, unknown name or parameter)
5         nothing answers to the name given (an actor, event or type)
6         a file could not be read or written
========  ==========================================================
"""

from __future__ import annotations


class KGError(Exception):
    """Base of the errors ``kg`` reports without a traceback."""

    exit_code = 1


class UsageError(KGError, ValueError):
    """An argument that does not make sense: an unknown format, a malformed date."""

    exit_code = 2


class DataError(KGError):
    """The data directory holds mistakes; ``problems`` lists each as ``file:line: message``."""

    exit_code = 3

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class QueryError(KGError):
    """A query that cannot run: a syntax error (with its position), an unknown name, a bad parameter."""

    exit_code = 4


class NotFound(KGError, LookupError):
    """Nothing in the graph answers to a name; the message suggests close names."""

    exit_code = 5
