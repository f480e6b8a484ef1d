"""Load the knowledge graph: build it from ``data/`` once, cache it, query it with Oxigraph.

The first load after a change to ``data/``, ``schema/`` or the build code parses the YAML and
writes an N-Quads cache file; later loads read that file straight into an in-memory Oxigraph
store, which keeps ``kg timeline`` and ``kg query`` faster than importing rdflib.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from kg import atomic, paths
from kg.errors import QueryError
from kg.namespaces import RDF, RDFS, SEM
from kg.sparql import SelectResult, check_offline, parse_param, resolve, serialize_rdf, syntax_message

if TYPE_CHECKING:
    from kg.backends.selection import IndexedEvent, Selection

#: What selecting an event already gives (its class, label and begin), left out of its facts.
DATED_AND_NAMED = (RDF + "type", RDFS + "label", SEM + "hasEarliestBeginTimeStamp", SEM + "hasLatestBeginTimeStamp")
#: Any graph class, for methods that return the graph itself (``with open_store(p) as g``).
_Graph = TypeVar("_Graph", bound="KnowledgeGraph")

# Code whose change alters the built graph, and so the cache key.
_BUILD_CODE = (
    "curate/build.py",
    "curate/statements.py",
    "curate/terms.py",
    "curate/records.py",
    "curate/specs.py",
    "curate/yaml_read.py",
    "curate/dates.py",
    "namespaces.py",
)


def fingerprint(data_dir: Path, schema_dir: Path) -> str:
    """SHA-256 over the contents of the data, the schema and the build code."""
    h = hashlib.sha256()
    files = [("code", paths.PACKAGE_DIR / name) for name in _BUILD_CODE]
    for label, root in (("data", data_dir), ("schema", schema_dir)):
        files += [(label, p) for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".yaml", ".yml", ".ttl")]
    for label, path in files:
        rel = path.name if label == "code" else path.relative_to(data_dir if label == "data" else schema_dir).as_posix()
        h.update(f"{label}/{rel}\0".encode())
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def build_nquads(data_dir: Path, schema_dir: Path) -> bytes:
    """Parse and check the YAML, build the graph, and return it as sorted N-Quads."""
    from kg.curate.build import build_quads, read_ontology
    from kg.curate.records import load_records

    dataset = load_records(data_dir)
    quads = build_quads(dataset, read_ontology(schema_dir))
    return serialize_rdf(sorted_quads(quads), ox.RdfFormat.N_QUADS)


def solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """The answer of a ``SELECT`` (pyoxigraph's ``query`` returns any of the three forms)."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected the solutions of a SELECT, not {type(result).__name__}")
    return result


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in a stable order (graph, subject, predicate, object), for byte-stable output."""
    return sorted(set(quads), key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


class KnowledgeGraph:
    """The event graph in an Oxigraph store, with the project's operations as methods.

    >>> import kg
    >>> g = kg.load()
    >>> g.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }").dicts()[0]["n"] > 10
    True
    """

    def __init__(
        self,
        store: ox.Store | None,
        data_dir: Path | None = None,
        label: str = "",
        fingerprint: str = "",
        union: bool | None = True,
    ):
        self._store = store
        self.data_dir = data_dir
        self.label = label
        #: SHA-256 of the graph's sorted N-Quads, the data fingerprint the site and the pages
        #: cite ("" for stores, whose event index token names their data instead).
        self.fingerprint = fingerprint
        self._union = union

    @property
    def store(self) -> ox.Store:
        """The Oxigraph store the graph answers from; a graph closed or behind an endpoint has none."""
        if self._store is None:
            raise QueryError(f"{self.label or 'the graph'} has no Oxigraph store (closed, or behind an endpoint)")
        return self._store

    def close(self) -> None:
        """Nothing to release for a graph in memory (a store releases its files)."""

    def __enter__(self: _Graph) -> _Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def union(self) -> bool:
        """Whether queries see the union of all graphs (the bundled graph keeps its ontology
        and data in two named graphs) or only the default graph (a store of triples: much
        faster on Oxigraph, which need not merge graphs). Stores decide by their content."""
        if self._union is None:
            from kg.backends.index_graph import uses_named_graphs

            return uses_named_graphs(self.store)
        return self._union

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.label or 'store'}: {len(self)} quads>"

    # ------------------------------------------------------------------ SPARQL

    def query(self, sparql: str, params: dict[str, Any] | None = None) -> Any:
        """Run SPARQL 1.1 (a query text or a library name) with safely bound parameters.

        Returns a :class:`~kg.sparql.SelectResult` for ``SELECT``, a list of pyoxigraph
        triples for ``CONSTRUCT``/``DESCRIBE`` and a ``bool`` for ``ASK``. Parameter values
        are RDF terms or strings (parsed by :func:`kg.sparql.parse_param`). The project's
        prefixes (``sem:``, ``schema:``, ``hk:``, …) are predeclared.
        """
        from kg.explore.lookup import bind_names
        from kg.namespaces import PREFIXES

        text, named = resolve(sparql)
        check_offline(text)
        params = bind_names(self, named, params)  # a parameter that names a resource: its IRI
        substitutions = {}
        missing = [p for p in named.required_params if p not in (params or {})] if named is not None else []
        if named is not None and missing:
            raise QueryError(
                f"query {named.name!r} needs "
                + " ".join(f"--param {p}=…" for p in missing)
                + f" ({'; '.join(f'{n}: {d}' for n, d in named.params if n in missing)})"
            )
        for name, value in (params or {}).items():
            if named is not None and name not in named.param_names:
                raise QueryError(
                    f"query {named.name!r} has no parameter {name!r} "
                    f"(its parameters: {', '.join(named.param_names) or 'none'})"
                )
            term = parse_param(value) if isinstance(value, str) else value
            substitutions[ox.Variable(name)] = term
        try:
            result = self.store.query(
                text, prefixes=PREFIXES, use_default_graph_as_union=self.union, substitutions=substitutions
            )
        except SyntaxError as exc:
            raise QueryError(syntax_message(exc, text)) from None
        except RuntimeError as exc:
            if "SELECT projection" in str(exc):
                raise QueryError(
                    f"{exc}: a bound parameter must be one of the SELECT variables "
                    "(parameters are substituted safely, SPARQL SEP-0007)"
                ) from None
            raise QueryError(f"query failed: {exc}") from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None
        if isinstance(result, ox.QuerySolutions):
            solutions = SelectResult.from_solutions(result)
            return solutions.without(named.param_names) if named else solutions
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return list(result)

    def select(self, sparql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a ``SELECT`` as dictionaries of plain Python values."""
        return self.query(sparql, params).dicts()

    # ------------------------------------------------------------------ the operations

    def timeline(self, **filters: Any) -> list[dict[str, Any]]:
        """Events in date order; see :func:`kg.explore.timeline.timeline`."""
        from kg.explore.timeline import timeline

        return timeline(self, **filters)

    def events(
        self,
        start: str | None = None,
        end: str | None = None,
        actor: str | None = None,
        type: str | None = None,  # noqa: A002 - the CLI option's name
    ) -> list[IndexedEvent]:
        """The events a timeline with these filters shows, undescribed; see
        :func:`kg.explore.timeline.events`."""
        from kg.explore.timeline import events

        return events(self, start, end, actor, type)

    def select_events(self, selection: Selection) -> list[IndexedEvent]:
        """The events of a resolved selection, by SPARQL (:mod:`kg.backends.sparql_events`)."""
        from kg.backends.sparql_events import select_events

        return select_events(self, selection)

    def show(self, name_or_id: str) -> dict[str, Any]:
        """Everything about one actor or event; see :func:`kg.explore.show.show`."""
        from kg.explore.show import show

        return show(self, name_or_id)

    def export(self, fmt: str = "ttl", path: str | os.PathLike | None = None) -> bytes:
        """Serialise the graph; see :func:`kg.export.export`."""
        from kg.export import export

        return export(self, fmt, path)

    def validate(self, sources: str | os.PathLike | None = None) -> Any:
        """SHACL and quote checks; see :func:`kg.curate.validate.validate`."""
        from kg.curate.validate import validate

        return validate(self, sources)

    def stats(self) -> dict[str, Any]:
        """Counts by class, event type, source and date precision; see :func:`kg.explore.stats.stats`."""
        from kg.explore.stats import stats

        return stats(self)

    def date_index(self):
        """``(earliest begin, latest earliest begin, widest begin span in days)`` of the events,
        from the store's index graph or computed; ``None`` for a graph without events."""
        import datetime as dt

        if not hasattr(self, "_date_index"):
            from kg.backends.index_graph import INDEX_QUERIES, duration_days

            rows = self.select(
                "SELECT ?min ?max ?span WHERE { GRAPH <https://w3id.org/hk-timeline-kg/graph/index> {"
                " ?g hk:minEarliestBegin ?min ; hk:maxEarliestBegin ?max ; hk:maxBeginSpanDays ?span } }"
            ) or self.select(INDEX_QUERIES["dates"])
            row = rows[0] if rows else {}
            if row.get("min") is None:
                self._date_index = None
            else:
                span = row["span"] if isinstance(row["span"], int) else duration_days(str(row["span"]))
                self._date_index = (dt.date.fromisoformat(row["min"]), dt.date.fromisoformat(row["max"]), span)
        return self._date_index

    def facts(self, subjects: list[str]) -> list[tuple[str, str, Any]]:
        """``(subject, predicate IRI, object term)`` of every triple about ``subjects`` (IRIs).

        Direct index scans, several times faster than a SPARQL ``VALUES`` join on a large store.
        """
        graph = None if self.union else ox.DefaultGraph()
        out = []
        for iri in subjects:
            node = ox.NamedNode(iri)
            out += [(iri, q.predicate.value, q.object) for q in self.store.quads_for_pattern(node, None, None, graph)]
        return out

    def fact_values(self, subjects: list[str], skip: Iterable[str] = ()) -> list[tuple[str, str, str]]:
        """``(subject, predicate IRI, object value)`` of every triple about ``subjects`` whose
        predicate is not in ``skip`` (see :func:`kg.backends.sparql_events.fact_values`)."""
        from kg.backends.sparql_events import fact_values

        return fact_values(self, subjects, skip)

    def event_facts(self, events: list[str], predicates: Collection[str]) -> list[tuple[str, str, str]]:
        """``(event, predicate IRI, value)`` of the events' facts by ``predicates``: what a
        timeline shows of each event (a store answers from its event index)."""
        wanted = set(predicates)
        return [f for f in self.fact_values(events, skip=DATED_AND_NAMED) if f[1] in wanted]

    def labels(self, nodes: list[str]) -> dict[str, str]:
        """The ``rdfs:label`` (else ``skos:prefLabel``) of each of ``nodes`` (IRIs) that has one."""
        from kg.backends.sparql_events import labels

        return labels(self, nodes)

    def linked_events(
        self, node: str, limit: int, counted: Collection[str] = ()
    ) -> dict[str, tuple[int, list[IndexedEvent]]]:
        """For each predicate by which events link to ``node`` (IRI): how many events, and the
        first ``limit`` of them in timeline order, but only counted for the predicates of
        ``counted`` (see :func:`kg.backends.sparql_events.linked_events`)."""
        from kg.backends.sparql_events import linked_events

        return linked_events(self, node, limit, counted)

    def quads(self) -> Iterable[ox.Quad]:
        """All quads, sorted."""
        return sorted_quads(self.store)

    def triples(self) -> Iterable[ox.Triple]:
        """All triples of all graphs, merged (the default-graph view of the exports)."""
        return [ox.Triple(q.subject, q.predicate, q.object) for q in self.store]

    def dump(self, out: Any, fmt: str) -> None:
        """Every triple (``fmt`` "nt", all graphs merged) or quad ("nq") to the binary file
        ``out``, sorted: byte-stable for the same data."""
        if fmt == "nt":
            triples = sorted(set(self.triples()), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
            ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)
        else:
            ox.serialize(self.quads(), out, format=ox.RdfFormat.N_QUADS)

    def to_rdflib(self) -> Any:
        """An ``rdflib.Dataset`` copy (ontology and data as named graphs), for rdflib tools."""
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(data=serialize_rdf(self.quads(), ox.RdfFormat.N_QUADS), format="nquads")
        return ds


