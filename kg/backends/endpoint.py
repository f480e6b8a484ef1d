"""Any SPARQL 1.1 Protocol endpoint (Oxigraph server, Fuseki, Virtuoso, GraphDB) as a graph.

:class:`EndpointBackend` answers every method of :class:`~kg.backends.Backend`, so timeline,
show, export and validate work against an endpoint unchanged. Remote engines do not implement
SPARQL SEP-0007 substitution, so parameters are bound by a ``VALUES`` block built from RDF
terms serialised by Oxigraph (quotes and escapes included), never by pasting raw text.
The project's prefixes are declared for the endpoint as they are locally.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from kg.backends.memory import MemoryBackend, sorted_quads
from kg.errors import QueryError, UsageError
from kg.namespaces import GRAPH_INDEX, PREFIXES, RDFS, SKOS
from kg.sparql import SelectResult, check_offline, parse_param, resolve, syntax_message

#: Largest answer read from an endpoint, in bytes.
MAX_RESPONSE = 512 << 20
#: Seconds an endpoint has to send its whole answer (``--endpoint-timeout``).
DEFAULT_TIMEOUT = 60.0

_TOKENS = re.compile(
    r"#[^\n]*|\"\"\".*?\"\"\"|'''.*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|[{}]", re.S
)


def _where_brace(query: str) -> int:
    """Offset just inside the ``{`` that opens the query's WHERE pattern."""
    keyword = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", _blank(query), re.I)
    start = keyword.start() if keyword else 0
    skip_template = bool(
        keyword
        and keyword.group(1).upper() == "CONSTRUCT"
        and not re.match(r"CONSTRUCT\s+WHERE\b", _blank(query)[start:], re.I)
    )
    depth = 0
    for m in _TOKENS.finditer(query, start):
        tok = m.group(0)
        if tok == "{":
            if depth == 0 and not skip_template:
                return m.end()
            depth += 1
        elif tok == "}":
            depth -= 1
            if depth == 0 and skip_template:
                skip_template = False
    raise QueryError("cannot find the WHERE clause to bind parameters in")


def _blank(query: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length)."""
    return _TOKENS.sub(lambda m: m.group(0) if m.group(0) in "{}" else " " * len(m.group(0)), query)


def bind_values(query: str, bindings: dict[str, Any]) -> str:
    """``query`` with a ``VALUES`` block binding each variable at the top of its WHERE clause.

    >>> bind_values("SELECT ?x WHERE { ?x ?p ?name }", {"name": ox.Literal('a " } b')})
    'SELECT ?x WHERE { VALUES (?name) { ("a \\\\" } b") }\\n ?x ?p ?name }'
    """
    if not bindings:
        return query
    names = " ".join(f"?{n}" for n in bindings)
    terms = " ".join(str(t) for t in bindings.values())
    at = _where_brace(query)
    return f"{query[:at]} VALUES ({names}) {{ ({terms}) }}\n{query[at:]}"


def _prologue(query: str) -> str:
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", _blank(query), re.I)}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared) + _MARK


#: Ends the prefixes kg adds, so that a refusal can be told against the user's own text.
_MARK = "#kg\n"


def _prologue_of(sent: str) -> str:
    return sent[: sent.index(_MARK) + len(_MARK)] if _MARK in sent else ""


def check_url(url: str) -> None:
    """Refuse an endpoint URL that is not an http(s) URL with a host."""
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an unclosed [IPv6 address, a port that is not a number
        usable = False
    if not usable or re.search(r"\s", url):
        raise UsageError(f"--endpoint expects an http(s) URL, got {url!r}")


class EndpointBackend(MemoryBackend):
    """A graph behind a SPARQL endpoint URL (read commands); ``push`` uploads to a store."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT):
        check_url(url)
        super().__init__(store=None, data_dir=None, label=url)
        self.url = url
        self.timeout = timeout

    def __len__(self) -> int:
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])

    def _request(self, query: str, accept: str, stream: bool = False) -> Any:
        """POST the query (SPARQL 1.1 Protocol); the response body, or the open response."""
        import urllib.error
        import urllib.parse
        import urllib.request

        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        deadline = time.monotonic() + self.timeout
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
            raise QueryError(self._refusal(query, exc.code, detail)) from None
        except ValueError as exc:  # http.client.InvalidURL and the like
            raise UsageError(f"--endpoint {self.url!r} is not a usable URL: {exc}") from None
        except OSError as exc:
            raise QueryError(self._unreachable(exc)) from None
        if stream:
            return response
        with response:
            return response.headers.get("Content-Type", ""), self._body(response, deadline)

    def _unreachable(self, exc: OSError) -> str:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return f"the endpoint {self.url} did not answer within {self.timeout:g} s (--endpoint-timeout)"
        return f"cannot reach the endpoint {self.url}: {reason}"

    def _body(self, response: Any, deadline: float) -> bytes:
        """The whole body, read within the timeout (a server that drips bytes is cut off)
        and up to :data:`MAX_RESPONSE` bytes (3 million rows would exhaust the memory)."""
        chunks, size = [], 0
        try:
            while chunk := response.read1(1 << 16):
                size += len(chunk)
                if size > MAX_RESPONSE:
                    raise QueryError(
                        f"the endpoint {self.url} sent over {MAX_RESPONSE >> 20} MB: narrow the query (LIMIT)"
                    )
                if time.monotonic() > deadline:
                    raise QueryError(self._unreachable(TimeoutError()))
                chunks.append(chunk)
        except OSError as exc:
            raise QueryError(self._unreachable(exc)) from None
        return b"".join(chunks)

    def _parsed(self, ctype: str, body: bytes, parse: Callable[[], Any]) -> Any:
        """``parse()`` of an answer, or a clear error naming the endpoint and what it sent."""
        try:
            return parse()
        except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
            start = " ".join(body[:80].decode("utf-8", "replace").split()) or "an empty body"
            raise QueryError(
                f"the endpoint {self.url} did not send valid SPARQL results ({ctype or 'no content type'}: "
                f"{start!r}): {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
            ) from None

    def _refusal(self, sent: str, status: int, detail: str) -> str:
        """The endpoint's refusal, told against the user's query: a syntax error is located
        by Oxigraph's parser in the text the user wrote (not in the prefixed text sent)."""
        user = sent[len(_prologue_of(sent)) :]
        try:
            ox.Store().query(user, prefixes=PREFIXES)
        except SyntaxError as exc:
            return syntax_message(exc, user)
        except (RuntimeError, OSError, ValueError):
            pass
        first = " ".join(detail.split())[:300]
        return f"the endpoint {self.url} refused the query (HTTP {status}): {first}"

    def query(self, sparql: str, params: dict[str, Any] | None = None) -> Any:
        from kg.backends.lookup import bind_names

        text, named = resolve(sparql)
        check_offline(text)
        params = bind_names(self, named, params)  # a parameter that names a resource: its IRI
        bound = {n: parse_param(v) if isinstance(v, str) else v for n, v in (params or {}).items()}
        if named is not None:
            unknown = [n for n in bound if n not in named.param_names]
            missing = [n for n in named.required_params if n not in bound]
            if unknown or missing:
                raise QueryError(f"query {named.name!r}: unknown {unknown} / missing {missing} parameters")
        final = _prologue(text) + bind_values(text, bound)
        form = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", _blank(text), re.I)
        if form and form.group(1).upper() in ("CONSTRUCT", "DESCRIBE"):
            ctype, body = self._request(final, "application/n-triples, text/turtle;q=0.9")
            fmt = ox.RdfFormat.TURTLE if "turtle" in ctype else ox.RdfFormat.N_TRIPLES
            return self._parsed(ctype, body, lambda: list(ox.parse(body, format=fmt)))
        ctype, body = self._request(final, "application/sparql-results+json")
        if form and form.group(1).upper() == "ASK":
            return self._parsed(
                ctype, body, lambda: bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
            )
        result = self._parsed(ctype, body, lambda: SelectResult.from_json(body))
        return result.without(named.param_names) if named else result

    def facts(self, subjects: list[str]) -> list[tuple[str, str, Any]]:
        out = []
        for i in range(0, len(subjects), 500):
            batch = " ".join(f"<{s}>" for s in subjects[i : i + 500])
            rows = self.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {batch} }} ?s ?p ?o }}").rows
            out += [(s.value, p.value, o) for s, p, o in rows]
        return out

    def fact_values(self, subjects: list[str], skip: Iterable[str] = ()) -> list[tuple[str, str, str]]:
        unwanted = set(skip)
        return [(s, p, o.value) for s, p, o in self.facts(subjects) if p not in unwanted]

    def labels(self, nodes: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for node, p, o in self.facts(nodes):
            if p in (RDFS + "label", SKOS + "prefLabel") and (node not in found or p == RDFS + "label"):
                found[node] = o.value
        return found

    def quads(self) -> list[ox.Quad]:
        rows = self.query("SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }").rows
        named = {(s, p, o) for g, s, p, o in rows if g is not None}
        quads = [ox.Quad(s, p, o, g) for g, s, p, o in rows if g is not None]
        quads += [ox.Quad(s, p, o) for g, s, p, o in rows if g is None and (s, p, o) not in named]
        return sorted_quads(quads)

    def triples(self) -> list[ox.Triple]:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in self.quads()]

    def dump(self, out: Any, fmt: str) -> None:
        """N-Triples streamed from a ``CONSTRUCT`` of the default graph (constant memory)."""
        if fmt != "nt":
            super().dump(out, fmt)
            return
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        with self._request(query, "application/n-triples, text/turtle;q=0.9", stream=True) as response:
            kind = response.headers.get("Content-Type", "")
            fmt_in = ox.RdfFormat.TURTLE if "turtle" in kind else ox.RdfFormat.N_TRIPLES
            ox.serialize(ox.parse(response, format=fmt_in), out, format=ox.RdfFormat.N_TRIPLES)


