"""``kg import``: tabular event data (CSV/TSV) into a store, through a declarative mapping.

A mapping (YAML, see ``kg/curate/mappings/acled.yaml`` and ``gdelt.yaml``) says which columns give an
event's id, label, date, type, actors with their roles and place, and what else the row says
that standard RDF can hold: coordinates, fatalities, notes, actor codes (:mod:`kg.curate.rowfacts`).
Each row becomes an event that meets CONTRACT.md: the table file is its source document
(identified by its SHA-256), and the row's own text, verbatim, is the quote every event, actor
and place rests on, so
``kg validate --store PATH --sources DIR`` can check the import like the curated data.

Rows stream through in constant memory (beyond the set of actor and place names seen) into a
temporary N-Quads file; only a complete import is bulk-loaded into the store, so a bad row
(reported with its line number) aborts without leaving a half-written store, unless
``skip_bad`` skips it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox

from kg import paths
from kg.curate import dates, rowfacts
from kg.curate.build import Builder, event_types, iri
from kg.curate.records import ROLES, Dataset, Mapping
from kg.curate.yaml_bounds import UNSAFE_TEXT
from kg.errors import DataError, UsageError

if TYPE_CHECKING:
    from kg.backends.store import StoreBackend

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
#: Longest cell of a table, in characters (the csv module's default is 128 KiB).
MAX_FIELD = 16 << 20
_PRECISIONS = ("day", "week", "month", "year")


def mapping_path(name_or_path: str | os.PathLike) -> Path:
    """A mapping file: a path, or the name of a shipped mapping (``acled``, ``gdelt``)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    shipped = MAPPINGS_DIR / f"{name_or_path}.yaml"
    if shipped.is_file():
        return shipped
    names = ", ".join(p.stem for p in sorted(MAPPINGS_DIR.glob("*.yaml")))
    raise UsageError(f"no mapping {str(name_or_path)!r} (a YAML file, or one of: {names})")


def read_mapping(name_or_path: str | os.PathLike) -> dict[str, Any]:
    """Parse and check a mapping; a mistake names the file, line and key."""
    from kg.curate.records import read_yaml

    path = mapping_path(name_or_path)
    m = read_yaml(path, str(path))
    problems = []
    if not isinstance(m, dict):
        raise DataError([f"{path}:1: a mapping is a YAML mapping of keys"])
    for key in ("id", "label", "date", "type", "actors"):
        if key not in m:
            problems.append(f"{path}:1: missing required key {key!r}")
    for i, actor in enumerate(m.get("actors") or []):
        if not isinstance(actor, Mapping) or "column" not in actor:
            problems.append(f"{path}: actors[{i}]: needs a 'column'")
        elif actor.get("role", "participant") not in ROLES:
            problems.append(
                f"{path}:{actor.line_of('role')}: actors[{i}]: role {actor['role']!r} is not one of {', '.join(ROLES)}"
            )
    problems += rowfacts.check(m, str(path))
    if problems:
        raise DataError(problems)
    return m


@dataclass
class ImportSummary:
    """What an import did."""

    rows: int = 0
    events: int = 0
    skipped: list[str] = field(default_factory=list)
    actors: int = 0
    places: int = 0
    bytes: int = 0


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug:
        slug = "x" + hashlib.sha1(text.encode()).hexdigest()[:10]
    return slug[:80].strip("-")


def _template(spec: Any, row: dict[str, str]) -> str:
    """``"{actor1} in {location}"`` filled from the row (missing columns are empty)."""
    if isinstance(spec, dict):
        spec = "{" + spec["column"] + "}"
    return re.sub(r"\{([^{}]+)\}", lambda m: (row.get(m.group(1)) or "").strip(), str(spec)).strip()


def _edtf(spec: dict[str, Any], row: dict[str, str]) -> str:
    """The row's date as EDTF, from a column and a strptime format (or ``edtf``), and an
    optional precision column (ACLED's time_precision: 1 day, 2 week, 3 month)."""
    raw = (row.get(spec["column"]) or "").strip()
    if not raw:
        raise ValueError(f"column {spec['column']!r} is empty")
    fmt = spec.get("format", "edtf")
    if fmt == "edtf":
        return dates.parse(raw).edtf
    try:
        day = dt.datetime.strptime(raw, fmt).date()
    except ValueError:
        raise ValueError(f"column {spec['column']!r}: {raw!r} is not a date in format {fmt}") from None
    precision = "day"
    if "precision" in spec:
        pspec = spec["precision"]
        value = (row.get(pspec["column"]) or "").strip()
        precision = {str(k): v for k, v in pspec.get("map", {}).items()}.get(value, pspec.get("default", "day"))
        if precision not in _PRECISIONS:
            raise ValueError(f"precision {precision!r} is not one of {', '.join(_PRECISIONS)}")
    if precision == "week":
        try:
            lo, hi = day - dt.timedelta(days=3), day + dt.timedelta(days=3)
        except OverflowError:
            raise ValueError(f"column {spec['column']!r}: the week around {raw!r} leaves years 1-9999") from None
        return f"[{lo.isoformat()}..{hi.isoformat()}]"
    return {"day": day.isoformat(), "month": day.strftime("%Y-%m"), "year": day.strftime("%Y")}[precision]


