"""SPARQL over the graph: safe parameters, results in the W3C formats, and the query library.

Queries run on Oxigraph (pyoxigraph). Parameters are bound by substitution (SPARQL SEP-0007),
never pasted into the query text, so a value such as ``" } DROP ALL #`` stays a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from kg.errors import QueryError
from kg.namespaces import XSD, shorten
from kg.sparql.render import html_table, markdown, rows_to_csv, table

QUERY_DIR = Path(__file__).resolve().parent / "queries"
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")


def parse_param(value: str) -> ox.NamedNode | ox.Literal:
    """A command-line parameter value as an RDF term.

    ``<https://…>`` is an IRI, ``2020-06-30`` an ``xsd:date``, ``42`` an ``xsd:integer``,
    anything else a plain string.

    >>> parse_param("2020-06-30").datatype.value
    'http://www.w3.org/2001/XMLSchema#date'
    """
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as exc:
            raise QueryError(f"parameter value {value!r} is not an IRI ({exc})") from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if re.fullmatch(r"-?\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(value)


def python_value(term: Any, dates: bool = False) -> Any:
    """An RDF term as a plain Python value: IRIs and strings as ``str``, numbers as numbers,
    booleans as ``bool``; ``None`` stays ``None``. Dates stay ISO strings, sortable as text,
    unless ``dates`` asks for :class:`datetime.date` (and ``datetime.datetime``)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dates and dt in (XSD + "date", XSD + "dateTime"):
            import datetime

            try:
                if dt == XSD + "date":
                    return datetime.date.fromisoformat(term.value)
                return datetime.datetime.fromisoformat(term.value)
            except ValueError:  # a timezone or year form Python does not read: keep the text
                return term.value
        if dt in (XSD + "integer", XSD + "int", XSD + "long"):
            return int(term.value)
        if dt in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(term.value)
        if dt == XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value


@dataclass
class SelectResult:
    """The solutions of a ``SELECT``: variables and rows of pyoxigraph terms (``None`` = unbound)."""

    variables: list[str]
    rows: list[tuple[Any, ...]]

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions) -> SelectResult:
        variables = [v.value for v in solutions.variables]
        return cls(variables, [tuple(sol[v] for v in variables) for sol in solutions])

    @classmethod
    def from_json(cls, data: bytes) -> SelectResult:
        """From W3C SPARQL 1.1 Query Results JSON (as endpoints return it); a boolean
        answer is a :class:`ValueError`."""
        solutions = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("a boolean, not the solutions of a SELECT")
        return cls.from_solutions(solutions)

    def without(self, names: Iterable[str]) -> SelectResult:
        """The same solutions without some columns (the bound parameters of a named query)."""
        keep = [i for i, v in enumerate(self.variables) if v not in set(names)]
        return SelectResult([self.variables[i] for i in keep], [tuple(r[i] for i in keep) for r in self.rows])

    def to_w3c_json(self) -> bytes:
        """W3C SPARQL 1.1 Query Results JSON."""
        import json

        def binding(t: Any) -> dict[str, str]:
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.BlankNode):
                return {"type": "bnode", "value": t.value}
            out = {"type": "literal", "value": t.value}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype and t.datatype.value != XSD + "string":
                out["datatype"] = t.datatype.value
            return out

        bindings = [
            {v: binding(t) for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows
        ]
        doc = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as dictionaries of plain Python values."""
        return [{v: python_value(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame, one column per variable: IRIs and strings as ``str``, numbers as
        numbers, ``xsd:date`` as :class:`datetime.date`, unbound as ``None`` (needs pandas)."""
        import pandas as pd

        rows = [[python_value(t, dates=True) for t in row] for row in self.rows]
        return pd.DataFrame(rows, columns=self.variables)

    def _repr_html_(self) -> str:
        """The table a notebook shows for a result (every string escaped)."""
        return html_table(self.variables, self._cells())

    def __repr__(self) -> str:
        return f"<SelectResult: {len(self.rows)} rows of {', '.join(self.variables) or 'no variables'}>"

    def serialize(self, fmt: str = "table", width: int | None = None) -> str:
        """``table`` (aligned text, fitted to ``width`` columns if given), ``md`` (Markdown), or a
        W3C format: ``json``, ``xml``, ``csv``, ``tsv``.

        Data strings are safe for each reader (:mod:`kg.sparql.render`): the CSV neutralises
        cells a spreadsheet would run as formulas, which the W3C CSV format otherwise allows.
        """
        if fmt == "table":
            return table(self.variables, self._cells(), width)
        if fmt == "md":
            return markdown(self.variables, self._cells())
        if fmt == "csv":
            return rows_to_csv(self.variables, [["" if t is None else _w3c_csv(t) for t in r] for r in self.rows])
        w3c = {
            "json": ox.QueryResultsFormat.JSON,
            "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV,
            "tsv": ox.QueryResultsFormat.TSV,
        }
        if fmt not in w3c:
            raise QueryError(f"unknown result format {fmt!r} (use one of {', '.join(RESULT_FORMATS)})")
        if fmt == "json":
            return self.to_w3c_json().decode()
        parsed = ox.parse_query_results(self.to_w3c_json(), format=ox.QueryResultsFormat.JSON)
        # pyoxigraph's stubs: serialize() without an output returns bytes, never None
        return cast(bytes, parsed.serialize(format=w3c[fmt])).decode()

    def _cells(self) -> list[list[str]]:
        return [["" if t is None else _cell(t) for t in row] for row in self.rows]


def _w3c_csv(term: Any) -> str:
    """A value as the W3C SPARQL 1.1 CSV format writes it: IRIs, lexical forms, ``_:`` bnodes."""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)


