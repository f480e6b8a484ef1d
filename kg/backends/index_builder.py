"""Writing a store's event index (:mod:`kg.backends.event_index`): from the N-Triples text
``kg load`` reads, or by a scan of the store (``kg reindex``).

>>> import pyoxigraph as ox, tempfile
>>> store, where = ox.Store(), tempfile.mkdtemp()
>>> store.load(b'''<http://example.org/e1>
...   <http://semanticweb.cs.vu.nl/2009/11/sem/eventType> <http://example.org/vigil> ;
...   <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp>
...   "2020-06-01"^^<http://www.w3.org/2001/XMLSchema#date> ;
...   <http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestBeginTimeStamp>
...   "2020-06-30"^^<http://www.w3.org/2001/XMLSchema#date> .''', format=ox.RdfFormat.TURTLE)
>>> builder = IndexBuilder(where)
>>> builder.add_store(store)
>>> index = builder.commit(token="t1")
>>> [row.iri for row in index.select(start="2020-06-30", end="2020-07-31")]
['http://example.org/e1']
>>> index.event_facts(["http://example.org/e1"], [SEM + "eventType"])
[('http://example.org/e1', 'http://semanticweb.cs.vu.nl/2009/11/sem/eventType', 'http://example.org/vigil')]
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.backends.event_index import (
    DESCRIPTION_INDEXES,
    DESCRIPTION_SCHEMA,
    FILENAME,
    INDEXES,
    SCHEMA,
    EventIndex,
    day_ordinal,
)
from kg.backends.ntriples_scan import EVENT_CLASS, RDF_TYPE, canonical, object_value, statements_of, typed_events
from kg.backends.selection import BEGIN_STAMPS, begin_bounds
from kg.namespaces import HK, PROV, RDFS, SEM

_EARLIEST, _LATEST, _LABEL, _ACTOR, _TYPE = (
    SEM + "hasEarliestBeginTimeStamp",
    SEM + "hasLatestBeginTimeStamp",
    RDFS + "label",
    SEM + "hasActor",
    SEM + "eventType",
)
#: What a timeline shows of an event besides its dates and label, kept in the index; the role
#: predicates (sub-properties of ``hk:role``) are added to these.
DESCRIBED = (
    _TYPE,
    HK + "edtf",
    HK + "datePrecision",
    SEM + "hasEarliestEndTimeStamp",
    SEM + "hasLatestEndTimeStamp",
    _ACTOR,
    SEM + "hasPlace",
    PROV + "wasDerivedFrom",
)
_SUBPROPERTY, _ROLE = RDFS + "subPropertyOf", HK + "role"
_STAGING = """
CREATE TABLE links(subject INTEGER NOT NULL, predicate INTEGER NOT NULL, node INTEGER NOT NULL);
CREATE TABLE "values"(subject INTEGER NOT NULL, predicate INTEGER NOT NULL, value TEXT NOT NULL);
CREATE TABLE labels(subject INTEGER NOT NULL, value TEXT NOT NULL);
CREATE TABLE actors(subject INTEGER NOT NULL, actor INTEGER NOT NULL);
"""
_LABEL_OF = "(SELECT value FROM temp.labels WHERE subject = ?)"  # a serial's label, when committing


@functools.cache
def ontology_roles() -> tuple[str, ...]:
    """The role predicates of the project's ontology (``rdfs:subPropertyOf hk:role``)."""
    from kg import paths

    text = (paths.schema_dir() / "ontology.ttl").read_bytes()
    quads = ox.parse(text, format=ox.RdfFormat.TURTLE)
    return tuple(
        sorted(q.subject.value for q in quads if q.predicate.value == _SUBPROPERTY and q.object.value == _ROLE)
    )


def store_roles(store: ox.Store) -> set[str]:
    """The role predicates a store declares, in any graph."""
    pattern = store.quads_for_pattern(None, ox.NamedNode(_SUBPROPERTY), ox.NamedNode(_ROLE))
    return {q.subject.value for q in pattern if isinstance(q.subject, ox.NamedNode)}