def load(data: str | os.PathLike | None = None, *, cache: bool = True) -> KnowledgeGraph:
    """Load the knowledge graph of a data directory (default: the bundled data, or ``$KG_DATA``).

    The graph is built once and cached; the cache is rebuilt when the data, the schema or the
    build code change. Raises :class:`kg.curate.records.DataError` when the data has mistakes.

    >>> g = load()
    >>> len(g) > 1000
    True
    """
    data_dir = paths.data_dir(data).resolve()
    schema_dir = paths.schema_dir()
    if not data_dir.is_dir():
        from kg.errors import DataError

        raise DataError([f"{data_dir}: no such data directory"])
    store = ox.Store()
    key = fingerprint(data_dir, schema_dir)
    if not cache:
        built = build_nquads(data_dir, schema_dir)
        store.load(built, format=ox.RdfFormat.N_QUADS)
        return KnowledgeGraph(store, data_dir, str(data_dir), hashlib.sha256(built).hexdigest())
    where = hashlib.sha256(str(data_dir).encode()).hexdigest()[:12]
    nquads = _cached_nquads(paths.cache_dir(), f"graph-{where}-{key[:24]}")
    if nquads is None:
        nquads = build_nquads(data_dir, schema_dir)
        _write_cache(paths.cache_dir(), f"graph-{where}-{key[:24]}", f"graph-{where}-", nquads)
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    return KnowledgeGraph(store, data_dir, str(data_dir), hashlib.sha256(nquads).hexdigest())