def _rows(
    path: Path, mapping: dict[str, Any], on_bytes: Callable[[int], None] | None
) -> Iterator[tuple[int, dict[str, str], str]]:
    """``(line number, row, raw text of the row)`` for each record of the table."""
    delimiter = mapping.get("delimiter") or ("\t" if path.suffix.lower() in (".tsv", ".csv.tsv", ".txt") else ",")
    columns = mapping.get("columns")
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if mapping.get("quoting") == "none" else csv.QUOTE_MINIMAL
    encoding = mapping.get("encoding") or "utf-8"
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # a byte-order mark is no part of the first column's name
    csv.field_size_limit(MAX_FIELD)
    with path.open("r", encoding=encoding, newline="") as fh:
        raw_lines: list[str] = []

        def lines() -> Iterator[str]:
            for line in fh:
                raw_lines.append(line)
                if on_bytes:
                    on_bytes(len(line.encode("utf-8")))
                yield line

        reader = _checked(csv.reader(lines(), delimiter=delimiter, quoting=quoting), path, encoding)
        header = columns or next(reader, None)
        raw_lines.clear()
        if header is None:
            return
        line_no = 1 if not columns else 0
        for record in reader:
            raw = "".join(raw_lines).rstrip("\r\n")
            line_no += 1
            first_line = line_no
            line_no += max(0, len(raw_lines) - 1)
            raw_lines.clear()
            if not any(cell.strip() for cell in record):
                continue
            yield first_line, dict(zip(header, record, strict=False)), raw


def _checked(records: Iterator[list[str]], path: Path, encoding: str) -> Iterator[list[str]]:
    """The records, with a table that is not text in ``encoding`` or not CSV reported as a
    :class:`DataError` naming the file and line."""
    line = 1
    try:
        for line, record in enumerate(records, 1):  # noqa: B007 - read after the loop
            yield record
    except UnicodeDecodeError as exc:
        with path.open("rb") as fh:
            head = fh.read(4)
        guess = " (it looks like UTF-16)" if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in head else ""
        raise DataError(
            [
                f"{path.name}: not {encoding.removesuffix('-sig')} text{guess}, near record {line}: {exc.reason}; "
                "give its encoding with --encoding (e.g. latin-1, utf-16)"
            ]
        ) from None
    except csv.Error as exc:
        raise DataError([f"{path.name}: record {line + 1}: {exc}"]) from None


