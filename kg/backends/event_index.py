"""The event index of an on-disk store: which events, when, called what, and with whom.

Oxigraph answers one triple pattern quickly, but a timeline joins several patterns per event
and each join is a point lookup (~25 µs on a store of a million events), so a month of 5,000
events, plus the year of lookback that events dated only to a year force, takes seconds.
This side index keeps, in SQLite inside the store directory, one row per event (earliest
and latest begin, label), B-tree indexed by the width of its begin interval and its first
day, and the actor-event pairs: "events whose begin may fall in these dates" and "this
actor's events" become B-tree searches that take milliseconds.

It is kept in step by :func:`kg.backends.store.load_files` and :func:`kg.backends.store.reindex`, which write
the same token into the index and into the store's index graph. ``kg load`` reads the facts
it needs from the N-Triples and N-Quads text while Oxigraph loads the same text on another
core; other formats, and stores changed by other means, are indexed by scanning the store
(``kg reindex``). A store whose token does not match its index is queried with SPARQL alone.

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
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.backends.selection import BEGIN_STAMPS, IndexedEvent, begin_bounds
from kg.namespaces import RDF, RDFS, SEM

#: The index's file, inside the store directory (RocksDB leaves files it does not own alone).
FILENAME = "kg-event-index.sqlite"
_EARLIEST, _LATEST, _LABEL, _ACTOR, _TYPE = (
    SEM + "hasEarliestBeginTimeStamp",
    SEM + "hasLatestBeginTimeStamp",
    RDFS + "label",
    SEM + "hasActor",
    SEM + "eventType",
)
RDF_TYPE, _EVENT_CLASS = RDF + "type", SEM + "Event"
# Events are grouped by the width of their begin interval (bucket b holds spans below 2**b
# days), so a date range looks back, in each bucket, only as far as that bucket's widest span:
# a month costs the month plus, for the few events dated to a year, a year.
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, earliest_begin TEXT NOT NULL,
                    latest_begin TEXT NOT NULL, label TEXT, bucket INTEGER NOT NULL,
                    first_day INTEGER NOT NULL, last_day INTEGER NOT NULL);
CREATE TABLE actors(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, events INTEGER NOT NULL);
CREATE TABLE actor_events(actor INTEGER NOT NULL, event INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX events_by_span ON events(bucket, first_day, last_day);
CREATE UNIQUE INDEX actors_by_iri ON actors(iri);
CREATE INDEX actor_events_by_actor ON actor_events(actor, event);
"""


def _day(value: str) -> int | None:
    """The day ordinal of an ``xsd:date`` or ``xsd:dateTime`` lexical form."""
    try:
        return dt.date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


