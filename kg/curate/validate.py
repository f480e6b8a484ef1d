"""``kg validate``: the SHACL shapes of CONTRACT.md, every quote checked against its text, and
the curation rules over the YAML records.

SHACL runs as SPARQL on the graph's own engine (:mod:`kg.curate.shacl`) over the ontology and
the data together, so a store of a million events is checked without reading it into Python.
The quote check reads the corpus texts (``../shared/sources/`` or ``--sources``) and checks, character for character,
that every ``oa:exact`` is a substring of its source, and that each document's SHA-256 matches.
The curation rules (:mod:`kg.curate.checks`) read the records of a graph built from ``data/``
and name the file, line and rule of each finding.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import paths
from kg.namespaces import ID, shorten

if TYPE_CHECKING:
    from kg.backends.memory import KnowledgeGraph

#: Each property in a subquery of its own: Oxigraph joins whole columns by hashing them, where
#: following each quote's blank nodes one lookup at a time took 240 µs a quote at 1M events.
_QUOTES = """
SELECT ?body ?exact ?source WHERE {
  { SELECT ?t ?source WHERE { ?t oa:hasSource ?source } }
  { SELECT ?t ?selector WHERE { ?t oa:hasSelector ?selector } }
  { SELECT ?selector ?exact WHERE { ?selector oa:exact ?exact } }
  { SELECT ?ann ?t WHERE { ?ann oa:hasTarget ?t } }
  { SELECT ?ann ?body WHERE { ?ann oa:hasBody ?body } }
  { SELECT ?ann WHERE { ?ann a oa:Annotation } }
}
"""
#: Quotes read per query: memory holds this many, not the million quotes of a large store.
_BATCH = 250_000
_DOCUMENTS = """SELECT ?source ?file ?sha WHERE {
  ?source a hk:CorpusDocument ; hk:fileName ?file ; hk:sha256 ?sha } ORDER BY ?file"""


@dataclass
class Report:
    """What ``kg validate`` found. ``conforms`` is true only when every check passed."""

    shacl: list[dict[str, str]] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    checked_quotes: int = 0
    #: Quotes whose document could not be read (a failure: nothing vouches for them).
    unchecked_quotes: int = 0
    checked_documents: int = 0
    sources_dir: str = ""
    #: Findings of the curation rules, as :meth:`kg.curate.checks.Finding.as_dict`.
    curation: list[dict[str, Any]] = field(default_factory=list)
    #: The data directory the curation rules read ("" when the graph has no YAML records:
    #: a store or an endpoint).
    data_dir: str = ""

    @property
    def conforms(self) -> bool:
        return not (self.shacl or self.quotes or self.documents or self.curation)

    def as_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "shacl": self.shacl,
            "quotes": self.quotes,
            "documents": self.documents,
            "checked_quotes": self.checked_quotes,
            "unchecked_quotes": self.unchecked_quotes,
            "checked_documents": self.checked_documents,
            "sources_dir": self.sources_dir,
            "curation": self.curation,
            "data_dir": self.data_dir,
        }

    def render(self) -> str:
        return "".join(self.lines())

    def lines(self) -> Iterator[str]:
        """The report for people, line by line (a million violations need not be one string)."""
        yield f"SHACL (schema/shapes.ttl): {'conforms' if not self.shacl else f'{len(self.shacl)} violation(s)'}\n"
        for r in self.shacl:
            yield f"  {r['focus']}  {r['path']}: {r['message']}\n"
        yield (
            f"Source documents ({self.sources_dir}): {self.checked_documents} checked, "
            f"{'all match' if not self.documents else f'{len(self.documents)} problem(s)'}\n"
        )
        yield from (f"  {p}\n" for p in self.documents)
        yield (
            f"Quotes: {self.checked_quotes} checked, "
            f"{'all verbatim' if not self.quotes else f'{len(self.quotes)} not verbatim'}"
            + (f", {self.unchecked_quotes} not checked (their document is missing)" if self.unchecked_quotes else "")
            + "\n"
        )
        yield from (f"  {p}\n" for p in self.quotes)
        if self.data_dir:
            from kg.curate.checks import RULES

            verdict = "all hold" if not self.curation else f"{len(self.curation)} violation(s)"
            yield f"Curation rules ({self.data_dir}: {', '.join(RULES)}): {verdict}\n"
            yield from (f"  {f['file']}:{f['line']}: [{f['rule']}] {f['message']}\n" for f in self.curation)
        else:
            yield "Curation rules: not run (the graph was not built from a data directory)\n"
        yield "OK: the graph holds to CONTRACT.md\n" if self.conforms else "FAILED\n"


def _fold(text: str) -> str:
    """Text with quote marks, dashes and spacing folded, to explain a near miss."""
    table = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    return " ".join(unicodedata.normalize("NFKC", text).translate(table).split())


def check_quotes(graph: KnowledgeGraph, sources: str | os.PathLike | None = None) -> Report:
    """Check document checksums and that every quote is verbatim in its source text."""
    report = Report()
    src_dir = paths.sources_dir(sources)
    report.sources_dir = str(src_dir)
    texts: dict[str, str] = {}
    for row in graph.select(_DOCUMENTS):
        path = Path(src_dir) / row["file"]
        report.checked_documents += 1
        if not path.resolve().is_relative_to(Path(src_dir).resolve()):  # a hostile data set probes the disk
            report.documents.append(f"{shorten(row['source'])}: {row['file']!r} is outside the sources directory")
            continue
        if not path.is_file():
            report.documents.append(f"{shorten(row['source'])}: {path} not found (give --sources DIR)")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha"]:
            report.documents.append(f"{shorten(row['source'])}: SHA-256 of {path} does not match the data")
        texts[row["source"]] = data.decode("utf-8", errors="replace")
    named = graph.select("SELECT ?source ?file WHERE { ?source hk:fileName ?file }")
    files = {row["source"]: row["file"] for row in named}
    problems: list[tuple[str, str, str]] = []  # (body, quote, problem), sorted at the end
    for row in _quote_rows(graph):
        body = row["body"][len(ID) :] if row["body"].startswith(ID) else row["body"]
        text = texts.get(row["source"])
        if text is None:
            if row["source"] not in files:
                problem = f"{body}: quote cites {shorten(row['source'])}, which is not a corpus document"
                problems.append((row["body"], "", problem))  # the same text for each of the body's quotes
            report.unchecked_quotes += 1  # its document is missing, reported once above
            continue
        report.checked_quotes += 1
        if row["exact"] not in text:
            hint = (
                " (it differs only in quote marks, dashes or spacing: the text may have a"
                " non-breaking space, written \\u00a0 in YAML)"
                if _fold(row["exact"]) in _fold(text)
                else ""
            )
            problems.append(
                (row["body"], row["exact"], f"{body}: not verbatim in {files[row['source']]}{hint}: “{row['exact']}”")
            )
    report.quotes = [problem for *_, problem in sorted(problems)]
    return report


def _quote_rows(graph: KnowledgeGraph) -> Iterator[dict[str, Any]]:
    """The rows of ``_QUOTES``, read for a few sources at a time (up to ``_BATCH`` quotes), so
    that memory holds one batch."""
    counts = "SELECT ?source (COUNT(*) AS ?n) WHERE { ?t oa:hasSource ?source } GROUP BY ?source ORDER BY ?source"
    batch: list[str] = []
    size = 0
    for row in [*graph.select(counts), None]:
        if batch and (row is None or size + int(row["n"]) > _BATCH):
            values = " ".join(f"<{s}>" for s in batch)
            restricted = f"VALUES ?source {{ {values} }} ?t oa:hasSource"
            yield from graph.select(_QUOTES.replace("?t oa:hasSource", restricted))
            batch, size = [], 0
        if row is not None:
            batch.append(row["source"])
            size += int(row["n"])


def check_shacl(graph: KnowledgeGraph) -> list[dict[str, str]]:
    """schema/shapes.ttl over the ontology and the data, run as SPARQL by the graph's own engine
    (:mod:`kg.curate.shacl`: the same violations as pySHACL, in bounded memory on a store or an
    endpoint); one dict per violation."""
    from kg.curate.shacl import compile_shapes, violations

    return violations(graph, compile_shapes(paths.schema_dir() / "shapes.ttl"))


_SPANS = """SELECT ?e ?eb ?lb ?ee ?le WHERE {
  ?e a sem:Event ; sem:hasEarliestBeginTimeStamp ?eb ; sem:hasLatestBeginTimeStamp ?lb .
  OPTIONAL { ?e sem:hasEarliestEndTimeStamp ?ee ; sem:hasLatestEndTimeStamp ?le }
}"""


def check_curation(graph: KnowledgeGraph) -> list[dict[str, Any]] | None:
    """The curation rules over the records the graph was built from (``None`` for a graph
    without a data directory). The events' bounds come from the graph, already parsed."""
    import datetime as dt

    from kg.curate import checks

    data_dir = getattr(graph, "data_dir", None)
    if data_dir is None:
        return None
    day = lambda v: None if v is None else dt.date.fromisoformat(v)  # noqa: E731
    prefix = f"{ID}event/"
    spans = {
        row["e"][len(prefix) :]: checks.Span(
            dt.date.fromisoformat(row["eb"]), dt.date.fromisoformat(row["lb"]), day(row["ee"]), day(row["le"])
        )
        for row in graph.select(_SPANS)
        if row["e"].startswith(prefix)
    }
    vocabulary = checks.read_vocabulary(Path(data_dir))
    words, problems = vocabulary if vocabulary is not None else ([], [])
    findings = problems + checks.run(checks.read_dataset(Path(data_dir)), spans, words)
    return [f.as_dict() for f in sorted(findings)]


def validate(graph: KnowledgeGraph, sources: str | os.PathLike | None = None) -> Report:
    """Run every check; ``report.conforms`` tells the verdict and ``report.render()`` explains it."""
    report = check_quotes(graph, sources)
    report.shacl = check_shacl(graph)
    curation = check_curation(graph)
    if curation is not None:
        report.curation, report.data_dir = curation, str(graph.data_dir)
    return report