class IndexBuilder:
    """Gathers the facts of a new index (from a store, or from N-Triples text as it is
    loaded), on top of ``base``'s when given, and writes it with :meth:`commit`.

    An event is an IRI with a ``sem:eventType`` or of class ``sem:Event``, with an ``xsd:date``
    (or ``xsd:dateTime``) earliest and latest begin or, failing those, a single time stamp as
    EventKG and plain SEM data give it (:data:`~kg.backends.selection.BEGIN_STAMPS`, bounds by
    :func:`~kg.backends.selection.begin_bounds`); its actors are its ``sem:hasActor`` values.
    Its descriptions (:data:`DESCRIBED` and the role predicates ``roles``, by default the
    ontology's) go to a staging SQLite file piece by piece, and so do labels and actors, so
    memory holds only a small list per node with a date, label or actor (~450 bytes per
    event, its IRI included) and the linked nodes' ids.
    A ``base`` written without descriptions gives an index without them.
    """

    def __init__(self, directory: str | os.PathLike, base: EventIndex | None = None, roles: tuple[str, ...] = ()):
        self.path = Path(directory) / FILENAME
        self._tmp = self.path.with_name(self.path.name + ".tmp")
        self._staging_path = self.path.with_name(self.path.name + ".staging")
        described = [*DESCRIBED, *sorted(set(roles or ontology_roles()) - set(DESCRIBED))]
        #: predicate IRI -> its id in the index
        self._codes = {p: n for n, p in enumerate(described, 1)}
        # iri -> [first day, last day, has an event type, has an actor,
        #         first day of its time stamps, last day of them, of class sem:Event, serial]
        self._events: dict[bytes, list] = {}
        self._labels: list[tuple[int, str]] = []  # (serial, label) until staged
        self._actor_rows: list[tuple[int, int]] = []  # (serial, actor number) until staged
        self._actors: dict[bytes, int] = {}
        self._nodes: dict[bytes, int] = {}
        self._describes = base is None or base.describes
        self._staging_path.unlink(missing_ok=True)
        self._staging = sqlite3.connect(self._staging_path, check_same_thread=False)
        self._staging.execute("PRAGMA journal_mode = OFF")
        self._staging.execute("PRAGMA synchronous = OFF")
        self._staging.executescript(_STAGING)
        self._base_meta = base._meta if base is not None else {}
        if base is not None and not set(self._codes) <= set(base.predicates()):
            self._describes = False
        wanted = (_EARLIEST, _LATEST, _TYPE, _LABEL, _ACTOR, *BEGIN_STAMPS, *(self._codes if self._describes else ()))
        codes = self._codes if self._describes else {}
        read = {_EARLIEST, _LATEST, _TYPE, _LABEL, _ACTOR, *BEGIN_STAMPS}
        #: predicate -> (what the builder reads of it, or None; its code if described, or 0)
        self._kinds = {p.encode(): (p if p in read else None, codes.get(p, 0)) for p in wanted}
        self._days: dict[bytes, int | None] = {}  # date text -> day ordinal
        self._lines = statements_of(self._kinds)
        if base is not None:
            self._add_base(base)

    def _add_base(self, base: EventIndex) -> None:
        actors = {n: iri.encode() for n, iri in base._db.execute("SELECT id, iri FROM actors")}
        entries: dict[int, list] = {}
        for n, iri, first, last, label in base._db.execute("SELECT id, iri, first_day, last_day, label FROM events"):
            entry = entries[n] = self._entry(iri.encode())
            entry[:7] = [first, last, True, False, None, None, True]
            if label is not None:
                self._labels.append((entry[7], label))
        for actor, event in base._db.execute("SELECT actor, event FROM actor_events"):
            entry = entries[event]
            entry[3] = True
            self._actor_rows.append((entry[7], self._actor(actors[actor])))
        self._stage()
        serial = {n: entry[7] for n, entry in entries.items()}
        if not self._describes:
            return
        codes = {n: self._codes[p] for p, n in base.predicates().items() if p in self._codes}
        nodes: dict[int, int] = {}
        for n, iri, label in base._db.execute("SELECT id, iri, label FROM nodes ORDER BY iri"):  # ids as before
            nodes[n] = self._node(iri.encode())
            if label is not None:  # kept as a label read from the text: the new files may not repeat it
                self._labels.append((self._entry(iri.encode())[7], label))
        self._stage()
        links = base._db.execute("SELECT event, predicate, node FROM event_links")
        self._stage(links=((serial[e], codes[p], nodes[n]) for e, p, n in links if p in codes))
        values = base._db.execute("SELECT event, predicate, value FROM event_values")
        self._stage(values=((serial[e], codes[p], v) for e, p, v in values if p in codes))

    def _entry(self, subject: bytes) -> list:
        entry = self._events.get(subject)
        if entry is None:
            entry = self._events[subject] = [None, None, False, False, None, None, False, len(self._events)]
        return entry

    def _actor(self, iri: bytes) -> int:
        return self._actors.setdefault(iri, len(self._actors))

    def _node(self, iri: bytes) -> int:
        return self._nodes.setdefault(iri, len(self._nodes) + 1)

    def _stage(self, links: Iterable[tuple[int, int, int]] = (), values: Iterable[tuple[int, int, str]] = ()) -> None:
        """Stage described facts (links to nodes and literal values, apart: one table of both,
        with NULLs, took twice as long to write), and the labels and actors gathered."""
        self._staging.executemany("INSERT INTO links VALUES (?, ?, ?)", links)
        self._staging.executemany('INSERT INTO "values" VALUES (?, ?, ?)', values)
        self._staging.executemany("INSERT INTO labels VALUES (?, ?)", self._labels)
        self._staging.executemany("INSERT INTO actors VALUES (?, ?)", self._actor_rows)
        self._labels.clear()
        self._actor_rows.clear()

    def _fact(self, kind: str, subject: bytes, value: str) -> None:
        entry = self._entry(subject)
        if kind == _ACTOR:
            entry[3] = True
            self._actor_rows.append((entry[7], self._actor(value.encode())))
        elif kind == _TYPE:
            entry[2] = True
        elif kind == _LABEL:
            self._labels.append((entry[7], value))
        elif kind == RDF_TYPE:
            entry[6] = True
        elif kind in BEGIN_STAMPS:
            bounds = begin_bounds(value)
            if bounds is not None:
                first, last = (dt.date.fromisoformat(b).toordinal() for b in bounds)
                entry[4] = first if entry[4] is None else min(entry[4], first)
                entry[5] = last if entry[5] is None else max(entry[5], last)
        elif kind in (_EARLIEST, _LATEST):
            day = day_ordinal(value)
            if day is None:
                return
            slot, pick = (0, min) if kind == _EARLIEST else (1, max)
            entry[slot] = day if entry[slot] is None else pick(entry[slot], day)

    def add_store(self, store: ox.Store) -> None:
        """Add the facts of every graph of ``store`` (one scan per predicate)."""
        for predicate in (_EARLIEST, _LATEST, _TYPE, _LABEL, _ACTOR, *BEGIN_STAMPS):
            for n, quad in enumerate(store.quads_for_pattern(None, ox.NamedNode(predicate), None), 1):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, (ox.NamedNode, ox.Literal)):
                    self._fact(predicate, quad.subject.value.encode(), quad.object.value)
                if n % 100_000 == 0:  # labels and actors staged a batch at a time
                    self._stage()
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(EVENT_CLASS)):
            if isinstance(quad.subject, ox.NamedNode):
                self._fact(RDF_TYPE, quad.subject.value.encode(), EVENT_CLASS)
        if self._describes:
            for predicate, code in self._codes.items():
                links: list[tuple[int, int, int]] = []
                values: list[tuple[int, int, str]] = []
                for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
                    if isinstance(q.subject, ox.NamedNode):
                        serial = self._entry(q.subject.value.encode())[7]
                        if isinstance(q.object, ox.NamedNode):
                            links.append((serial, code, self._node(q.object.value.encode())))
                        elif isinstance(q.object, ox.Literal):
                            values.append((serial, code, q.object.value))
                    if len(links) + len(values) >= 100_000:  # a batch at a time: bounded memory
                        self._stage(links, values)
                        links, values = [], []
                self._stage(links, values)

    def add_ntriples(self, text: bytes) -> None:
        """Add the facts of a piece of valid N-Triples or N-Quads (whole lines).

        The hot loop of ``kg load``: one regular expression finds the statements of every
        wanted predicate, each parsed only as far as the index needs (an event type's
        presence, a date's ten characters); IRIs stay bytes (decoded once, when written);
        described facts go to the staging file, a piece at a time.
        """
        events, nodes, kinds, days, actor_rows = self._events, self._nodes, self._kinds, self._days, self._actor_rows
        links: list[tuple[int, int, int]] = []
        values: list[tuple[int, int, str]] = []
        escaped = b"\\" in text  # escapes in IRIs are undone, so that one IRI is one key
        for subject, predicate, obj in self._lines.findall(b"\n" + text):
            if escaped:
                subject = canonical(subject)
            entry = events.get(subject) or self._entry(subject)
            kind, code = kinds[predicate]
            head = obj[:1]
            if code:
                if head == b"<":
                    iri = obj[1 : obj.index(b">")]
                    if escaped:
                        iri = canonical(iri)
                    links.append((entry[7], code, nodes.get(iri) or self._node(iri)))
                elif head == b'"':
                    value = object_value(obj)
                    if value is not None:
                        values.append((entry[7], code, value))
            if kind == _TYPE:
                entry[2] = True
            elif kind == _ACTOR:
                if head == b"<":
                    iri = obj[1 : obj.index(b">")]
                    entry[3] = True
                    actor_rows.append((entry[7], self._actor(canonical(iri) if escaped else iri)))
            elif kind in (_EARLIEST, _LATEST):
                if head != b'"':
                    continue
                stamp = obj[1:11]
                day = days.get(stamp)
                if day is None:  # a cut multi-byte character is no date
                    day = days[stamp] = day_ordinal(stamp.decode(errors="replace"))
                    if day is None:
                        continue
                if kind == _EARLIEST:
                    entry[0] = day if entry[0] is None or day < entry[0] else entry[0]
                else:
                    entry[1] = day if entry[1] is None or day > entry[1] else entry[1]
            elif kind is not None:
                value = object_value(obj)
                if value is not None:
                    self._fact(kind, subject, value)
        for subject in typed_events(text):
            self._fact(RDF_TYPE, canonical(subject), EVENT_CLASS)
        self._stage(links, values)

    def discard(self) -> None:
        """Drop what was gathered (a load that failed or needs a scan instead)."""
        self._staging.close()
        self._staging_path.unlink(missing_ok=True)

    def commit(self, token: str) -> EventIndex:
        """Write the index and put it in place of the old one atomically, under ``token``."""
        # Ids in timeline order, so the index is the same whatever order its facts came in.
        counts = {"events": 0, "undated": 0, "untyped": 0, "without_actor": 0}
        ordered = []  # (first day, last day, IRI, serial): sorted as they are, no key per event
        for iri, e in self._events.items():
            if not (e[2] or e[6]):
                continue
            if e[0] is None or e[1] is None:  # no bounds: those of its time stamps
                e[0], e[1] = e[4], e[5]
            counts["events"] += 1
            counts["undated"] += e[0] is None or e[1] is None
            counts["untyped"] += not e[2]
            counts["without_actor"] += not e[3]
            if e[0] is not None and e[1] is not None:
                ordered.append((e[0], e[1], iri, e[7]))
        for key in ("undated", "untyped"):  # events of the base index that it could not keep
            counts[key] += int(self._base_meta.get(key, 0))
        ordered.sort()  # the IRIs differ, so no two entries are compared
        labelled = {n: self._events[iri][7] for iri, n in self._nodes.items() if iri in self._events}
        self._events.clear()  # what is kept is in ordered
        self._stage()
        self._staging.commit()
        self._staging.close()
        self._tmp.unlink(missing_ok=True)
        db = sqlite3.connect(self._tmp)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(SCHEMA)
            db.execute("ATTACH DATABASE ? AS staging", (str(self._staging_path),))
            # each labelled node's first label (in code point order, as UTF-8 bytes sort), by serial
            db.execute("CREATE TEMP TABLE labels(subject INTEGER PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("INSERT INTO temp.labels SELECT subject, MIN(value) FROM staging.labels GROUP BY subject")
            db.execute("CREATE TEMP TABLE ids(serial INTEGER PRIMARY KEY, id INTEGER NOT NULL)")
            db.executemany("INSERT INTO temp.ids VALUES (?, ?)", ((e, n) for n, (*_, e) in enumerate(ordered, 1)))
            meta = {"token": token, "buckets": "0"} | {k: str(v) for k, v in counts.items()}
            if ordered:
                widest = max(max(last - first, 0) for first, last, *_ in ordered)
                meta |= {"first_day": str(ordered[0][0]), "last_first_day": str(ordered[-1][0])}
                meta |= {"widest_span": str(widest), "buckets": str(widest.bit_length() + 1)}
            day = functools.cache(lambda n: dt.date.fromordinal(n).isoformat())  # a few thousand days
            db.executemany(
                f"INSERT INTO events VALUES (?, ?, ?, ?, {_LABEL_OF}, ?, ?, ?)",
                (
                    (
                        n,
                        iri.decode(),
                        day(first),
                        day(last),
                        serial,
                        max(last - first, 0).bit_length(),
                        first,
                        max(first, last),
                    )
                    for n, (first, last, iri, serial) in enumerate(ordered, 1)
                ),
            )
            del ordered
            db.execute(  # one sort: grouped (no pair twice) in the order the index keeps
                "INSERT INTO actor_events SELECT s.actor, ids.id FROM staging.actors s"
                " JOIN temp.ids ids ON ids.serial = s.subject GROUP BY ids.id, s.actor ORDER BY ids.id, s.actor"
            )
            if self._describes:
                self._write_descriptions(db)
                meta["describes"] = "1"
            per_actor: dict[int, int] = dict(db.execute("SELECT actor, COUNT(*) FROM actor_events GROUP BY actor"))
            db.executemany(
                "INSERT INTO actors VALUES (?, ?, ?)",
                ((n, iri.decode(), per_actor[n]) for iri, n in self._actors.items() if n in per_actor),
            )
            db.executescript(INDEXES)
            if self._describes:
                nodes = ((n, iri.decode(), labelled.get(n)) for iri, n in self._nodes.items())
                db.executemany(f"INSERT INTO nodes VALUES (?, ?, {_LABEL_OF})", nodes)
                db.executescript(DESCRIPTION_INDEXES)
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            db.commit()
            db.execute("DETACH DATABASE staging")
        finally:
            db.close()
            self._staging_path.unlink(missing_ok=True)
        os.replace(self._tmp, self.path)
        opened = EventIndex.open(self.path.parent, token)
        assert opened is not None
        return opened

    def _write_descriptions(self, db: sqlite3.Connection) -> None:
        """The description tables, from the staged facts of the events kept (by their ids)."""
        db.executescript(DESCRIPTION_SCHEMA)
        db.executemany("INSERT INTO predicates VALUES (?, ?)", ((n, p) for p, n in self._codes.items()))
        db.execute(
            "INSERT OR IGNORE INTO event_links SELECT ids.id, s.predicate, s.node FROM staging.links s"
            " JOIN temp.ids ids ON ids.serial = s.subject ORDER BY 1, 2, 3"
        )
        db.execute(
            'INSERT OR IGNORE INTO event_values SELECT ids.id, s.predicate, s.value FROM staging."values" s'
            " JOIN temp.ids ids ON ids.serial = s.subject ORDER BY 1, 2, 3"
        )
