"""Curation rules over the YAML records, for the classes of error SHACL cannot see.

The shapes check the RDF; these rules read the curated records themselves (with their file and
line, :mod:`kg.curate.records`), so that each finding points at the line a curator edits. Every rule is
a plain function of the records, run by ``kg validate`` (:func:`kg.curate.validate.check_curation`):

``temporal-order``
    a cause, motive, response target or predecessor that may begin after the event it explains
    (its latest begin is after the event's earliest begin); a part that certainly begins before
    its whole or ends after it.
``actor-named``
    an actor none of whose own quotes contains its label or one of its ``alt_labels`` (but a
    text's unidentified author, ``kind: unidentified``, has no name to find).
``quote-of-its-own``
    a role of an actor in an event, or a relation between events, with no quote of its own.
``date-precision``
    a date written more precisely than any of the record's own quotes gives it, with no
    ``date_note`` saying how it was found.
``outside-reference``
    a source without ``file`` that lacks a title, a publisher or a URL.
``loaded-vocabulary``
    a label or description (of an event, actor, place or law) in the project's own voice that uses a word of
    ``data/loaded-vocabulary.yaml`` (the texts' judgements) outside quotation marks.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from kg.curate.records import KINDS, LOCATIONS, RELATIONS, Dataset, read_yaml
from kg.curate.records import Mapping as Record

#: Rule name -> what it catches, in the order ``kg validate`` reports them.
RULES: dict[str, str] = {
    "temporal-order": "causes, motives, response targets and predecessors begin before what they explain",
    "actor-named": "every actor has a quote that names it (label or alternative name)",
    "quote-of-its-own": "every role and every relation between events has a quote of its own",
    "date-precision": "no date is more precise than its quotes, unless a date note says why",
    "outside-reference": "every outside reference has a title, a publisher and a URL",
    "loaded-vocabulary": "the project's own labels and descriptions use none of the sources' loaded words",
}
#: The file of the sources' loaded vocabulary, relative to the data directory.
VOCABULARY_FILE = "loaded-vocabulary.yaml"


@dataclass(frozen=True, order=True)
class Finding:
    """One broken rule, at the file and line (relative to the data directory) to edit."""

    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.rule}] {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "rule": self.rule, "message": self.message}


class Span(NamedTuple):
    """The bounds of an event's date (those of :class:`kg.curate.dates.DateBounds`; ends ``None`` if open)."""

    earliest_begin: dt.date
    latest_begin: dt.date
    earliest_end: dt.date | None
    latest_end: dt.date | None


# ----------------------------------------------------------------------------- reading


def read_dataset(root: Path) -> Dataset:
    """The records of a data directory, read without checking them again.

    For data that :func:`kg.curate.records.load_records` already accepted (a graph built from it):
    re-checking would parse every EDTF date a second time, the slowest step of loading.
    """
    root = Path(root)
    dataset = Dataset(root, {kind: {} for kind in KINDS})
    for kind in KINDS:
        for pattern in LOCATIONS[kind]:
            for path in sorted(root.glob(pattern)):
                for item in _read_fast(path, path.relative_to(root).as_posix()) or []:
                    if isinstance(item, Record) and isinstance(item.get("id"), str):
                        dataset[kind].setdefault(item["id"], item)
    return dataset


def _read_fast(path: Path, display: str) -> Any:
    """:func:`kg.curate.records.read_yaml` on libyaml when it is there (ten times faster): the same
    constructors and resolvers (records keep file and line), on the C parser."""
    import yaml

    from kg.curate.records import _yaml_loader

    if not getattr(yaml, "__with_libyaml__", False):
        return read_yaml(path, display)
    python_loader = _yaml_loader(display)

    class Loader(yaml.CSafeLoader):
        yaml_constructors = python_loader.yaml_constructors
        yaml_implicit_resolvers = python_loader.yaml_implicit_resolvers

    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - SafeLoader's constructors


