"""Loading into an on-disk store safely: all or nothing, and no XML entity bomb.

A bulk load is not a transaction: an error, Ctrl-C or ``kill -9`` half-way left a store with
part of the data (and, for ``kg import``, rows that were never checked together). Here the
data goes into a copy of the store beside it, made of hard links to its files (Oxigraph's
backup, so no data is copied), and the copy takes the store's place in one step
(:func:`kg.atomic.replace_directory`).

RDF/XML may declare entities in its DTD; Oxigraph expands them, so 580 bytes of nested
entities ("billion laughs") became a 10⁹-character literal and 3 GB of memory. A file whose
entities expand beyond a small bound is refused before any parser sees it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import DataError

#: Largest expansion of one declared entity, in characters (namespace IRIs are far shorter).
MAX_ENTITY_CHARS = 4096
#: Most characters all entity references of a file may expand to.
MAX_EXPANSION = 16 << 20

_DECL = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(SYSTEM|PUBLIC|\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_REF = re.compile(rb"&([A-Za-z_][\w.-]*);")


def check_rdfxml(path: str | os.PathLike) -> None:
    """Refuse an RDF/XML file whose DTD declares external entities, entities that refer to
    other entities, or entities that would expand beyond :data:`MAX_EXPANSION` in all."""
    name = Path(path).name
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
        if b"<!ENTITY" not in head.upper() and b"<!entity" not in head:
            return
        sizes: dict[bytes, int] = {}
        for m in _DECL.finditer(head):
            parameter, entity, value = m.group(1), m.group(2), m.group(3)
            if value.upper() in (b"SYSTEM", b"PUBLIC") or parameter:
                raise DataError([f"{name}: declares an external or parameter entity {entity.decode()!r}: refused"])
            if _REF.search(value) or b"%" in value:
                raise DataError(
                    [f"{name}: entity {entity.decode()!r} refers to other entities (an entity bomb?): refused"]
                )
            if len(value) - 2 > MAX_ENTITY_CHARS:
                raise DataError([f"{name}: entity {entity.decode()!r} is over {MAX_ENTITY_CHARS:,} characters"])
            sizes[entity] = len(value) - 2
        total, chunk = 0, head
        while chunk:
            total += sum(sizes.get(ref, 0) for ref in _REF.findall(chunk))
            if total > MAX_EXPANSION:
                raise DataError([f"{name}: its entities expand to over {MAX_EXPANSION:,} characters: refused"])
            chunk = fh.read(1 << 20)  # a reference cut between two chunks is missed: a bound, not a count


def check_files(files: Iterable[str | os.PathLike]) -> None:
    """:func:`check_rdfxml` on each file that is RDF/XML by its extension."""
    for path in files:
        if Path(path).suffix.lower() in (".rdf", ".owl", ".xml"):
            check_rdfxml(path)


@contextmanager
def staged_store(location: str | os.PathLike, purpose: str) -> Iterator[Path]:
    """Yield the path of a copy of the store at ``location`` (an empty path if there is none
    yet) to load into; when the block ends without error, the copy replaces the store in one
    step. The caller must have closed the copy by then."""
    from kg import atomic
    from kg.backends.event_index import FILENAME
    from kg.backends.store import open_store

    location = Path(location)
    with atomic.replace_directory(location, keep=False, purpose=purpose) as new:
        if location.is_dir() and any(location.iterdir()):
            new.rmdir()
            with open_store(location) as old:  # as its writer: refused while a server writes to it
                old.store.backup(str(new))
            if (location / FILENAME).is_file():
                shutil.copy2(location / FILENAME, new / FILENAME)
        yield new
