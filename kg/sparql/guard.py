"""What a query must pass before any parser sees it: a bounded size and nesting, and no ``SERVICE``.

Oxigraph's parser recurses once per nested bracket: 5,000 nested braces overflow its stack and
kill the process, so nesting is counted first, by a scan that skips strings, comments and IRIs.

``SERVICE`` (a federated query) would make the local graph, or ``kg serve``, send a request to
any address a client names. It is refused from the parsed query, not its text: the SPARQL
keyword can only come from the letters ``SERVICE`` once codepoint escapes (``\\u0053``) are
expanded, so a query without them needs no parser; any other is parsed by rdflib, whose algebra
shows every ``SERVICE`` however it is written (nested, in a subquery, with a variable IRI,
after a string or an IRI that a keyword check would misread). A query rdflib cannot parse (an
Oxigraph extension, or nesting deeper than its recursion allows) and that holds the word is
refused too: it cannot be proved free of ``SERVICE``.
"""

from __future__ import annotations

import re
from typing import Any

from kg.errors import QueryError

#: Deepest nesting of ``{``, ``(`` and ``[`` accepted (Oxigraph crashes near 5,000).
MAX_NESTING = 200
#: Longest query text accepted, in characters.
MAX_QUERY_CHARS = 1_000_000

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SKIP = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*|<[^<>\"{}|^`\\\x00-\x20]*>",
    re.DOTALL,
)
_OPEN, _CLOSE = "{([", "})]"

#: The shape of a SERVICE clause in the text (keyword, SILENT, IRI, variable or prefixed name,
#: then a brace, comments allowed between). Found where rdflib's algebra has no SERVICE, it
#: means the two parsers read the text differently (a string one of them ends elsewhere): the
#: query is refused rather than trusted to the parser that runs it.
_GAP = r"(?:\s|#[^\n]*(?:\n|$))*"
_SHAPE = re.compile(rf"\bSERVICE{_GAP}(?:SILENT{_GAP})?(?:<[^<>\s]*>|[?$]\w+|[\w.-]*:[\w.-]*){_GAP}\{{", re.IGNORECASE)

REFUSED = (
    "SERVICE (federated query) is refused: the local graph is queried offline and a server "
    "never sends requests for its clients. Query the remote endpoint directly instead."
)


def unescape(query: str) -> str:
    """The query with SPARQL codepoint escapes expanded, as both parsers read it first."""

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _ESCAPE.sub(char, query)


def nesting(query: str) -> int:
    """The deepest nesting of brackets outside strings, comments and IRIs."""
    depth = deepest = 0
    for chunk in _SKIP.split(query):
        for ch in chunk:
            if ch in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
    return deepest


def check_shape(query: str) -> str:
    """Refuse a query too long or too deeply nested to parse safely; returns it unescaped."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(query):,} characters (at most {MAX_QUERY_CHARS:,})")
    text = unescape(query)
    if "\x00" in text:
        raise QueryError("query holds a NUL character")
    if re.search("[\ud800-\udfff]", text):
        raise QueryError("the query is not UTF-8 text (it holds an undecodable byte or a lone surrogate)")
    depth = nesting(text)
    if depth > MAX_NESTING:
        raise QueryError(f"query nested too deeply: {depth} levels of brackets (at most {MAX_NESTING})")
    return text


def _has_service(node: Any, seen: set[int]) -> bool:
    if id(node) in seen:
        return False
    seen.add(id(node))
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service(v, seen) for k, v in node.items() if k != "_vars")
    if isinstance(node, (list, tuple, set)):
        return any(_has_service(v, seen) for v in node)
    return False


def _parse(query: str, update: bool) -> Any:
    """rdflib's algebra of the query, or ``None`` if rdflib cannot parse it.

    On a thread of its own: pyparsing keeps exceptions (and their tracebacks) in its cache,
    and those would keep the caller's frames alive, with any pyoxigraph result they hold, to
    be freed later on another thread, which pyoxigraph refuses."""
    import threading

    out: list[Any] = [None]

    def parse() -> None:
        from kg.namespaces import PREFIXES

        try:
            from rdflib.plugins.sparql import algebra, parser

            if update:
                out[0] = algebra.translateUpdate(parser.parseUpdate(query), initNs=PREFIXES).algebra
            else:
                out[0] = algebra.translateQuery(parser.parseQuery(query), initNs=PREFIXES).algebra
        except Exception:  # parse errors have no common class, RecursionError included
            pass  # Oxigraph reports the syntax error

    thread = threading.Thread(target=parse, name="sparql-guard")
    thread.start()
    thread.join()
    return out[0]


def check_offline(query: str, *, update: bool = False) -> None:
    """Refuse a query (or, with ``update``, a SPARQL update) that is too big, too deeply
    nested, or that holds ``SERVICE`` in any form. Raises :class:`~kg.errors.QueryError`."""
    text = check_shape(query)
    if not re.search("service", text, re.IGNORECASE):
        return  # no parser can read the keyword out of a text without its letters
    parsed = _parse(query, update)
    if parsed is None:
        if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
            raise QueryError(REFUSED + " (The query mentions SERVICE and could not be checked.)")
        return
    if _has_service(parsed, set()) or _SHAPE.search(text):
        raise QueryError(REFUSED)