def _cell(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    return str(term.value)


def serialize_rdf(
    terms: Iterable[ox.Triple] | Iterable[ox.Quad], format: ox.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """``pyoxigraph.serialize`` to bytes in memory."""
    # pyoxigraph's stubs declare ``bytes | None`` for every call; None is only for a call with an output
    return cast(bytes, ox.serialize(terms, format=format, prefixes=prefixes))


def syntax_message(exc: SyntaxError, query: str) -> str:
    """Oxigraph's ``error at L:C: …`` with the offending line and a caret under the column."""
    msg = str(exc)
    m = re.search(r"(\d+):(\d+)", msg)
    if not m:
        return f"SPARQL syntax error: {msg}"
    line_no, col = int(m.group(1)), int(m.group(2))
    lines = query.splitlines() or [""]
    text = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    msg = re.sub(r"^error at \d+:\d+:\s*", "", msg)  # the position is said once, in the user's terms
    return f"SPARQL syntax error at line {line_no}, column {col}: {msg}\n  {text}\n  {' ' * (col - 1)}^"


# ----------------------------------------------------------------------------- the library


@dataclass(frozen=True)
class NamedQuery:
    """A query of ``kg/sparql/queries/``: its name, header fields and text.

    A header line ``# lookup: actor  actor`` says that the parameter ``actor`` names a resource
    of those kinds: the value is looked up as ``kg timeline --actor`` looks it up
    (:func:`kg.backends.lookup.bind_names`) and the query receives the resource's IRI.
    """

    name: str
    title: str
    question: str
    params: list[tuple[str, str]]  # (name, description)
    text: str
    path: Path
    lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # parameter -> kinds

    @property
    def param_names(self) -> list[str]:
        return [p for p, _ in self.params]

    @property
    def required_params(self) -> list[str]:
        """Parameters whose description gives no default."""
        return [p for p, desc in self.params if "default" not in desc.lower()]


def _parse_header(name: str, path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[tuple[str, str]] = []
    lookups: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*(\w+):\s*(.*)", line)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "param":
            pname, _, desc = value.partition(" ")
            params.append((pname.lstrip("?$"), desc.strip()))
        elif key == "lookup":
            pname, _, kinds = value.partition(" ")
            lookups[pname.lstrip("?$")] = tuple(k.strip() for k in kinds.split(",") if k.strip())
        else:
            fields[key] = value
    return NamedQuery(name, fields.get("title", name), fields.get("question", ""), params, text, path, lookups)


def library(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """The named queries, by name (the file name without ``.rq``)."""
    return {p.stem: _parse_header(p.stem, p) for p in sorted(Path(directory).glob("*.rq"))}


def resolve(query_or_name: str, directory: Path = QUERY_DIR) -> tuple[str, NamedQuery | None]:
    """A query text from a name of the library, or the text itself."""
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", query_or_name.strip()):
        named = library(directory).get(query_or_name.strip())
        if named is None:
            raise QueryError(
                f"no named query {query_or_name!r}; `kg queries` lists them ({', '.join(library(directory))})"
            )
        return named.text, named
    return query_or_name, None


def check_offline(query: str, *, update: bool = False) -> None:
    """Refuse ``SERVICE`` and queries too big or deep to parse: see :mod:`kg.sparql.guard`."""
    from kg.sparql.guard import check_offline as check

    check(query, update=update)


def to_json(value: Any) -> str:
    """Stable, readable JSON for the CLI's ``--format json`` of non-SPARQL commands."""
    import json

    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
