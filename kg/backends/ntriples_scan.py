"""Facts read straight from N-Triples and N-Quads text, for the event index that ``kg load``
writes while Oxigraph loads the same text: each statement of a wanted predicate is found by
substring search and parsed only as far as the index needs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.namespaces import RDF, SEM

RDF_TYPE, EVENT_CLASS = RDF + "type", SEM + "Event"

_TERM = rb'<[^>]*>|_:[^\s<>"]+|"(?:[^"\\\r\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?'
_STATEMENT = re.compile(
    rb"[ \t]*<([^>]*)>[ \t]+<([^>]*)>[ \t]*(" + _TERM + rb")[ \t]*(?:" + _TERM + rb")?[ \t]*\.[ \t]*(?:#[^\r\n]*)?\r?"
)
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


def statements(text: bytes, needle: bytes) -> Iterator[tuple[bytes, bytes]]:
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