class EventIndex:
    """A read-only view of a store's event index: open with :meth:`open`, make with
    :class:`IndexBuilder`."""

    def __init__(self, connection: sqlite3.Connection, meta: dict[str, str]):
        self._db = connection
        self.token = meta["token"]
        self._meta = meta

    @classmethod
    def open(cls, directory: str | os.PathLike, token: str | None = None) -> EventIndex | None:
        """The index of the store at ``directory``; ``None`` if it has none, or one whose token
        differs from ``token`` (the store's index graph's): one out of step with the store."""
        path = Path(directory) / FILENAME
        if not path.is_file():
            return None
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError:
            meta = {}
        if "token" not in meta or (token is not None and meta["token"] != token):
            db.close()
            return None
        return cls(db, meta)

    def select(
        self, start: str | None = None, end: str | None = None, actors: Iterable[str] | None = None
    ) -> list[IndexedEvent]:
        """Events whose begin may fall between ``start`` and ``end`` (ISO dates, inclusive) and,
        given ``actors`` (IRIs), that have one of them as actor; in timeline order."""
        where: list[str] = []
        args: list[object] = []
        if start or end:
            low, high = _day(start) if start else -(2**62), _day(end) if end else 2**62
            ranges = []
            for bucket in range(int(self._meta.get("buckets", 0))):
                ranges.append("SELECT id FROM events WHERE bucket = ? AND first_day BETWEEN ? AND ? AND last_day >= ?")
                args += [bucket, max(low - (2**bucket - 1), -(2**62)), high, low]
            where.append(f"id IN ({' UNION ALL '.join(ranges) or 'SELECT NULL'})")
        if actors is not None:
            wanted = list(actors)
            where.append(
                "id IN (SELECT event FROM actor_events JOIN actors ON actors.id = actor_events.actor"
                f" WHERE actors.iri IN ({', '.join('?' * len(wanted))}))"
            )
            args += wanted
        sql = "SELECT iri, earliest_begin, latest_begin, label FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [IndexedEvent(*row) for row in self._db.execute(sql + " ORDER BY id", args)]

    def date_range(self) -> tuple[dt.date, dt.date, int] | None:
        """``(earliest begin, latest earliest begin, widest begin span in days)``, as
        :meth:`kg.backends.memory.KnowledgeGraph.date_index`; ``None`` without events."""
        if "first_day" not in self._meta:
            return None
        first, last, span = (int(self._meta[k]) for k in ("first_day", "last_first_day", "widest_span"))
        return dt.date.fromordinal(first), dt.date.fromordinal(last), span

    def actor_counts(self) -> list[tuple[str, int]]:
        """``(actor IRI, number of events)`` for every actor, busiest first."""
        return list(self._db.execute("SELECT iri, events FROM actors ORDER BY events DESC, iri"))

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def summary(self) -> dict[str, int]:
        """How many events the store holds (``events``), and how many of them have no date
        (``undated``: not in the index, so in no date range), no ``sem:eventType``
        (``untyped``) or no actor (``without_actor``)."""
        keys = ("events", "undated", "untyped", "without_actor")
        return {k: int(self._meta.get(k, 0)) for k in keys}

    def close(self) -> None:
        self._db.close()


