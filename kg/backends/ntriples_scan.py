"""Facts read straight from N-Triples and N-Quads text, for the event index that ``kg load``
writes while Oxigraph loads the same text: each statement of a wanted predicate is found by
substring search and parsed only as far as the index needs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kg.namespaces import RDF, SEM

RDF_TYPE, EVENT_CLASS = RDF + "type", SEM + "Event"

_LITERAL = re.compile(rb'"((?:[^"\\\r\n]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_TYPED_EVENT = f"<{RDF_TYPE}> <{EVENT_CLASS}>".encode()


def typed_events(text: bytes) -> Iterator[bytes]:
    """Subjects of the ``<s> rdf:type sem:Event`` lines of N-Triples ``text`` written in the
    common shape (single spaces), found by substring search."""
    find, rfind = text.find, text.rfind
    at = find(_TYPED_EVENT)
    while at != -1:
        start = rfind(b"\n", 0, at) + 1
        if text[start] == 60 and text[at - 2 : at] == b"> " and find(b">", start, at) == at - 2:
            yield text[start + 1 : at - 2]
        at = find(_TYPED_EVENT, at + len(_TYPED_EVENT))


def unescape(text: bytes) -> str:
    value = text.decode()
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else _ECHAR.get(m[3], m[3]), value)


def canonical(iri: bytes) -> bytes:
    """An IRI's text with its escapes undone (one IRI, one key)."""
    return unescape(iri).encode() if b"\\" in iri else iri


def statements_of(predicates: Iterable[bytes]) -> re.Pattern[bytes]:
    """A pattern whose ``findall`` over valid N-Triples or N-Quads text, with a line break
    put before it, gives ``(subject IRI, predicate IRI, object and the rest of the line)`` of
    the statements with an IRI subject and one of ``predicates``: one pass in C over a piece.

    A line starts a statement (a literal holds no raw line break), so a comment or a literal
    that mentions a predicate is not a match; Oxigraph, loading the same text, rejects a
    line that is no statement. The pattern starts with the line break, which the engine
    looks for with a fast search, and the predicates are grouped by namespace, which spares
    it trying every predicate in turn (2x faster than a ``^`` and a flat alternation).
    """
    by_namespace: dict[bytes, list[bytes]] = {}
    for predicate in predicates:
        cut = max(predicate.rfind(b"/"), predicate.rfind(b"#")) + 1
        by_namespace.setdefault(predicate[:cut], []).append(predicate[cut:])
    wanted = b"|".join(
        re.escape(namespace) + b"(?:" + b"|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + b")"
        for namespace, names in sorted(by_namespace.items(), key=lambda item: len(item[0]), reverse=True)
    )
    return re.compile(rb"\n[ \t]*<([^>\n]*)>[ \t]+<(" + wanted + rb")>[ \t]*([^\n]*)")


def object_value(obj: bytes) -> str | None:
    """The IRI or lexical form of the N-Triples object term that ``obj`` starts with
    (``None`` for a blank node)."""
    if obj.startswith(b"<"):
        return unescape(obj[1 : obj.index(b">")])
    if not obj.startswith(b'"'):
        return None
    if b"\\" not in obj:
        return obj[1 : obj.index(b'"', 1)].decode()
    literal = _LITERAL.match(obj)
    return unescape(literal[1]) if literal else None