def read_vocabulary(root: Path) -> tuple[list[str], list[Finding]] | None:
    """The loaded words of ``data/loaded-vocabulary.yaml`` (``None`` when the file is absent),
    with findings for entries that are not words."""
    path = Path(root) / VOCABULARY_FILE
    if not path.is_file():
        return None
    doc = read_yaml(path, VOCABULARY_FILE)
    entries = doc if isinstance(doc, list) else [doc]
    words = [w.strip() for w in entries if isinstance(w, str) and w.strip()]
    if words and len(words) == len(entries):
        return words, []
    return words, [Finding(VOCABULARY_FILE, 1, "loaded-vocabulary", "expected a list of words and phrases")]


def spans_of(dataset: Dataset) -> dict[str, Span]:
    """The date bounds of every event, parsed from its EDTF (the graph has them ready:
    :func:`kg.curate.validate.check_curation` reads them there instead)."""
    from kg.curate import dates

    out = {}
    for rid, rec in dataset["event"].items():
        try:
            b = dates.parse(str(rec["date"]))
        except (KeyError, dates.EDTFError):
            continue
        out[rid] = Span(b.earliest_begin, b.latest_begin, b.earliest_end, b.latest_end)
    return out


# ----------------------------------------------------------------------------- text


_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "‐": "-", "–": "-", "—": "-"})