def _cached_nquads(directory: Path, stem: str) -> bytes | None:
    """The cache file ``STEM-SHA.nq`` whose content has the SHA-256 its name says; a damaged
    one (cut, emptied, edited, overwritten) is removed with a warning and ``None`` returned,
    so that the graph is rebuilt rather than trusted."""
    import sys

    for path in sorted(directory.glob(f"{stem}-*.nq")):
        try:
            data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest()[:32] == path.stem.rsplit("-", 1)[-1]:
            return data
        print(f"warning: the graph cache {path} is damaged: rebuilding it", file=sys.stderr)
        path.unlink(missing_ok=True)
    return None


def _write_cache(directory: Path, stem: str, family: str, nquads: bytes) -> None:
    """Write the cache atomically under a name holding its SHA-256, then remove the caches of
    older data. Processes that build at once write the same bytes under the same name, and
    none removes a file of the current data, so none pulls a cache from under another."""
    import sys

    target = directory / f"{stem}-{hashlib.sha256(nquads).hexdigest()[:32]}.nq"
    try:
        atomic.write_bytes(target, nquads)
    except OSError as exc:  # a read-only or full disk: the graph is built, only not kept
        print(f"warning: cannot write the graph cache {target}: {exc.strerror or exc}", file=sys.stderr)
        return
    for old in directory.glob(f"{family}*.nq"):
        if not old.name.startswith(stem + "-"):
            old.unlink(missing_ok=True)