def import_table(
    table: str | os.PathLike,
    mapping: str | os.PathLike | dict[str, Any],
    target: StoreBackend,
    *,
    skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import the events of a CSV/TSV ``table`` into the store of ``target`` (from
    :func:`kg.backends.store.open_store`) through ``mapping``.

    Raises :class:`~kg.errors.DataError` naming the first bad row (file and line) unless
    ``skip_bad``; in that case the store is left as it was.
    """
    fd, tmp_name = tempfile.mkstemp(suffix=".nq", prefix="kg-import-")
    os.close(fd)
    try:
        summary = convert(table, mapping, tmp_name, skip_bad=skip_bad, progress=progress)
        from kg.backends.loading import load_files

        load_files(target, [tmp_name])
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return summary


def import_to_store(
    table: str | os.PathLike,
    mapping: str | os.PathLike | dict[str, Any],
    location: str | os.PathLike,
    *,
    skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
    encoding: str | None = None,
) -> ImportSummary:
    """Import ``table`` into the store at ``location`` (created if missing), all or nothing:
    the rows go into a copy of the store beside it (hard links, not a copy of the data),
    which then takes the store's place in one step. An error, Ctrl-C or ``kill -9`` leaves
    the store as it was; what a killed import leaves beside it goes at the next import."""
    from kg.backends.loading import load_files
    from kg.backends.safe_load import staged_store
    from kg.backends.store import open_store

    with staged_store(location, "import") as new:
        converted = new.parent / "import.nq"
        summary = convert(table, mapping, converted, skip_bad=skip_bad, progress=progress, encoding=encoding)
        with open_store(new, create=True) as graph:
            load_files(graph, [converted])
    return summary


def convert(
    table: str | os.PathLike,
    mapping: str | os.PathLike | dict[str, Any],
    output: str | os.PathLike,
    *,
    skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
    encoding: str | None = None,
) -> ImportSummary:
    """Convert ``table`` to N-Quads in ``output`` (in the default graph), row by row.

    Raises :class:`~kg.errors.DataError` naming the first bad row unless ``skip_bad``, and
    for any id that repeats another's (also in another case: ids become lower-case IRIs).
    ``encoding`` overrides the mapping's (default UTF-8, with or without a byte-order mark).
    """
    path = Path(table)
    if not path.is_file():
        raise UsageError(f"no such file: {str(path)!r}")
    m = mapping if isinstance(mapping, dict) else read_mapping(mapping)
    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None
        m = {**m, "encoding": encoding}
    summary = ImportSummary(bytes=path.stat().st_size)
    sha = _sha256(path)
    source_id = _slug(f"{m.get('name', 'import')}-{path.name}")
    b = Builder(
        Dataset(path.parent, {k: {} for k in ("source", "place", "actor", "event", "claim")}),
        event_types(paths.read_ontology()),
    )
    seen_events: dict[str, tuple[int, str]] = {}
    seen_actors: set[str] = set()
    seen_places: set[str] = set()
    type_spec = m["type"]
    graph = ox.DefaultGraph()  # a store of triples is fastest to query

    def rec(line: int, **fields: Any) -> Mapping:
        r = Mapping(fields)
        r.file, r.line, r.key_lines = path.name, line, {}
        return r

    with open(output, "wb") as out:
        title = f"{m.get('name', 'Imported table')}: {path.name}"
        b.source(rec(1, id=source_id, file=path.name, sha256=sha, title=title, **{"class": "Dataset"}))
        if b.problems:
            raise DataError(b.problems)
        for line, row, raw in _rows(path, m, progress):
            summary.rows += 1
            row_actors: list[str] = []
            row_places: list[str] = []
            try:
                evidence = [{"source": source_id, "quote": raw}]
                unsafe = UNSAFE_TEXT.search(raw)
                if unsafe:
                    raise ValueError(f"control character U+{ord(unsafe.group()):04X} in the row")
                given_id = _template(m["id"], row)
                if not given_id:
                    raise ValueError("the id is empty")
                event_id = _slug(given_id)
                if event_id in seen_events:  # never merge two rows into one event
                    first_line, first_id = seen_events[event_id]
                    same = "is" if first_id == given_id else f"differs only in case or punctuation from {first_id!r}"
                    raise ValueError(f"id {given_id!r} {same} the id of line {first_line}")
                label = _template(m["label"], row)
                if not label:
                    raise ValueError("the label is empty")
                etype = _event_type(type_spec, row)
                if etype not in b.event_types:
                    raise ValueError(f"event type {etype!r} is not in the scheme")
                edtf = _edtf(m["date"], row)
                roles = []
                for spec in m["actors"]:
                    value = (row.get(spec["column"]) or "").strip()
                    names = [v.strip() for v in value.split(spec["split"])] if spec.get("split") else [value]
                    for name in filter(None, names):
                        actor_id = _slug(name)
                        if actor_id not in seen_actors:
                            seen_actors.add(actor_id)
                            row_actors.append(actor_id)
                            b.actor(
                                rec(
                                    line,
                                    id=actor_id,
                                    kind=spec.get("kind", "organisation"),
                                    label=name,
                                    evidence=evidence,
                                )
                            )
                            code = (row.get(spec["code"]) or "").strip() if spec.get("code") else ""
                            if code:
                                b.add(iri("actor", actor_id), rowfacts.expand("schema:identifier"), ox.Literal(code))
                        roles.append({"actor": actor_id, "role": spec.get("role", "participant")})
                if not roles:
                    raise ValueError("no actor: every event needs at least one")
                event = rec(line, id=event_id, label=label, type=etype, date=edtf, actors=roles, evidence=evidence)
                place = _template(m["place"], row) if m.get("place") else ""
                if place:
                    place_id = _slug(place)
                    if place_id not in seen_places:
                        seen_places.add(place_id)
                        row_places.append(place_id)
                        coordinates = rowfacts.geo(m, row, source_id)
                        geo = {"geo": rec(line, **coordinates)} if coordinates else {}
                        b.place(rec(line, id=place_id, label=place, evidence=evidence, **geo))
                    event["place"] = place_id
                b.event(event)
                b.triples.extend(rowfacts.facts(m, row, iri("event", event_id)))
                if b.problems:
                    raise ValueError("; ".join(b.problems))
            except (ValueError, KeyError, OverflowError, dates.EDTFError) as exc:
                b.triples.clear()
                b.problems.clear()
                seen_actors.difference_update(row_actors)  # their triples were just dropped
                seen_places.difference_update(row_places)
                problem = f"{path.name}:{line}: {exc}"
                if not skip_bad:
                    raise DataError([problem + " (use --skip-bad to skip bad rows)"]) from None
                summary.skipped.append(problem)
                continue
            ox.serialize((ox.Quad(s, p, o, graph) for s, p, o in b.triples), out, format=ox.RdfFormat.N_QUADS)
            b.triples.clear()
            seen_events[event_id] = (line, given_id)
            summary.events += 1
        ox.serialize((ox.Quad(s, p, o, graph) for s, p, o in b.triples), out, format=ox.RdfFormat.N_QUADS)
    summary.actors, summary.places = len(seen_actors), len(seen_places)
    return summary


def _event_type(spec: Any, row: dict[str, str]) -> str:
    if isinstance(spec, str):
        return spec
    value = (row.get(spec["column"]) or "").strip()
    for key in (value, value[: spec.get("prefix", len(value))]):
        mapped = {str(k): v for k, v in (spec.get("map") or {}).items()}.get(key)
        if mapped:
            return mapped
    if "default" in spec:
        return spec["default"]
    raise ValueError(f"column {spec['column']!r}: no event type for {value!r}")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
