"""Serialise the graph: RDF in six syntaxes, the timeline as CSV and TimelineJS, the network as
GraphML, GEXF and CSV node/edge lists (:mod:`kg.export.formats`); byte-stable and atomic.

Triples are sorted before they are written, and no blank nodes are used, so the same data
always gives the same bytes and a diff between two versions shows only what changed.
Turtle, N-Triples, RDF/XML and JSON-LD hold the ontology and the data in one default graph;
TriG and N-Quads keep them in two named graphs (CONTRACT.md, "Files").
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg import atomic, paths
from kg.errors import UsageError
from kg.namespaces import PREFIXES
from kg.sparql import serialize_rdf

if TYPE_CHECKING:
    from kg.backends import Backend

#: Format name -> (file extension, media type, description).
FORMATS: dict[str, tuple[str, str, str]] = {
    "ttl": ("ttl", "text/turtle", "Turtle, one graph"),
    "nt": ("nt", "application/n-triples", "N-Triples, one graph"),
    "rdfxml": ("rdf", "application/rdf+xml", "RDF/XML, one graph"),
    "jsonld": ("jsonld", "application/ld+json", "JSON-LD compacted with schema/context.jsonld"),
    "trig": ("trig", "application/trig", "TriG, ontology and data as named graphs"),
    "nq": ("nq", "application/n-quads", "N-Quads, ontology and data as named graphs"),
    "csv": ("csv", "text/csv", "the timeline as CSV, one event a row"),
    "graphml": ("graphml", "application/graphml+xml", "the network as GraphML (Cytoscape, yEd, igraph, R)"),
    "gexf": ("gexf", "application/gexf+xml", "the network as dynamic GEXF 1.2 (Gephi, with its timeline)"),
    "timelinejs": ("json", "application/json", "the timeline as Knight Lab TimelineJS JSON"),
    "timelinejs-html": ("html", "text/html", "the timeline in TimelineJS, one page that opens offline"),
    "nodes-csv": ("csv", "text/csv", "the network's nodes as CSV (Gephi/Cytoscape import: Id,Label,...)"),
    "edges-csv": ("csv", "text/csv", "the network's edges as CSV (Gephi/Cytoscape import: Source,Target,...)"),
}
#: The formats of the network (kg.network.project) and of TimelineJS, made by kg.export.formats.
NETWORK_FORMATS = ("graphml", "gexf", "nodes-csv", "edges-csv")
_OX = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
_ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "xml": "rdfxml",
    "rdf": "rdfxml",
    "json-ld": "jsonld",
    "nquads": "nq",
    "n-quads": "nq",
    "timeline-js": "timelinejs",
    "nodes": "nodes-csv",
    "edges": "edges-csv",
}


def normalise_format(fmt: str | None, path: str | os.PathLike | None = None) -> str:
    """A format name from ``--format`` or, failing that, the output file's extension."""
    if fmt is None and path is not None:
        ext = os.path.splitext(str(path))[1].lstrip(".").lower()
        by_ext: dict[str, str] = {}
        for f, (e, _, _) in FORMATS.items():
            by_ext.setdefault(e, f)  # .csv is the timeline CSV, not a node or edge list
        by_ext |= {"json": "jsonld", "xml": "rdfxml", "owl": "rdfxml"}
        fmt = by_ext.get(ext)
        if fmt is None:
            raise UsageError(f"cannot tell the format of {str(path)!r}: give --format ({', '.join(FORMATS)})")
    fmt = _ALIASES.get((fmt or "ttl").lower(), (fmt or "ttl").lower())
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def _sorted_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize_triples(triples: Iterable[ox.Triple], fmt: str = "ttl") -> bytes:
    """One graph of triples, sorted, in ``ttl``, ``nt``, ``rdfxml`` or ``jsonld``."""
    fmt = normalise_format(fmt)
    triples = _sorted_triples(triples)
    if fmt == "jsonld":
        return _jsonld(triples)
    if fmt not in ("ttl", "nt", "rdfxml"):
        raise UsageError(f"{fmt!r} is not a single-graph RDF format")
    prefixes = PREFIXES if fmt != "nt" else None
    return serialize_rdf(triples, _OX[fmt], prefixes)


