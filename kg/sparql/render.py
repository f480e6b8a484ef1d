"""Rows as text for people and the programs they open them in, safe for each reader.

Every data string reaches a reader through one of these functions:

- :func:`table` fits a terminal: long cells end in "…" so a row stays one line, and control
  characters from the data (an ``ESC`` that would recolour or retitle the terminal, a ``BEL``)
  are shown as ``\\x1b`` instead of being sent to it (:func:`printable`);
- :func:`markdown` escapes every character that could start Markdown or HTML inside a table
  cell, so a rendered label is text, never a live ``<script>`` or a remote ``<img>``;
- :func:`rows_to_csv` neutralises formula injection as OWASP recommends: a cell that a
  spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return and is not a number) is prefixed with ``'`` (:func:`csv_safe`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from wcwidth import wcswidth, wcwidth

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
#: Characters that can open an inline Markdown or HTML construct inside a table cell.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&~|!()$])")
_SEP = "  "
ELLIPSIS = "…"


def printable(text: Any) -> str:
    """Text with control characters shown as escapes (``\\x1b``), never sent to the terminal.

    >>> printable("red\\x1b[31m")
    'red\\\\x1b[31m'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else " ", str(text))


def _cell_text(value: Any) -> str:
    """One table cell: one line, control characters escaped."""
    return printable(str(value).replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a Chinese character takes two)."""
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, ending in "…" when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def fit_widths(natural: Sequence[int], total: int, keep: Sequence[int] = (), main: int | None = None) -> list[int]:
    """Column widths that fit ``total`` columns: the ``keep`` columns (a date) and the narrow
    ones keep their width; the wide ones share what is left by the square root of their
    width, the ``main`` one (the label a reader looks for) half as much again, so that a
    long label is cut less than a short id column (each at least 3, so "x…" still shows).

    >>> fit_widths([10, 50, 80], 60)
    [10, 20, 26]
    >>> fit_widths([10, 100, 20, 60, 20], 80, keep=[0], main=1)
    [10, 31, 8, 15, 8]
    """
    room = total - len(_SEP) * (len(natural) - 1)
    widths = list(natural)
    if sum(widths) <= room:
        return widths
    kept = [i for i in keep if natural[i] < room // 2]
    left = room - sum(natural[i] for i in kept)
    wide = [i for i in range(len(natural)) if i not in kept]
    while True:  # the columns narrower than an equal share keep their width
        narrow = [i for i in wide if natural[i] <= left // len(wide)]
        if not narrow or len(narrow) == len(wide):
            break
        left -= sum(natural[i] for i in narrow)
        wide = [i for i in wide if i not in narrow]
    weight = {i: natural[i] ** 0.5 * (1.5 if i == main else 1.0) for i in wide}
    total_weight = sum(weight.values())
    for i in wide:
        widths[i] = min(natural[i], max(int(left * weight[i] / total_weight), 3))
    spare = left - sum(widths[i] for i in wide)
    for i in sorted(wide, key=lambda i: -weight[i]):  # what rounding left over, to the heaviest
        extra = min(spare, natural[i] - widths[i])
        widths[i] += extra
        spare -= extra
    return widths


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    width: int | None = None,
    keep: Sequence[int] = (),
    main: int | None = None,
) -> str:
    """Aligned text columns and a row count; with ``width``, each line fits that many columns,
    the ``keep`` columns cut last and the ``main`` one less than the others (:func:`fit_widths`).

    Without ``width`` (output piped or written to a file) every cell is given in full.
    """
    heads = [_cell_text(h) for h in headers]
    cells = [[_cell_text("" if c is None else c) for c in row] for row in rows]
    natural = [display_width(h) for h in heads]
    for row in cells:
        for i, c in enumerate(row):
            natural[i] = max(natural[i], display_width(c))
    widths = fit_widths(natural, width, keep, main) if width else natural

    def line(values: Sequence[str]) -> str:
        parts = []
        for v, w in zip(values, widths, strict=True):
            v = truncate(v, w)
            parts.append(v + " " * (w - display_width(v)))
        return _SEP.join(parts).rstrip()

    out = [line(heads), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def markdown_cell(value: Any) -> str:
    """Text for a Markdown table cell or list item: inline Markdown and HTML escaped, and a
    leading block marker (``#``, ``-``, ``1.``), on one line.

    >>> markdown_cell("<img src=x> *a* | b")
    '\\\\<img src=x\\\\> \\\\*a\\\\* \\\\| b'
    """
    text = _MD_SPECIAL.sub(r"\\\1", _cell_text("" if value is None else value))
    # what would open a block where the text starts a line (a list item): a heading, a list, a rule
    return re.sub(r"^(\d{1,9})([.)])|^([#+=-])", lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def markdown(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table, every cell in full and escaped (:func:`markdown_cell`)."""
    out = ["| " + " | ".join(markdown_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(markdown_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def html_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An HTML table for notebooks (``_repr_html_``), every string escaped."""
    from html import escape

    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if c is None else str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def csv_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: OWASP's prefix ``'`` before a leading ``=``, ``+``,
    ``-``, ``@``, tab or carriage return, unless the cell is a plain number.

    >>> csv_safe('=HYPERLINK("http://x")'), csv_safe("-3"), csv_safe("@SUM(A1)")
    ('\\'=HYPERLINK("http://x")', '-3', "'@SUM(A1)")
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def rows_to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]], delimiter: str = ",") -> str:
    """CSV (or TSV) of rows, each cell in full and safe to open in a spreadsheet (:func:`csv_safe`)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow([csv_safe(h) for h in headers])
    writer.writerows([csv_safe("" if c is None else c) for c in row] for row in rows)
    return buf.getvalue()
