"""``kg validate``: the SHACL shapes of CONTRACT.md, every quote checked against its text, and
the curation rules over the YAML records.

SHACL runs as SPARQL on the graph's own engine (:mod:`kg.curate.shacl`) over the ontology and
the data together, so a store of a million events is checked without reading it into Python.
The quote check reads the corpus texts (``../shared/sources/`` or ``--sources``), checks that
each document's SHA-256 matches, and has the engine check, character for character, that every
``oa:exact`` is a substring of its source's text, in one pass over the quotes. A graph that
breaks the contract everywhere gets the first :data:`LISTED` problems of each kind and the
number of all, in bounded memory.
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

import pyoxigraph as ox

from kg import paths
from kg.namespaces import ID, shorten

if TYPE_CHECKING:
    from kg.backends import Backend

#: The quotes: each property in a subquery of its own, so that Oxigraph joins whole columns by
#: hashing them (following each quote's blank nodes one lookup at a time took 240 µs a quote at
#: 1M events).
_CHAIN = """
  { SELECT ?t ?source WHERE { ?t oa:hasSource ?source } }
  { SELECT ?t ?selector WHERE { ?t oa:hasSelector ?selector } }
  { SELECT ?selector ?exact WHERE { ?selector oa:exact ?exact } }
  { SELECT ?ann ?t WHERE { ?ann oa:hasTarget ?t } }
  { SELECT ?ann ?body WHERE { ?ann oa:hasBody ?body } }
  { SELECT ?ann WHERE { ?ann a oa:Annotation } }
"""
#: For each source, its quotes and how many of them its text (``?text``, where it was read)
#: does not hold: the engine tests each quote (``CONTAINS``, character for character), so a
#: million quotes cost one pass and no Python object each.
_TALLY = """SELECT ?source (COUNT(*) AS ?n) (SUM(IF(BOUND(?text), 1, 0)) AS ?checked)
  (SUM(COALESCE(IF(BOUND(?text) && !CONTAINS(?text, STR(?exact)), 1, 0), 1)) AS ?bad)
