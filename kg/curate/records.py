"""Read and check the curated YAML of ``data/``, keeping the file and line of every field.

Every mistake is reported as ``file:line: kind 'id': field 'name': what is wrong``, all of
them at once, so a curator can fix a whole file in one pass. Nothing here knows RDF:
:mod:`kg.curate.build` turns the checked records into triples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.curate.yaml_bounds import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, UNSAFE_TEXT, expanded_size
from kg.errors import DataError

KINDS = ("source", "place", "actor", "law", "event", "claim")
#: Where each kind of record lives, relative to the data directory.
LOCATIONS = {
    "source": ["sources.yaml"],
    "place": ["places.yaml"],
    "actor": ["actors/*.yaml"],
    "law": ["laws.yaml"],
    "event": ["events/*.yaml"],
    "claim": ["claims/*.yaml"],
}
ROLES = (
    "organiser",
    "participant",
    "author",
    "signatory",
    "addressee",
    "speaker",
    "authority",
    "subject",
    "target",
    "affected",
)
RELATIONS = ("caused_by", "motivated_by", "responds_to", "follows")
#: Actor kinds: ``unidentified`` is the unnamed author of a text, of whom the text does not say
#: whether it is a person or an organisation (it can make claims, not take roles in events).
ACTOR_KINDS = ("person", "organisation", "unidentified")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Mapping(dict):
    """A YAML mapping that remembers its file, its line and the line of each key."""

    file: str = "?"
    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def _yaml_loader(filename: str):
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader that keeps line numbers and leaves dates as the strings written."""

        def construct_scalar(self, node: yaml.ScalarNode | yaml.MappingNode) -> Any:
            value = super().construct_scalar(node)
            bad = UNSAFE_TEXT.search(value) if isinstance(value, str) else None
            if bad:
                raise yaml.constructor.ConstructorError(
                    None, None, f"control character U+{ord(bad.group()):04X} in text", node.start_mark
                )
            return value

    Loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(loader, node):
        loader.flatten_mapping(node)
        m = Mapping()
        m.file, m.line, m.key_lines = filename, node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                raise yaml.constructor.ConstructorError(
                    None, None, f"a key must be a plain value, not {_kind(key)}", key_node.start_mark
                )
            if key in m:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            m[key] = loader.construct_object(value_node, deep=True)
            m.key_lines[key] = key_node.start_mark.line + 1
        return m

    def construct_int(loader, node):
        try:
            return yaml.SafeLoader.construct_yaml_int(loader, node)
        except ValueError:
            raise yaml.constructor.ConstructorError(None, None, "integer too long", node.start_mark) from None

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    return Loader


