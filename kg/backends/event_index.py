"""The event index of an on-disk store: which events, when, called what, with whom, and how
the timeline describes them.

Oxigraph answers one triple pattern quickly, but a timeline joins several patterns per event
and each join is a point lookup (~25 µs on a store of a million events), so a month of 5,000
events, plus the year of lookback that events dated only to a year force, takes seconds.
This side index keeps, in SQLite inside the store directory, one row per event (earliest
and latest begin, label), B-tree indexed by the width of its begin interval and its first
day, and the actor-event pairs: "events whose begin may fall in these dates" and "this
actor's events" become B-tree searches that take milliseconds.

It also keeps what describing an event reads (its type, EDTF date, precision, end bounds, and
its links to actors, roles, places and sources): ``event_values`` and ``event_links`` rows of
integer ids, the linked nodes (IRI and label) in ``nodes``, the predicates in ``predicates``.
Decoding those facts from Oxigraph costs ~13 µs a quad; from here a month's descriptions take
milliseconds. An index written before these tables existed has none (:attr:`EventIndex.describes`
is false) and the store describes events with SPARQL.

It is kept in step by :func:`kg.backends.loading.load_files` and
:func:`kg.backends.store.reindex`, which write the same token into the index and into the
store's index graph; it is written by :class:`kg.backends.index_builder.IndexBuilder`. A
store whose token does not match its index is queried with SPARQL alone.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from kg.backends.selection import IndexedEvent

#: The index's file, inside the store directory (RocksDB leaves files it does not own alone).
FILENAME = "kg-event-index.sqlite"
# Events are grouped by the width of their begin interval (bucket b holds spans below 2**b
# days), so a date range looks back, in each bucket, only as far as that bucket's widest span:
# a month costs the month plus, for the few events dated to a year, a year.
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, earliest_begin TEXT NOT NULL,
                    latest_begin TEXT NOT NULL, label TEXT, bucket INTEGER NOT NULL,
                    first_day INTEGER NOT NULL, last_day INTEGER NOT NULL);
CREATE TABLE actors(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, events INTEGER NOT NULL);
CREATE TABLE actor_events(actor INTEGER NOT NULL, event INTEGER NOT NULL);
"""
INDEXES = """
CREATE INDEX events_by_span ON events(bucket, first_day, last_day);
CREATE UNIQUE INDEX actors_by_iri ON actors(iri);
CREATE INDEX actor_events_by_actor ON actor_events(actor, event);
"""
#: The description tables (meta ``describes`` = 1 when they hold every event's facts).
DESCRIPTION_SCHEMA = """
CREATE TABLE predicates(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE TABLE nodes(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, label TEXT);
CREATE TABLE event_links(event INTEGER NOT NULL, predicate INTEGER NOT NULL, node INTEGER NOT NULL,
                         PRIMARY KEY (event, predicate, node)) WITHOUT ROWID;
CREATE TABLE event_values(event INTEGER NOT NULL, predicate INTEGER NOT NULL, value TEXT NOT NULL,
                          PRIMARY KEY (event, predicate, value)) WITHOUT ROWID;
"""
DESCRIPTION_INDEXES = """
CREATE UNIQUE INDEX events_by_iri ON events(iri);
CREATE INDEX event_links_by_node ON event_links(node, predicate, event);
"""
_BATCH = 5000  # below SQLite's limit of bound parameters


def day_ordinal(value: str) -> int | None:
    """The day ordinal of an ``xsd:date`` or ``xsd:dateTime`` lexical form."""
    try:
        return dt.date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _marks(values: Collection[object]) -> str:
    return ", ".join("?" * len(values))