class IndexBuilder:
    """Gathers the facts of a new index (from a store, or from N-Triples text as it is
    loaded), on top of ``base``'s when given, and writes it with :meth:`commit`.

    An event is an IRI with a ``sem:eventType`` or of class ``sem:Event``, with an ``xsd:date``
    (or ``xsd:dateTime``) earliest and latest begin or, failing those, a single time stamp as
    EventKG and plain SEM data give it (:data:`~kg.backends.selection.BEGIN_STAMPS`, bounds by
    :func:`~kg.backends.selection.begin_bounds`); its actors are its ``sem:hasActor`` values.
    Memory: a small list per node with one of these facts (~400 bytes per event).
    """

    def __init__(self, directory: str | os.PathLike, base: EventIndex | None = None):
        self.path = Path(directory) / FILENAME
        self._tmp = self.path.with_name(self.path.name + ".tmp")
        # iri -> [first day, last day, label, has an event type, actor numbers or None,
        #         first day of its time stamps, last day of them, of class sem:Event]
        self._events: dict[str, list] = {}
        self._actors: dict[str, int] = {}
        self._base_meta = base._meta if base is not None else {}
        if base is not None:
            actors = dict(base._db.execute("SELECT id, iri FROM actors"))
            by_event: dict[int, list[int]] = {}
            for actor, event in base._db.execute("SELECT actor, event FROM actor_events"):
                by_event.setdefault(event, []).append(self._actor(actors[actor]))
            for n, iri, first, last, label in base._db.execute(
                "SELECT id, iri, first_day, last_day, label FROM events"
            ):
                self._events[iri] = [first, last, label, True, by_event.get(n), None, None, True]

    def _actor(self, iri: str) -> int:
        return self._actors.setdefault(iri, len(self._actors))

    def _fact(self, kind: str, subject: str, value: str) -> None:
        entry = self._events.get(subject)
        if entry is None:
            entry = self._events[subject] = [None, None, None, False, None, None, None, False]
        if kind == _ACTOR:
            if entry[4] is None:
                entry[4] = [self._actor(value)]
            else:
                entry[4].append(self._actor(value))
        elif kind == _TYPE:
            entry[3] = True
        elif kind == _LABEL:
            if entry[2] is None or value < entry[2]:
                entry[2] = value
        elif kind == RDF_TYPE:
            entry[7] = True
        elif kind in BEGIN_STAMPS:
            bounds = begin_bounds(value)
            if bounds is not None:
                first, last = (dt.date.fromisoformat(b).toordinal() for b in bounds)
                entry[5] = first if entry[5] is None else min(entry[5], first)
                entry[6] = last if entry[6] is None else max(entry[6], last)
        else:
            day = _day(value)
            if day is None:
                return
            slot, pick = (0, min) if kind == _EARLIEST else (1, max)
            entry[slot] = day if entry[slot] is None else pick(entry[slot], day)

    def add_store(self, store: ox.Store) -> None:
        """Add the facts of every graph of ``store`` (one scan per predicate)."""
        for predicate in (_EARLIEST, _LATEST, _TYPE, _LABEL, _ACTOR, *BEGIN_STAMPS):
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, (ox.NamedNode, ox.Literal)):
                    self._fact(predicate, quad.subject.value, quad.object.value)
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(_EVENT_CLASS)):
            if isinstance(quad.subject, ox.NamedNode):
                self._fact(RDF_TYPE, quad.subject.value, _EVENT_CLASS)

    def add_ntriples(self, text: bytes) -> None:
        """Add the facts of a piece of valid N-Triples or N-Quads (whole lines, no blank nodes).

        The hot loop of ``kg load``: one pass per predicate, each fact parsed only as far as
        the index needs (an event type's presence, a date's ten characters).
        """
        events = self._events
        for predicate, needle in _NEEDLES:
            for subject_bytes, obj in _statements(text, needle):
                subject = _unescape(subject_bytes)
                entry = events.get(subject)
                if entry is None:
                    entry = events[subject] = [None, None, None, False, None, None, None, False]
                if predicate == _TYPE:
                    entry[3] = True
                    continue
                if predicate in (_EARLIEST, _LATEST) and obj[:1] == b'"':
                    day = _day(obj[1:11].decode(errors="replace"))  # a cut multi-byte character is no date
                    if day is not None:
                        slot, pick = (0, min) if predicate == _EARLIEST else (1, max)
                        entry[slot] = day if entry[slot] is None else pick(entry[slot], day)
                    continue
                value = _object_value(obj)
                if value is not None:
                    self._fact(predicate, subject, value)
        for subject_bytes in _typed_events(text):
            self._fact(RDF_TYPE, _unescape(subject_bytes), _EVENT_CLASS)

    def commit(self, token: str) -> EventIndex:
        """Write the index and put it in place of the old one atomically, under ``token``."""
        # Ids in timeline order, so the index is the same whatever order its facts came in.
        counts = {"events": 0, "undated": 0, "untyped": 0, "without_actor": 0}
        dated = []
        for iri, e in self._events.items():
            if not (e[3] or e[7]):
                continue
            if e[0] is None or e[1] is None:  # no bounds: those of its time stamps
                e[0], e[1] = e[5], e[6]
            counts["events"] += 1
            counts["undated"] += e[0] is None or e[1] is None
            counts["untyped"] += not e[3]
            counts["without_actor"] += not e[4]
            if e[0] is not None and e[1] is not None:
                dated.append((iri, e))
        for key in ("undated", "untyped"):  # events of the base index that it could not keep
            counts[key] += int(self._base_meta.get(key, 0))
        ordered = sorted(dated, key=lambda item: (item[1][0], item[1][1], item[0]))
        del dated
        self._events.clear()
        self._tmp.unlink(missing_ok=True)
        db = sqlite3.connect(self._tmp)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_SCHEMA)
            meta = {"token": token, "buckets": "0"} | {k: str(v) for k, v in counts.items()}
            if ordered:
                widest = max(max(e[1] - e[0], 0) for _, e in ordered)
                meta |= {"first_day": str(ordered[0][1][0]), "last_first_day": str(ordered[-1][1][0])}
                meta |= {"widest_span": str(widest), "buckets": str(widest.bit_length() + 1)}
            db.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        n,
                        iri,
                        dt.date.fromordinal(first).isoformat(),
                        dt.date.fromordinal(last).isoformat(),
                        label,
                        max(last - first, 0).bit_length(),
                        first,
                        max(first, last),
                    )
                    for n, (iri, (first, last, label, *_)) in enumerate(ordered, 1)
                ),
            )
            db.executemany(
                "INSERT INTO actor_events VALUES (?, ?)",
                ((a, n) for n, (_, e) in enumerate(ordered, 1) if e[4] for a in sorted(set(e[4]))),
            )
            del ordered
            per_actor: dict[int, int] = dict(db.execute("SELECT actor, COUNT(*) FROM actor_events GROUP BY actor"))
            db.executemany(
                "INSERT INTO actors VALUES (?, ?, ?)",
                ((n, iri, per_actor[n]) for iri, n in self._actors.items() if n in per_actor),
            )
            db.executescript(_INDEXES)
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            db.commit()
        finally:
            db.close()
        os.replace(self._tmp, self.path)
        opened = EventIndex.open(self.path.parent, token)
        assert opened is not None
        return opened