def read_yaml(path: Path, display: str) -> Any:
    """Parse one YAML file; a syntax error becomes a :class:`DataError` naming file and line."""
    import stat

    import yaml

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would hang, /dev/zero fill the memory
            raise DataError([f"{display}: not a regular file"])
        if info.st_size > MAX_YAML_BYTES:
            raise DataError([f"{display}: {info.st_size:,} bytes, more than a data file may hold ({MAX_YAML_BYTES:,})"])
        text = path.read_bytes()[: MAX_YAML_BYTES + 1].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([f"{display}: not UTF-8 text ({exc.reason})"]) from None
    loader = None
    try:
        loader = _yaml_loader(display)(text)  # its reader refuses characters YAML does not allow
        node = loader.get_single_node()
        if node is None:
            return None
        nodes, depth = expanded_size(node)
        if nodes > MAX_YAML_NODES:
            raise DataError([f"{display}: its aliases expand to {nodes:,} values (at most {MAX_YAML_NODES:,})"])
        if depth > MAX_YAML_DEPTH:
            raise DataError([f"{display}: nested {depth} levels deep (at most {MAX_YAML_DEPTH})"])
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{display}:{mark.line + 1}" if mark else display
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError([f"{where}: YAML syntax error: {problem}"]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        raise DataError([f"{display}:{line}: control character U+{exc.character:04X} in text"]) from None
    except RecursionError:
        raise DataError([f"{display}: nested too deeply (at most {MAX_YAML_DEPTH} levels)"]) from None
    finally:
        if loader is not None:
            loader.dispose()


@dataclass
class Dataset:
    """The checked records of a data directory, by kind and id."""

    root: Path
    records: dict[str, dict[str, Mapping]] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> dict[str, Mapping]:
        return self.records[kind]


# ----- field specifications ---------------------------------------------------------------
# A spec maps a field to (type, required). Types: "str", "strs" (a list of strings), "edtf",
# "int-or-num", "ref:KIND", "refs:KIND", "refs:any", "role", "relation", "evidence", "post",
# "figure", "geo", and choice tuples.

EVIDENCE = {"source": ("ref:source", True), "quote": ("str", True)}
DATED = {"date": ("edtf", False), "date_note": ("str", False), "date_sources": ("refs:source", False)}
SPECS: dict[str, dict[str, tuple[Any, bool]]] = {
    "source": {
        "id": ("id", True),
        "title": ("str", True),
        "file": ("str", False),
        "sha256": ("sha256", False),
        "class": ("str", False),
        "publisher": ("ref:actor", False),
        "publisher_name": ("str", False),
        "publisher_sources": ("refs:source", False),
        "author": ("ref:actor", False),
        "url": ("url", False),
        "note": ("str", False),
        **DATED,
    },
    "place": {
        "id": ("id", True),
        "label": ("str", True),
        "alt_labels": ("strs", False),
        "description": ("str", False),
        "contained_in": ("ref:place", False),
        "geo": ("geo", False),
        "evidence": ("evidence", True),
    },
    "actor": {
        "id": ("id", True),
        "kind": (ACTOR_KINDS, True),
        "label": ("str", True),
        "alt_labels": ("strs", False),
        "description": ("str", False),
        "classes": ("strs", False),
        "part_of": ("ref:actor", False),
        "location": ("ref:place", False),
        "posts": ("post", False),
        "same_as": ("strs", False),
        "other_names": ("name", False),
        "evidence": ("evidence", True),
    },
    "name": {"name": ("str", True), "lang": ("str", True), "sources": ("refs:source", True)},
    "post": {
        "organisation": ("ref:actor", True),
        "title": ("str", True),
        **DATED,
        "attested": ("edtf", False),
        "note": ("str", False),
        "evidence": ("evidence", True),
    },
    "law": {
        "id": ("id", True),
        "label": ("str", True),
        "alt_labels": ("strs", False),
        "description": ("str", False),
        "evidence": ("evidence", True),
    },
    "event": {
        "id": ("id", True),
        "label": ("str", True),
        "type": ("str", True),
        "description": ("str", False),
        "date": ("edtf", True),
        "date_note": ("str", False),
        "date_sources": ("refs:source", False),
        "place": ("ref:place", False),
        "planned": ("bool", False),
        "note": ("str", False),
        "according_to": ("refs:actor", False),
        "laws": ("refs:law", False),
        "actors": ("role", True),
        "part_of": ("refs:event", False),
        **{rel: ("relation", False) for rel in RELATIONS},
        "evidence": ("evidence", True),
    },
    "role": {"actor": ("ref:actor", True), "role": (ROLES, True), "evidence": ("evidence", False)},
    "relation": {"event": ("ref:event", True), "according_to": ("refs:actor", False), "evidence": ("evidence", True)},
    "claim": {
        "id": ("id", True),
        "text": ("str", True),
        "claimant": ("refs:actor", True),
        "about": ("refs:any", False),
        "figure": ("figure", False),
        "note": ("str", False),
        "evidence": ("evidence", True),
    },
    "figure": {"value": ("number", True), "qualifier": ("str", False), "unit": ("str", False)},
    # WGS 84 degrees, and the outside reference they come from
    "geo": {"latitude": ("number", True), "longitude": ("number", True), "reference": ("ref:source", True)},
}


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


_KIND_NAMES: dict[type, str] = {dict: "a mapping", Mapping: "a mapping", list: "a list", str: "text"}


def _kind(v: Any) -> str:
    return _KIND_NAMES.get(type(v), type(v).__name__)


SPECS["evidence"] = EVIDENCE


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
