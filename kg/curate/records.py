"""Read and check the curated YAML of ``data/``, keeping the file and line of every field.

Every mistake is reported as ``file:line: kind 'id': field 'name': what is wrong``, all of
them at once, so a curator can fix a whole file in one pass. The fields of each kind are in
:mod:`kg.curate.specs`, the reading of one file in :mod:`kg.curate.yaml_read`. Nothing here
knows RDF: :mod:`kg.curate.build` turns the checked records into triples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.curate.specs import (
    ACTOR_KINDS,
    DATED,
    EVIDENCE,
    ID_PATTERN,
    KINDS,
    LOCATIONS,
    RELATIONS,
    ROLES,
    SPECS,
)
from kg.curate.yaml_read import Mapping, read_yaml
from kg.curate.yaml_read import kind_name as _kind
from kg.curate.yaml_read import yaml_loader as _yaml_loader
from kg.errors import DataError

# The names this module has always offered: the specifications and the reader live beside it.
__all__ = [
    "ACTOR_KINDS",
    "DATED",
    "EVIDENCE",
    "ID_PATTERN",
    "KINDS",
    "LOCATIONS",
    "RELATIONS",
    "ROLES",
    "SPECS",
    "DataError",
    "Dataset",
    "Mapping",
    "_yaml_loader",
    "load_records",
    "read_yaml",
]


@dataclass
class Dataset:
    """The checked records of a data directory, by kind and id."""

    root: Path
    records: dict[str, dict[str, Mapping]] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> dict[str, Mapping]:
        return self.records[kind]


class _Checker:
    """Walks records against SPECS, collecting problems and the references to resolve."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.refs: list[tuple[Mapping, str, str, str]] = []  # (record, field, kind, id)

    def problem(self, m: Mapping, key: str | None, what: str, label: str) -> None:
        line = m.line_of(key) if key else m.line
        field_part = f" field {key!r}:" if key else ""
        self.problems.append(f"{m.file}:{line}: {label}:{field_part} {what}")

    def check(self, m: Any, spec_name: str, label: str, where: Mapping | None = None) -> bool:
        if not isinstance(m, Mapping):
            self.problem(where or Mapping(), None, f"expected a mapping of fields, found {_kind(m)}", label)
            return False
        spec = SPECS[spec_name]
        for key in m:
            if key not in spec:
                known = ", ".join(spec)
                self.problem(m, key, f"unknown field (known fields: {known})", label)
        for key, (typ, required) in spec.items():
            if key not in m or m[key] is None or m[key] == []:
                if required:
                    self.problem(m, None, f"missing required field {key!r}", label)
                continue
            self.value(m, key, typ, label)
        return True

    def value(self, m: Mapping, key: str, typ: Any, label: str) -> None:
        v = m[key]
        bad = lambda what: self.problem(m, key, what, label)  # noqa: E731
        if isinstance(typ, tuple):
            if v not in typ:
                bad(f"{v!r} is not one of: {', '.join(typ)}")
        elif typ == "id":
            if not isinstance(v, str) or not ID_PATTERN.match(v):
                bad(f"{v!r} is not an id (lower-case letters, digits, single hyphens)")
        elif typ == "str":
            if not isinstance(v, str) or not v.strip():
                bad(f"expected text, found {_kind(v)}")
        elif typ == "url":
            if not isinstance(v, str) or not re.match(r"^https?://\S+$", v):
                bad(f"{v!r} is not an http(s) URL")
        elif typ == "sha256":
            if not isinstance(v, str) or not re.fullmatch(r"[0-9a-f]{64}", v):
                bad("expected 64 lower-case hex digits")
        elif typ == "strs":
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                bad("expected a list of texts")
        elif typ == "bool":
            if not isinstance(v, bool):
                bad(f"expected true or false, found {_kind(v)}")
        elif typ == "number":
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                bad(f"expected a number, found {_kind(v)}")
        elif typ == "edtf":
            from kg.curate import dates

            try:
                dates.parse(str(v))
            except dates.EDTFError as exc:
                bad(f"bad EDTF date: {exc}")
        elif typ.startswith(("ref:", "refs:")):
            kind = typ.split(":", 1)[1]
            values = v if typ.startswith("refs:") and isinstance(v, list) else [v]
            if typ.startswith("ref:") and isinstance(v, list):
                bad("expected one id, found a list")
                return
            for x in values:
                if not isinstance(x, str):
                    bad(f"expected an id, found {_kind(x)}")
                else:
                    self.refs.append((m, key, kind, x))
        elif typ in ("evidence", "role", "relation", "post", "name"):
            if not isinstance(v, list):
                bad(f"expected a list, found {_kind(v)}")
                return
            for i, item in enumerate(v):
                sub = f"{label} {key}[{i}]"
                spec = "evidence" if typ == "evidence" else typ
                if typ == "evidence" and isinstance(item, Mapping):
                    self._evidence(item, sub)
                else:
                    self.check(item, spec, sub, where=m)
        elif typ in ("figure", "geo"):
            self.check(v, typ, f"{label} {typ}", where=m)

    def _evidence(self, item: Mapping, label: str) -> None:
        for key in item:
            if key not in EVIDENCE:
                self.problem(item, key, "unknown field (known fields: source, quote)", label)
        for key, (typ, _required) in EVIDENCE.items():
            if key not in item or item[key] in (None, ""):
                self.problem(item, None, f"missing required field {key!r}", label)
            else:
                self.value(item, key, typ, label)