def push(
    graph: Any,
    url: str,
    *,
    replace: bool = True,
    named_graphs: bool = False,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
) -> list[tuple[str, int, int]]:
    """Upload ``graph`` to a SPARQL 1.1 Graph Store Protocol endpoint.

    By default every triple goes to the endpoint's default graph (``url?default``), the graph
    a stock server's queries read (Oxigraph without ``--union-default-graph``, Fuseki), so that
    ``kg --endpoint … stats`` counts them. With ``named_graphs`` each named graph goes to
    ``url?graph=IRI`` instead, for servers whose queries see the union (Virtuoso). Sent as
    N-Triples from a temporary file (constant memory, whatever the graph's size), with
    ``PUT`` (replace, the default) or ``POST`` (add). Returns ``(graph IRI or "default",
    HTTP status, triples sent)`` for each; ``user``/``password`` for digest or basic
    authentication (Virtuoso's ``/sparql-graph-crud-auth``).
    """
    import tempfile
    import urllib.error
    import urllib.parse
    import urllib.request

    check_url(url)
    handlers = []
    if user:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, user, password or "")
        handlers = [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
    opener = urllib.request.build_opener(*handlers)
    sep = "&" if "?" in url else "?"
    done = []
    for name, body, count in _bodies(graph, named_graphs, tempfile.TemporaryFile):
        target = f"{url}{sep}default" if name == "default" else f"{url}{sep}graph={urllib.parse.quote(name, safe='')}"
        with body:
            size = body.seek(0, 2)
            body.seek(0)
            request = urllib.request.Request(
                target,
                data=body,
                method="PUT" if replace else "POST",
                headers={"Content-Type": "application/n-triples", "Content-Length": str(size)},
            )
            try:
                with opener.open(request, timeout=timeout) as response:
                    done.append((name, response.status, count))
            except urllib.error.HTTPError as exc:
                detail = exc.read(300).decode("utf-8", "replace").strip()
                raise QueryError(
                    f"the store at {url} refused graph {name}: HTTP {exc.code} {exc.reason}: {detail}"
                ) from None
            except ValueError as exc:  # http.client.InvalidURL and the like
                raise UsageError(f"--endpoint {url!r} is not a usable URL: {exc}") from None
            except OSError as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                    raise QueryError(f"the store at {url} did not answer within {timeout:g} s (--timeout)") from None
                raise QueryError(f"cannot reach {url}: {reason}") from None
    return done


def _bodies(graph: Any, named_graphs: bool, spool: Any) -> Iterator[tuple[str, Any, int]]:
    """``(graph name or "default", N-Triples file, triple count)`` of what :func:`push` sends."""
    if not named_graphs:
        body = spool()
        graph.dump(body, "nt")
        body.seek(0)
        yield "default", body, sum(1 for _ in body)
        return
    files: dict[str, tuple[Any, list[int]]] = {}
    for q in graph.quads():
        name = "default" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        if name == GRAPH_INDEX:
            continue
        fh, count = files.setdefault(name, (spool(), [0]))
        fh.write(str(ox.Triple(q.subject, q.predicate, q.object)).encode() + b" .\n")
        count[0] += 1
    for name in sorted(files):
        yield name, files[name][0], files[name][1][0]