class EventIndex:
    """A read-only view of a store's event index: open with :meth:`open`, make with
    :class:`~kg.backends.index_builder.IndexBuilder`."""

    def __init__(self, connection: sqlite3.Connection, meta: dict[str, str]):
        self._db = connection
        self.token = meta["token"]
        self._meta = meta
        self._predicates: dict[str, int] | None = None
        # The ids of the events last selected and the labels of the nodes last described:
        # a timeline describes what it selected, then names what the descriptions link to.
        self._ids: dict[str, int] = {}
        self._labels: dict[str, str | None] = {}

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
        low, high = day_ordinal(start) if start else -(2**62), day_ordinal(end) if end else 2**62
        assert low is not None and high is not None  # checked by selection.date_range
        if (start or end) and actors is not None:
            # An actor's events, each tested: the bucket ranges below would list the whole
            # range first (a wide range around one actor: 0.4 s instead of 1 ms at 1M events).
            where.append("first_day <= ? AND last_day >= ?")
            args += [high, low]
        elif start or end:
            ranges = []
            for bucket in range(int(self._meta.get("buckets", 0))):
                ranges.append("SELECT id FROM events WHERE bucket = ? AND first_day BETWEEN ? AND ? AND last_day >= ?")
                args += [bucket, max(low - (2**bucket - 1), -(2**62)), high, low]
            where.append(f"id IN ({' UNION ALL '.join(ranges) or 'SELECT NULL'})")
        if actors is not None:
            wanted = list(actors)
            where.append(
                "id IN (SELECT event FROM actor_events JOIN actors ON actors.id = actor_events.actor"
                f" WHERE actors.iri IN ({_marks(wanted)}))"
            )
            args += wanted
        sql = "SELECT id, iri, earliest_begin, latest_begin, label FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        self._ids = {row[1]: row[0] for row in rows}  # what describing them next asks for
        return [IndexedEvent(*row[1:]) for row in rows]

    def date_range(self) -> tuple[dt.date, dt.date, int] | None:
        """``(earliest begin, latest earliest begin, widest begin span in days)``, as
        :meth:`kg.backends.memory.MemoryBackend.date_index`; ``None`` without events."""
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

    # ------------------------------------------------------------------ descriptions

    @property
    def describes(self) -> bool:
        """Whether the index holds the events' descriptions (an index written by an older
        ``kg`` does not: ``kg reindex`` adds them)."""
        return self._meta.get("describes") == "1"

    def predicates(self) -> dict[str, int]:
        """The predicates whose facts the index keeps for each event, by IRI: their ids."""
        if self._predicates is None:
            rows = self._db.execute("SELECT iri, id FROM predicates") if self.describes else []
            self._predicates = dict(rows)
        return self._predicates

    def event_ids(self, iris: Iterable[str]) -> dict[str, int]:
        """The integer id of each of ``iris`` that is an indexed event (ids run in timeline order)."""
        found: dict[str, int] = {}
        wanted = []
        for iri in iris:
            if iri in self._ids:
                found[iri] = self._ids[iri]
            else:
                wanted.append(iri)
        for i in range(0, len(wanted), _BATCH):
            batch = wanted[i : i + _BATCH]
            found |= dict(self._db.execute(f"SELECT iri, id FROM events WHERE iri IN ({_marks(batch)})", batch))
        return found

    def links(self, events: list[int], predicates: Collection[str]) -> list[tuple[int, str, int]]:
        """``(event id, predicate IRI, node id)`` of the events' links (to actors, places,
        sources, types, roles) by these predicates: integers, for a network or a view to join
        without decoding an IRI; :meth:`nodes` names them."""
        codes = self._codes(predicates)
        return [(e, codes[p], n) for e, p, n in self._rows("event_links", "node", events, codes)]

    def _codes(self, predicates: Collection[str]) -> dict[int, str]:
        return {n: p for p, n in self.predicates().items() if p in predicates}

    def _rows(self, table: str, column: str, events: list[int], codes: Collection[int]) -> list[tuple[int, int, Any]]:
        """``(event id, predicate id, column)`` rows of ``table`` for ``events``, in batches.
        The unary ``+`` keeps SQLite from seeking every (event, predicate) pair of the two
        ``IN`` lists (18 seeks an event instead of one: 4x slower for 25,000 events); it
        reads each event's rows in one range and tests the predicate."""
        out: list[tuple[int, int, Any]] = []
        for i in range(0, len(events), _BATCH):
            batch = events[i : i + _BATCH]
            sql = (
                f"SELECT event, predicate, {column} FROM {table}"
                f" WHERE event IN ({_marks(batch)}) AND +predicate IN ({_marks(codes)})"
            )
            out += self._db.execute(sql, [*batch, *codes]).fetchall()
        return out

    def link_columns(self, predicates: Collection[str]) -> dict[str, str]:
        """Every event's links by each of ``predicates``, for a whole graph's network:
        ``{predicate IRI: "event,node,event,node,…"}`` (the ids of :meth:`links`), text that
        ``numpy.fromstring(text, sep=",")`` reads in one pass, so millions of links need no
        Python object each."""
        codes = self._codes(predicates)
        sql = (
            "SELECT predicate, group_concat(event || ',' || node) FROM event_links"
            f" WHERE predicate IN ({_marks(codes)}) GROUP BY predicate"
        )
        return {codes[p]: text for p, text in self._db.execute(sql, list(codes))}

    def values(self, events: list[int], predicates: Collection[str]) -> list[tuple[int, str, str]]:
        """``(event id, predicate IRI, lexical value)`` of the events' literal facts (EDTF date,
        precision, end bounds) by these predicates."""
        codes = self._codes(predicates)
        return [(e, codes[p], v) for e, p, v in self._rows("event_values", "value", events, codes)]

    def nodes(self, ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
        """``{node id: (IRI, label or None)}``: the label is the node's ``rdfs:label`` as the
        indexed text gave it (``None``: ask the store, as for labels from the ontology)."""
        wanted = sorted(set(ids))
        found: dict[int, tuple[str, str | None]] = {}
        for i in range(0, len(wanted), _BATCH):
            batch = wanted[i : i + _BATCH]
            rows = self._db.execute(f"SELECT id, iri, label FROM nodes WHERE id IN ({_marks(batch)})", batch)
            found |= {n: (iri, label) for n, iri, label in rows}
        return found

    def node_labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The indexed ``rdfs:label`` of each of ``iris`` the index names."""
        found: dict[str, str] = {}
        wanted = []
        for iri in iris:
            if iri not in self._labels:
                wanted.append(iri)
            elif self._labels[iri] is not None:
                found[iri] = self._labels[iri]  # type: ignore[assignment]
        for i in range(0, len(wanted), _BATCH):
            batch = wanted[i : i + _BATCH]
            sql = f"SELECT iri, label FROM nodes WHERE label IS NOT NULL AND iri IN ({_marks(batch)})"
            found |= dict(self._db.execute(sql, batch))
        return found

    def event_facts(
        self, events: Iterable[str] | dict[str, int], predicates: Collection[str]
    ) -> list[tuple[str, str, str]]:
        """``(event IRI, predicate IRI, value)`` of the indexed ``events``' (IRIs, or their
        :meth:`event_ids`) facts by ``predicates`` (every one of which :meth:`predicates` must
        hold): a node's IRI or a literal's lexical form, as SPARQL's ``STR`` gives them."""
        ids = events if isinstance(events, dict) else self.event_ids(events)
        by_id = {n: iri for iri, n in ids.items()}
        codes = self._codes(predicates)
        links = self._rows("event_links", "node", list(by_id), codes)
        names = self.nodes(n for _, _, n in links)
        self._labels = dict(names.values())
        iris = {n: iri for n, (iri, _) in names.items()}
        out = [(by_id[e], codes[p], iris[n]) for e, p, n in links]
        return out + [(by_id[e], codes[p], v) for e, p, v in self._rows("event_values", "value", list(by_id), codes)]

    def linked_events(
        self, node: str, limit: int, counted: Collection[str] = ()
    ) -> dict[str, tuple[int, list[IndexedEvent]]]:
        """For each predicate by which events link to ``node``: how many events, and the first
        ``limit`` of them in timeline order. Counts and pages from B-trees, whatever the count."""
        row = self._db.execute("SELECT id FROM nodes WHERE iri = ?", (node,)).fetchone()
        if row is None:
            return {}
        names = {n: p for p, n in self.predicates().items()}
        counts = self._db.execute(
            "SELECT predicate, COUNT(*) FROM event_links WHERE node = ? GROUP BY predicate", (row[0],)
        ).fetchall()
        found: dict[str, tuple[int, list[IndexedEvent]]] = {}
        for predicate, count in counts:
            if names[predicate] in counted:
                found[names[predicate]] = (count, [])
                continue
            first = self._db.execute(
                "SELECT e.iri, e.earliest_begin, e.latest_begin, e.label FROM event_links l"
                " JOIN events e ON e.id = l.event WHERE l.node = ? AND l.predicate = ? ORDER BY l.event LIMIT ?",
                (row[0], predicate, limit),
            )
            found[names[predicate]] = (count, [IndexedEvent(*r) for r in first])
        return found

    def close(self) -> None:
        self._db.close()