# --------------------------------------------------------------------------- N-Triples text

_TERM = rb'<[^>]*>|_:[^\s<>"]+|"(?:[^"\\\r\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?'
_STATEMENT = re.compile(
    rb"[ \t]*<([^>]*)>[ \t]+<([^>]*)>[ \t]*(" + _TERM + rb")[ \t]*(?:" + _TERM + rb")?[ \t]*\.[ \t]*(?:#[^\r\n]*)?\r?"
)
_LITERAL = re.compile(rb'"((?:[^"\\\r\n]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_NEEDLES = [(p, b"<" + p.encode() + b">") for p in (_EARLIEST, _LATEST, _TYPE, _LABEL, _ACTOR, *BEGIN_STAMPS)]
_TYPED_EVENT = f"<{RDF_TYPE}> <{_EVENT_CLASS}>".encode()


def _typed_events(text: bytes) -> Iterator[bytes]:
    """Subjects of the ``<s> rdf:type sem:Event`` lines of N-Triples ``text`` written in the
    common shape (single spaces), found by substring search."""
    find, rfind = text.find, text.rfind
    at = find(_TYPED_EVENT)
    while at != -1:
        start = rfind(b"\n", 0, at) + 1
        if text[start] == 60 and text[at - 2 : at] == b"> " and find(b">", start, at) == at - 2:
            yield text[start + 1 : at - 2]
        at = find(_TYPED_EVENT, at + len(_TYPED_EVENT))


def _unescape(text: bytes) -> str:
    value = text.decode()
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else _ECHAR.get(m[3], m[3]), value)


def _statements(text: bytes, needle: bytes) -> Iterator[tuple[bytes, bytes]]:
    """``(subject IRI, object and the rest of the line)`` of the statements of valid N-Triples
    or N-Quads ``text`` whose predicate is ``needle`` (``b"<IRI>"``), found by substring search.

    A line of the common shape, ``<s> <p> o .`` with single spaces, needs no parse: the subject
    ends just before the predicate, so the line is a statement about it (Oxigraph, loading
    the same text, rejects it otherwise). Other lines are parsed strictly, so a comment or a
    literal that mentions the predicate is not a match.
    """
    find, rfind, size = text.find, text.rfind, len(needle)
    at = find(needle)
    while at != -1:
        start = rfind(b"\n", 0, at) + 1
        end = find(b"\n", at)
        end = len(text) if end == -1 else end
        if text[start] == 60 and find(b">", start, at) == at - 2 and text[at - 1] == 32 == text[at + size]:
            yield text[start + 1 : at - 2], text[at + size + 1 : end]
        else:
            match = _STATEMENT.fullmatch(text, start, end)
            if match and match[2] == needle[1:-1]:
                yield match[1], match[3]
        at = find(needle, end)


def _object_value(obj: bytes) -> str | None:
    """The IRI or lexical form of the N-Triples object term that ``obj`` starts with
    (``None`` for a blank node)."""
    if obj.startswith(b"<"):
        return _unescape(obj[1 : obj.index(b">")])
    if not obj.startswith(b'"'):
        return None
    if b"\\" not in obj:
        return obj[1 : obj.index(b'"', 1)].decode()
    literal = _LITERAL.match(obj)
    return _unescape(literal[1]) if literal else None