def context() -> dict[str, Any]:
    """The JSON-LD context of schema/context.jsonld."""
    return json.loads((paths.schema_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _jsonld(triples: list[ox.Triple]) -> bytes:
    """Compacted JSON-LD (rdflib), then sorted so that the output is byte-stable."""
    import rdflib

    g = rdflib.Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    ctx = context()
    doc = json.loads(g.serialize(format="json-ld", context=ctx, auto_compact=True))
    nodes = doc.get("@graph", [doc] if "@id" in doc else [])

    def norm(value: Any) -> Any:
        if isinstance(value, list):
            return sorted((norm(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        return value

    nodes = sorted((norm(n) for n in nodes), key=lambda n: n.get("@id", ""))
    out = {"@context": ctx, "@graph": nodes}
    return (json.dumps(out, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def timeline_csv(graph: Backend) -> bytes:
    """The whole timeline as CSV: one event a row, every actor and source listed."""
    from kg.explore.timeline import timeline
    from kg.sparql import rows_to_csv

    headers = [
        "id",
        "edtf",
        "earliest_begin",
        "latest_begin",
        "earliest_end",
        "latest_end",
        "label",
        "type",
        "actors",
        "places",
        "sources",
    ]
    rows = [
        [
            e["id"],
            e["edtf"],
            e["earliest_begin"],
            e["latest_begin"],
            e["earliest_end"] or "",
            e["latest_end"] or "",
            e["label"],
            e["type"],
            "; ".join(e["actors"]),
            "; ".join(e["places"]),
            "; ".join(e["sources"]),
        ]
        for e in timeline(graph)
    ]
    return rows_to_csv(headers, rows).encode()


def export(
    graph: Backend,
    fmt: str | None = "ttl",
    path: str | os.PathLike | None = None,
    *,
    stream: bool = False,
    **options: Any,
) -> bytes:
    """The graph in ``fmt`` (see :data:`FORMATS`); written atomically to ``path`` if given.

    With ``stream``, N-Triples and N-Quads written to ``path`` are streamed from the back end
    in constant memory (:meth:`~kg.backends.Backend.dump`: a store's own dump, in its index
    order; the bundled graph's sorted as always) and ``b""`` is returned.

    ``options`` go to the TimelineJS writer (:func:`kg.export.timelinejs.timelinejs`:
    ``group_by``, ``start``, ``end``, ``title``); other formats take none.

    >>> import kg
    >>> kg.load().export("nt").count(b"\\n") > 1000
    True
    """
    fmt = normalise_format(fmt, path)
    if stream and fmt in ("nt", "nq") and path is not None and not options:
        _stream(graph, fmt, path)
        return b""
    if options and fmt not in ("timelinejs", "timelinejs-html"):
        raise UsageError(f"--group-by, --from and --to ({', '.join(options)}) are for the timelinejs formats only")
    if fmt == "csv":
        data = timeline_csv(graph)
    elif fmt in NETWORK_FORMATS:
        from kg.export import formats
        from kg.network import project

        data = getattr(formats, fmt.replace("-", "_"))(project(graph))
    elif fmt == "timelinejs":
        from kg.export.timelinejs import timelinejs

        data = timelinejs(graph, **options)
    elif fmt == "timelinejs-html":
        from kg.export.timelinejs import page

        data = page(graph, **options)
    elif fmt in ("trig", "nq"):
        data = serialize_rdf(graph.quads(), _OX[fmt], PREFIXES if fmt == "trig" else None)
    else:
        data = serialize_triples(graph.triples(), fmt)
    if fmt in ("rdfxml", "graphml", "gexf"):
        _check_xml(data, fmt)
    if path is not None:
        atomic.write_bytes(path, data)
    return data


def _check_xml(data: bytes, fmt: str) -> None:
    """Refuse to write XML that is not well-formed: a control character that came in through
    `kg load` or `kg import` (the curated data refuses them) has no place in XML 1.0."""
    from xml.parsers import expat

    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError as exc:
        from kg.errors import DataError

        line = data.split(b"\n")[exc.lineno - 1][max(0, exc.offset - 30) : exc.offset + 30]
        raise DataError(
            [
                f"the {fmt} export would not be well-formed XML ({expat.ErrorString(exc.code)} near "
                f"{line.decode('utf-8', 'replace')!r}): the graph holds a character XML cannot carry"
            ]
        ) from None


def _stream(graph: Backend, fmt: str, path: str | os.PathLike) -> None:
    """Dump the graph into a temporary file beside ``path``, then put it in place."""
    import tempfile
    from pathlib import Path

    target = atomic.regular_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            graph.dump(fh, fmt)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: What ``kg publish`` writes into export/: file name -> format.
PUBLISHED = {
    "hk-timeline.ttl": "ttl",
    "hk-timeline.nt": "nt",
    "hk-timeline.jsonld": "jsonld",
    "hk-timeline.trig": "trig",
    "hk-timeline.rdf": "rdfxml",
    "hk-timeline.nq": "nq",
    "timeline.csv": "csv",
    "hk-timeline.graphml": "graphml",
    "hk-timeline.gexf": "gexf",
    "timelinejs.json": "timelinejs",
    "timelinejs.html": "timelinejs-html",
    "network.html": "network-html",
    "timeline.html": "timeline-html",
}
#: The interactive views of :mod:`kg.viz` that ``kg publish`` writes: format -> layout.
VIEWS = {"network-html": "network", "timeline-html": "timeline"}


def publish(graph: Backend, directory: str | os.PathLike) -> list[str]:
    """Regenerate every published artifact of ``export/``; returns the file names written."""
    written = []
    with atomic.replace_directory(directory, purpose="publish") as staging:  # all files or none
        for name, fmt in PUBLISHED.items():
            if fmt in VIEWS:
                from kg.viz import view

                view(graph, layout=VIEWS[fmt]).write(staging / name)
            else:
                export(graph, fmt, staging / name)
            written.append(name)
    return written