def load_records(root: Path) -> Dataset:
    """Read every YAML file of a data directory and check it.

    Raises :class:`DataError` listing every problem (file, line, field, what is wrong).
    """
    root = Path(root)
    if not root.is_dir():
        raise DataError([f"{root}: no such data directory"])
    if not any(next(root.glob(p), None) for patterns in LOCATIONS.values() for p in patterns):
        raise DataError([f"{root}: no data files (sources.yaml, places.yaml, actors/, events/, claims/)"])
    checker = _Checker()
    dataset = Dataset(root, {kind: {} for kind in KINDS})
    for kind in KINDS:
        for pattern in LOCATIONS[kind]:
            for path in sorted(root.glob(pattern)):
                display = path.relative_to(root).as_posix()
                try:
                    doc = read_yaml(path, display)
                except DataError as exc:
                    checker.problems.extend(exc.problems)
                    continue
                if doc is None:
                    continue
                if not isinstance(doc, list):
                    checker.problems.append(f"{display}:1: expected a list of {kind} records, found {_kind(doc)}")
                    continue
                anchor = Mapping()
                anchor.file, anchor.line, anchor.key_lines = display, 1, {}
                for item in doc:
                    rid = item.get("id") if isinstance(item, Mapping) else None
                    label = f"{kind} {rid!r}" if rid else kind
                    if not checker.check(item, kind, label, where=anchor):
                        continue
                    if isinstance(rid, str):
                        if rid in dataset[kind]:
                            first = dataset[kind][rid]
                            checker.problem(
                                item,
                                "id",
                                f"duplicate id, first defined at {first.file}:{first.line}",
                                label,
                            )
                        else:
                            dataset[kind][rid] = item
    for m, key, kind, ref in checker.refs:
        kinds = KINDS if kind == "any" else (kind,)
        if not any(ref in dataset[k] for k in kinds):
            what = "record" if kind == "any" else kind
            checker.problem(m, key, f"unknown {what} id {ref!r}", _label_of(m))
    _check_semantics(dataset, checker)
    if checker.problems:
        raise DataError(checker.problems)
    return dataset


def _label_of(m: Mapping) -> str:
    return f"record {m['id']!r}" if "id" in m else "entry"


def _check_semantics(dataset: Dataset, checker: _Checker) -> None:
    """Rules that span fields: corpus vs outside sources, where quotes may point."""
    sources = dataset["source"]
    for src in sources.values():
        label = f"source {src['id']!r}"
        if "file" in src:
            if "sha256" not in src:
                checker.problem(src, None, "a corpus document needs 'sha256'", label)
            if "publisher_name" in src and "publisher_sources" not in src:
                checker.problem(
                    src,
                    "publisher_name",
                    "a corpus document names a publisher actor, or a publisher_name with the"
                    " publisher_sources (outside references) that identify it",
                    label,
                )
        elif "url" not in src:
            checker.problem(src, None, "an outside reference (no 'file') needs a 'url'", label)
    for m, key, kind, ref in checker.refs:
        if kind == "source" and key == "source" and ref in sources and "file" not in sources[ref]:
            checker.problem(
                m,
                key,
                f"{ref!r} is an outside reference: quotes must come from corpus documents",
                "evidence",
            )
    actors = dataset["actor"]
    for event in dataset["event"].values():
        for role in event.get("actors") or []:
            actor_id = role.get("actor") if isinstance(role, Mapping) else None
            actor = actors.get(actor_id) if isinstance(actor_id, str) else None
            if actor is not None and actor.get("kind") == "unidentified":
                checker.problem(
                    role,
                    "actor",
                    "an unidentified author makes claims, it takes no role in events",
                    f"event {event['id']!r}",
                )
        for rel in event.get("motivated_by") or []:
            if isinstance(rel, Mapping) and not rel.get("according_to"):
                checker.problem(
                    rel, None, "a motivation is a stated reason: say whose ('according_to')", f"event {event['id']!r}"
                )
    for actor in dataset["actor"].values():
        if actor.get("kind") == "unidentified" and ("classes" in actor or "part_of" in actor or "posts" in actor):
            checker.problem(
                actor, None, "an unidentified author has no classes, parent or posts", f"actor {actor['id']!r}"
            )
        if actor.get("kind") == "person" and ("classes" in actor or "part_of" in actor):
            checker.problem(actor, None, "'classes' and 'part_of' are for organisations", f"actor {actor['id']!r}")
        if actor.get("kind") == "organisation" and "posts" in actor:
            checker.problem(actor, "posts", "posts are held by people", f"actor {actor['id']!r}")
