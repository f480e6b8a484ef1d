"""N-Triples and N-Quads in line-aligned pieces, for ``kg load`` (:mod:`kg.backends.loading`):
which pieces share blank nodes, those pieces' blank nodes kept one node across them, and a
syntax error's line counted in the file rather than in its piece."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox


def pieces(fh, size: int):
    """Line-aligned pieces of about ``size`` bytes."""
    while True:
        piece = fh.read(size)
        if not piece:
            return
        piece += fh.readline()
        yield piece


#: A blank node label (text inside a literal or an IRI that looks like one counts too: a
#: false match only sends a piece the slower way).
_BLANK_LABEL = re.compile(rb"_:[\w\-\x80-\xff.]*[\w\-\x80-\xff]")


def plan(path: Path, size: int) -> list[tuple[int, bool]]:
    """Line-aligned pieces of ``path`` of about ``size`` bytes, as ``(bytes, closed)``: a
    closed piece shares no blank node label with another, so Oxigraph's loader may take it as
    text (it gives each call's blank nodes a scope of their own). A piece ends on a line
    without a blank node if one comes within ``size // 8`` bytes, so that the lines of a blank
    node written together (CONTRACT.md's evidence) stay together. One pass in C over the
    text (read, not mapped: a mapped file counts in the resident memory); labels are kept
    as 64-bit hashes (a collision only makes a piece open)."""
    import numpy as np

    lengths: list[int] = []
    hashes: list[np.ndarray] = [np.zeros(0, np.int64)]
    with path.open("rb") as fh:
        while piece := fh.read(size):
            lines = [piece, fh.readline()]
            last = piece[piece.rfind(b"\n") + 1 :] + lines[-1]  # the whole of the piece's last line
            extra = len(lines[-1])
            while b"_:" in last and extra < size // 8 and (last := fh.readline()):
                lines.append(last)
                extra += len(last)
            piece = b"".join(lines)
            found = _BLANK_LABEL.findall(piece) if b"_:" in piece else []
            hashes.append(np.unique(np.fromiter(map(hash, found), dtype=np.int64, count=len(found))))
            lengths.append(len(piece))
    every = np.concatenate(hashes)
    owner = np.repeat(np.arange(-1, len(lengths)), [len(h) for h in hashes])
    order = np.argsort(every, kind="stable")
    same = every[order][1:] == every[order][:-1]
    shared = np.zeros(len(every), dtype=bool)
    shared[1:] |= same
    shared[:-1] |= same
    open_pieces = set(owner[order][shared].tolist())
    return [(n, i not in open_pieces) for i, n in enumerate(lengths)]


def scoped(quads: Iterable[ox.Quad], scope: str, to_graph) -> Iterator[ox.Quad]:
    """The quads of one piece of a file with its blank nodes named ``scope`` + their label:
    the same label is the same node in every piece of the file (Oxigraph's loaders would give
    each piece a scope of its own), and a node of no other file."""
    blank = ox.BlankNode
    for q in quads:
        s, o, g = q.subject, q.object, q.graph_name
        if to_graph is None and type(s) is not blank and type(o) is not blank and type(g) is not blank:
            yield q
            continue
        if to_graph is not None:
            g = to_graph
        elif type(g) is blank:
            g = blank(scope + g.value)
        if type(s) is blank:
            s = blank(scope + s.value)
        if type(o) is blank:
            o = blank(scope + o.value)
        yield ox.Quad(s, q.predicate, o, g)


_LINE = re.compile(r"\bline (\d+)")


def lines_in_file(message: str, before: int) -> str:
    """A parser's ``message`` about a piece with ``before`` lines of the file ahead of it,
    its line numbers counted in the file.

    >>> lines_in_file("Parser error at line 3 column 2: unexpected end", 100)
    'Parser error at line 103 column 2: unexpected end'
    """
    return _LINE.sub(lambda m: f"line {int(m[1]) + before}", message)