def fold(text: str) -> str:
    """Text for comparing names: compatibility forms (a non-breaking space is a space),
    straight quotes and apostrophes, hyphens for dashes, single spaces, no case."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).translate(_FOLD).split()).casefold()


def _words(phrase: str) -> re.Pattern[str]:
    """A whole-word pattern on folded text; a final ``*`` stands for any ending of the word."""
    stem = fold(phrase)
    tail = r"\w*" if stem.endswith("*") else ""
    return re.compile(r"(?<!\w)" + re.escape(stem.rstrip("*")) + tail + r"(?!\w)")


_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’')


def _own_words(text: str) -> str:
    """The words of a label or description outside quotation marks (quoted words are the texts')."""
    return _QUOTED.sub(" ", " ".join(str(text).split()))


# ----------------------------------------------------------------------------- the rules


def _quotes(rec: Record) -> list[str]:
    return [str(e["quote"]) for e in rec.get("evidence") or [] if isinstance(e, Record) and e.get("quote")]


def _bounds(s: Span, rec: Record | None) -> str:
    begin = str(s.earliest_begin) if s.earliest_begin == s.latest_begin else f"{s.earliest_begin}..{s.latest_begin}"
    return f"{rec['date']}: begins {begin}" if rec is not None and "date" in rec else f"begins {begin}"


def check_temporal_order(dataset: Dataset, spans: Mapping[str, Span]) -> Iterator[Finding]:
    """What explains an event (cause, motive, what it responds to or follows) must not be able to
    begin after it; a part must not certainly begin before its whole, nor end after it."""
    events = dataset["event"]
    for rid, rec in events.items():
        here = spans.get(rid)
        if here is None:
            continue
        for key in RELATIONS:
            for rel in rec.get(key) or []:
                other = spans.get(rel["event"]) if isinstance(rel, Record) and "event" in rel else None
                if other is not None and other.latest_begin > here.earliest_begin:
                    yield Finding(
                        rec.file,
                        rel.line,
                        "temporal-order",
                        f"event {rid!r} ({_bounds(here, rec)}) {key.replace('_', ' ')} {rel['event']!r} "
                        f"({_bounds(other, events.get(rel['event']))}), which may begin after it",
                    )
        for parent in rec.get("part_of") or []:
            pid = parent.get("event") if isinstance(parent, Record) else parent
            if pid is None or pid not in spans:
                continue
            whole = spans[pid]
            line = parent.line if isinstance(parent, Record) else rec.line_of("part_of")
            ends_after = (
                here.earliest_end is not None and whole.latest_end is not None and here.earliest_end > whole.latest_end
            )
            if here.latest_begin < whole.earliest_begin or ends_after:
                whole_end = f", ends by {whole.latest_end}" if whole.latest_end else ""
                here_end = f", ends {here.earliest_end} at the earliest" if ends_after else ""
                yield Finding(
                    rec.file,
                    line,
                    "temporal-order",
                    f"event {rid!r} ({_bounds(here, rec)}{here_end}) is part of {pid!r} "
                    f"({_bounds(whole, events.get(pid))}{whole_end}), "
                    f"but {'ends after' if ends_after else 'begins before'} it",
                )


def _names(rec: Record) -> list[str]:
    """The label (also without a closing parenthesis such as "(unnamed in the source)") and alt_labels."""
    label = str(rec.get("label", ""))
    names = [label, re.sub(r"\s*\([^()]*\)\s*$", "", label)]
    return [n for n in dict.fromkeys(names + [str(a) for a in rec.get("alt_labels") or []]) if n.strip()]


def check_actor_named(dataset: Dataset) -> Iterator[Finding]:
    """An actor must rest on a passage that names it: otherwise nothing shows the text is about it."""
    for rid, rec in dataset["actor"].items():
        if rec.get("kind") == "unidentified":  # a text's unnamed author: nothing can name it
            continue
        quotes = [fold(q) for q in _quotes(rec)]
        names = _names(rec)
        if quotes and not any(_words(name).search(q) for name in names for q in quotes):
            yield Finding(
                rec.file,
                rec.line,
                "actor-named",
                f"actor {rid!r}: none of its {len(quotes)} quote(s) names it "
                f"(as {', '.join(repr(n) for n in names)}); quote a passage that names it, or add "
                "the name the text uses to alt_labels",
            )


def check_quote_of_its_own(dataset: Dataset) -> Iterator[Finding]:
    """Each role and each relation is a fact of its own: the event's quotes need not show it."""
    for rid, rec in dataset["event"].items():
        for role in rec.get("actors") or []:
            if isinstance(role, Record) and not _quotes(role):
                yield Finding(
                    rec.file,
                    role.line,
                    "quote-of-its-own",
                    f"event {rid!r}: role {role.get('role')!r} of {role.get('actor')!r} has no quote of its own",
                )
        for key in (*RELATIONS, "part_of"):
            for rel in rec.get(key) or []:
                if isinstance(rel, Record) and not _quotes(rel):
                    yield Finding(
                        rec.file,
                        rel.line,
                        "quote-of-its-own",
                        f"event {rid!r}: relation {key!r} to {rel.get('event')!r} has no quote of its own",
                    )


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
#: Absolute date expressions by precision: 3 (a day), 2 (a month), 1 (a year).
_EXPRESSIONS = (
    (3, re.compile(rf"\b{_MONTH} {_ORDINAL}\b|\b{_ORDINAL} (?:of )?{_MONTH}(?!\w)|\b\d{{4}}-\d\d-\d\d\b")),
    (2, re.compile(rf"\b{_MONTH}(?!\w)|\b\d{{4}}-\d\d\b")),
    (1, re.compile(r"\b(?:1[5-9]\d\d|20[0-3]\d)\b")),
)
_PRECISION = {0: "no date", 1: "a year", 2: "a month", 3: "a day"}


def quoted_precision(quote: str) -> int:
    """The finest absolute date a quote gives: 3 a day ("May 25, 2020", "18 June"), 2 a month
    ("June 2021"), 1 a year ("In 2019"), 0 none. Relative dates ("Monday", "last year") give none."""
    text = " ".join(unicodedata.normalize("NFKC", quote).split())
    return next((level for level, rx in _EXPRESSIONS if rx.search(text)), 0)


def written_precision(edtf: str) -> int:
    """The finest part of a date as written: 3 a day (``2020-06-30``, ``[2020-05-25..2020-06-18]``),
    2 a month, 1 a year."""
    return max((1 + m.group(0).count("-") for m in re.finditer(r"\d{4}(?:-\d\d){0,2}", edtf)), default=0)


def _dated(dataset: Dataset) -> Iterator[tuple[str, Record]]:
    for kind in ("event", "source"):
        for rid, rec in dataset[kind].items():
            yield f"{kind} {rid!r}", rec
    for rid, rec in dataset["actor"].items():
        for post in rec.get("posts") or []:
            if isinstance(post, Record):
                yield f"actor {rid!r} post {post.get('title')!r}", post


#: The date fields checked, each with the notes that may explain it (a post's ``attested`` day
#: is usually the date of the text that calls the holder "current").
_DATE_FIELDS = (("date", ("date_note",)), ("attested", ("date_note", "note")))


def check_date_precision(dataset: Dataset) -> Iterator[Finding]:
    """A date finer than its quotes is an inference: the date note must say what it rests on."""
    for what, rec in _dated(dataset):
        for key, notes in _DATE_FIELDS:
            if key not in rec or any(rec.get(n) for n in notes):
                continue
            written = written_precision(str(rec[key]))
            quoted = max((quoted_precision(q) for q in _quotes(rec)), default=0)
            if written > quoted:
                yield Finding(
                    rec.file,
                    rec.line_of(key),
                    "date-precision",
                    f"{what}: {key} {str(rec[key])!r} is written to {_PRECISION[written]}, but its quotes give "
                    f"{_PRECISION[quoted]}; add a {notes[0]} saying how the date was found, or write it at the "
                    "precision of the quotes",
                )


def check_outside_reference(dataset: Dataset) -> Iterator[Finding]:
    """A reader must be able to find and weigh an outside reference: who published what, where."""
    for rid, rec in dataset["source"].items():
        if "file" in rec:
            continue
        have = {
            "title": rec.get("title"),
            "publisher": rec.get("publisher") or rec.get("publisher_name"),
            "url": rec.get("url"),
        }
        missing = [k for k, v in have.items() if not (isinstance(v, str) and v.strip())]
        if missing:
            yield Finding(
                rec.file,
                rec.line,
                "outside-reference",
                f"source {rid!r} is an outside reference (no 'file') without {', '.join(missing)} "
                "(publisher: 'publisher_name' or a 'publisher' actor)",
            )


def check_loaded_vocabulary(dataset: Dataset, words: Iterable[str]) -> Iterator[Finding]:
    """The texts' judgements belong in quotes and attributed claims, not in the project's voice."""
    patterns = [(w, _words(w)) for w in words]
    for kind in ("event", "actor", "place", "law"):
        for rid, rec in dataset.records.get(kind, {}).items():
            for key in ("label", "description"):
                if not isinstance(rec.get(key), str):
                    continue
                text = fold(_own_words(rec[key]))
                hits = [w for w, rx in patterns if rx.search(text)]
                if hits:
                    yield Finding(
                        rec.file,
                        rec.line_of(key),
                        "loaded-vocabulary",
                        f"{kind} {rid!r} {key}: {', '.join(repr(h) for h in hits)} is the sources' loaded "
                        f"vocabulary ({VOCABULARY_FILE}); describe neutrally, or quote the text's words",
                    )


def run(
    dataset: Dataset, spans: Mapping[str, Span] | None = None, vocabulary: Iterable[str] | None = None
) -> list[Finding]:
    """Every finding of every rule, sorted by file and line.

    ``spans`` defaults to the events' bounds parsed from their EDTF; without ``vocabulary``
    (a data directory without ``loaded-vocabulary.yaml``), that rule has nothing to check.
    """
    rules: list[Callable[[], Iterable[Finding]]] = [
        lambda: check_temporal_order(dataset, spans_of(dataset) if spans is None else spans),
        lambda: check_actor_named(dataset),
        lambda: check_quote_of_its_own(dataset),
        lambda: check_date_precision(dataset),
        lambda: check_outside_reference(dataset),
        lambda: check_loaded_vocabulary(dataset, vocabulary or []),
    ]
    return sorted(f for rule in rules for f in rule())


def check_directory(root: Path) -> list[Finding]:
    """Load and check a data directory (:func:`kg.curate.records.load_records`), then run every rule."""
    from kg.curate.records import load_records

    vocabulary = read_vocabulary(root)
    words, problems = vocabulary if vocabulary is not None else ([], [])
    return sorted(problems + run(load_records(Path(root)), vocabulary=words))