WHERE { %s OPTIONAL { VALUES (?source ?text) { %s } } } GROUP BY ?source ORDER BY ?source"""
#: The quotes that their text does not hold, of the sources of ``VALUES``.
_MISSES = """SELECT ?body ?exact ?source WHERE {
  %s VALUES (?source ?text) { %s } FILTER(!COALESCE(CONTAINS(?text, STR(?exact)), false)) }"""
#: The nodes whose quotes cite a source that is not a corpus document, of the sources of ``VALUES``.
_STRAYS = "SELECT DISTINCT ?body ?source WHERE { %s VALUES ?source { %s } }"
#: Problems listed, at most, of each kind (SHACL violations, quotes): a graph that breaks the
#: contract everywhere gets this many and the count of all, in bounded memory.
LISTED = 10_000
_DOCUMENTS = """SELECT ?source ?file ?sha WHERE {
  ?source a hk:CorpusDocument ; hk:fileName ?file ; hk:sha256 ?sha } ORDER BY ?file"""


@dataclass
class Report:
    """What ``kg validate`` found. ``conforms`` is true only when every check that ran passed."""

    #: The violations listed (at most :data:`LISTED`, sorted) and how many were found in all.
    shacl: list[dict[str, str]] = field(default_factory=list)
    shacl_total: int = 0
    #: The quote problems listed (at most :data:`LISTED`, sorted) and how many were found in all.
    quotes: list[str] = field(default_factory=list)
    quotes_total: int = 0
    #: Of those, the nodes whose quotes cite a source that is not a corpus document.
    stray_quotes: int = 0
    documents: list[str] = field(default_factory=list)
    checked_quotes: int = 0
    #: Quotes whose document could not be read (a failure where the texts were found: nothing
    #: vouches for them).
    unchecked_quotes: int = 0
    checked_documents: int = 0
    sources_dir: str = ""
    #: False when no directory of corpus texts was given and none was found where one is looked
    #: for: the quotes were not checked against the texts, and that alone is no failure.
    sources_found: bool = True
    #: Findings of the curation rules, as :meth:`kg.curate.checks.Finding.as_dict`.
    curation: list[dict[str, Any]] = field(default_factory=list)
    #: The data directory the curation rules read ("" when the graph has no YAML records:
    #: a store or an endpoint).
    data_dir: str = ""

    @property
    def conforms(self) -> bool:
        return not (self.shacl_total or self.quotes_total or self.documents or self.curation)

    def as_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "shacl": self.shacl,
            "shacl_total": self.shacl_total,
            "quotes": self.quotes,
            "quotes_total": self.quotes_total,
            "stray_quotes": self.stray_quotes,
            "documents": self.documents,
            "checked_quotes": self.checked_quotes,
            "unchecked_quotes": self.unchecked_quotes,
            "checked_documents": self.checked_documents,
            "sources_dir": self.sources_dir,
            "sources_found": self.sources_found,
            "curation": self.curation,
            "data_dir": self.data_dir,
        }

    def render(self) -> str:
        return "".join(self.lines())

    def lines(self) -> Iterator[str]:
        """The report for people, line by line (ten thousand violations need not be one string)."""
        yield f"SHACL (schema/shapes.ttl): {_verdict(self.shacl_total, len(self.shacl), 'conforms', 'violation(s)')}\n"
        for r in self.shacl:
            yield f"  {r['focus']}  {r['path']}: {r['message']}\n"
        if not self.sources_found:
            yield (
                f"Source documents: NOT CHECKED, nor the quotes against their texts: no corpus texts at"
                f" {self.sources_dir} (give --sources DIR or set KG_SOURCES)\n"
            )
        else:
            yield (
                f"Source documents ({self.sources_dir}): {self.checked_documents} checked, "
                f"{'all match' if not self.documents else f'{len(self.documents)} problem(s)'}\n"
            )
        yield from (f"  {p}\n" for p in self.documents)
        missing = "no corpus texts" if not self.sources_found else "their document is missing"
        misses = self.quotes_total - self.stray_quotes
        yield (
            f"Quotes: {self.checked_quotes:,} checked, {f'{misses:,} not verbatim' if misses else 'all verbatim'}"
            + (f", {self.stray_quotes:,} node(s) citing no corpus document" if self.stray_quotes else "")
            + (f" (the first {len(self.quotes):,} problems listed)" if len(self.quotes) < self.quotes_total else "")
            + (f", {self.unchecked_quotes:,} not checked ({missing})" if self.unchecked_quotes else "")
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
        if not self.conforms:
            yield "FAILED\n"
        elif self.sources_found:
            yield "OK: the graph holds to CONTRACT.md\n"
        else:
            yield "OK as far as checked: the quotes were not checked against the corpus texts\n"


def _verdict(total: int, listed: int, good: str, bad: str) -> str:
    if not total:
        return good
    return f"{total:,} {bad}" + (f" (the first {listed:,} listed)" if listed < total else "")


def _fold(text: str) -> str:
    """Text with quote marks, dashes and spacing folded, to explain a near miss."""
    table = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    return " ".join(unicodedata.normalize("NFKC", text).translate(table).split())


def check_quotes(graph: Backend, sources: str | os.PathLike | None = None) -> Report:
    """Check document checksums and that every quote is verbatim in its source text. Without
    ``sources`` (nor ``$KG_SOURCES``) where no corpus texts are found, the quotes are counted and
    their sources checked to be corpus documents, and the report says the texts were not read."""
    report = Report()
    src_dir = Path(paths.sources_dir(sources))
    report.sources_dir = str(src_dir)
    report.sources_found = bool(sources or os.environ.get("KG_SOURCES")) or src_dir.is_dir()
    texts: dict[str, str] = {}
    for row in graph.select(_DOCUMENTS) if report.sources_found else ():
        path = src_dir / row["file"]
        report.checked_documents += 1
        if not path.resolve().is_relative_to(src_dir.resolve()):  # a hostile data set probes the disk
            report.documents.append(f"{shorten(row['source'])}: {row['file']!r} is outside the sources directory")
            continue
        if not path.is_file():
            report.documents.append(f"{shorten(row['source'])}: {path} not found (give --sources DIR)")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha"]:
            report.documents.append(f"{shorten(row['source'])}: SHA-256 of {path} does not match the data")
        texts[row["source"]] = data.decode("utf-8", errors="replace")
    files = {
        row["source"]: row["file"] for row in graph.select("SELECT ?source ?file WHERE { ?source hk:fileName ?file }")
    }
    given = " ".join(f"(<{source}> {ox.Literal(text)})" for source, text in sorted(texts.items()))
    bad, strays = [], []
    for row in graph.select(_TALLY % (_CHAIN, given)):
        report.checked_quotes += int(row["checked"])
        report.unchecked_quotes += int(row["n"]) - int(row["checked"])
        if int(row["bad"]):
            bad.append(row["source"])
        elif row["source"] not in files:
            strays.append(row["source"])
    problems: list[tuple[str, str, str]] = []  # (body, quote, problem), sorted at the end
    if bad:
        values = " ".join(f"(<{source}> {ox.Literal(texts[source])})" for source in bad)
        folded = {source: _fold(texts[source]) for source in bad}
        rows, report.quotes_total = _listed(graph, _MISSES % (_CHAIN, values))
        for row in rows:
            body, exact, source = _short(row["body"]), row["exact"], row["source"]
            hint = (
                " (it differs only in quote marks, dashes or spacing: the text may have a"
                " non-breaking space, written \\u00a0 in YAML)"
                if _fold(exact) in folded[source]
                else ""
            )
            problems.append((row["body"], exact, f"{body}: not verbatim in {files[source]}{hint}: “{exact}”"))
    if strays:
        values = " ".join(f"<{source}>" for source in strays)
        rows, report.stray_quotes = _listed(graph, _STRAYS % (_CHAIN, values))
        for row in rows:
            problem = f"{_short(row['body'])}: quote cites {shorten(row['source'])}, which is not a corpus document"
            problems.append((row["body"], "", problem))
        report.quotes_total += report.stray_quotes
    report.quotes = [problem for *_, problem in sorted(problems)][:LISTED]
    return report


def _short(iri: str) -> str:
    return iri[len(ID) :] if iri.startswith(ID) else iri


def _listed(graph: Backend, query: str) -> tuple[list[dict[str, Any]], int]:
    """The first :data:`LISTED` rows of ``query`` and the number of all its rows (counted by the
    engine when there are more)."""
    rows = graph.select(f"{query} LIMIT {LISTED}")
    if len(rows) < LISTED:
        return rows, len(rows)
    return rows, int(graph.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {query} }}")[0]["n"])


def check_shacl(graph: Backend) -> list[dict[str, str]]:
    """schema/shapes.ttl over the ontology and the data, run as SPARQL by the graph's own engine
    (:mod:`kg.curate.shacl`: the same violations as pySHACL, in bounded memory on a store or an
    endpoint); one dict per violation, the first :data:`LISTED` of them, and ``.total``, the
    number of all (a :class:`kg.curate.shacl.Violations`)."""
    from kg.curate.shacl import compile_shapes, violations

    return violations(graph, compile_shapes(paths.schema_dir() / "shapes.ttl"), limit=LISTED)


_SPANS = """SELECT ?e ?eb ?lb ?ee ?le WHERE {
  ?e a sem:Event ; sem:hasEarliestBeginTimeStamp ?eb ; sem:hasLatestBeginTimeStamp ?lb .
  OPTIONAL { ?e sem:hasEarliestEndTimeStamp ?ee ; sem:hasLatestEndTimeStamp ?le }
}"""


def check_curation(graph: Backend) -> list[dict[str, Any]] | None:
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


def validate(graph: Backend, sources: str | os.PathLike | None = None) -> Report:
    """Run every check; ``report.conforms`` tells the verdict and ``report.render()`` explains it."""
    report = check_quotes(graph, sources)
    shacl = check_shacl(graph)
    report.shacl, report.shacl_total = list(shacl), getattr(shacl, "total", len(shacl))  # or all, listed
    curation = check_curation(graph)
    if curation is not None:
        report.curation, report.data_dir = curation, str(graph.data_dir)
    return report
