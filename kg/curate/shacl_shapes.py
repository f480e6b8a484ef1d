"""Reading schema/shapes.ttl, and a shape as a SPARQL pattern that matches a node violating it.

The pattern form here tests one node at a time (its variable is bound); :mod:`kg.curate.shacl`
uses it only where a constraint combines shapes (``sh:or``, ``sh:xone``, ``sh:not``), whose
targets are few, and checks everything else a set at a time. A class test names the class as
``@@IRI@@``, which :mod:`kg.curate.shacl` replaces by the class and its subclasses in the
graph validated (a ``VALUES`` list: Oxigraph answers it from its index, where
``rdf:type/rdfs:subClassOf*`` is a path search for every node).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import UsageError
from kg.namespaces import RDF, SH, shorten

#: The constraint parameters that can run on the engine, on a property shape and on a node shape.
PROPERTY_KEYS = {
    "path", "minCount", "maxCount", "datatype", "languageIn", "class", "node", "hasValue", "nodeKind",
    "equals", "lessThanOrEquals", "pattern", "minLength", "message", "name", "description", "or", "xone", "in",
}  # fmt: skip
NODE_KEYS = {"targetClass", "property", "class", "node", "not", "xone", "or", "sparql", "message", "declare"}
_IGNORED = {"path", "message", "name", "description"}


class Shapes:
    """The shapes graph, read with Oxigraph, and fresh variable names for the patterns."""

    def __init__(self, path: Path):
        self.g = ox.Store()
        self.g.load(path=str(path), format=ox.RdfFormat.TURTLE)
        text = path.read_text(encoding="utf-8")
        self.namespaces = dict(re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", text))
        self._names = (f"?kg{n}" for n in itertools.count())

    def var(self) -> str:
        return next(self._names)

    def values(self, node: Any, prop: str) -> list[Any]:
        return [q.object for q in self.g.quads_for_pattern(node, ox.NamedNode(SH + prop), None)]

    def one(self, node: Any, prop: str) -> Any:
        found = self.values(node, prop)
        return found[0] if found else None

    def items(self, head: Any) -> list[Any]:
        out = []
        while head != ox.NamedNode(RDF + "nil"):
            out.append(next(self.g.quads_for_pattern(head, ox.NamedNode(RDF + "first"), None)).object)
            head = next(self.g.quads_for_pattern(head, ox.NamedNode(RDF + "rest"), None)).object
        return out

    def keys(self, node: Any) -> set[str]:
        return {
            q.predicate.value[len(SH) :]
            for q in self.g.quads_for_pattern(node, None, None)
            if q.predicate.value.startswith(SH)
        }

    def checked_keys(self, node: Any, allowed: set[str]) -> list[str]:
        """The constraint parameters of a shape, refusing one that cannot run on the engine."""
        keys = self.keys(node)
        for key in sorted(keys - allowed):
            raise UsageError(f"schema/shapes.ttl: sh:{key} cannot run on the engine")
        return sorted(keys - _IGNORED)

    def prefixes(self) -> str:
        out = []
        for q in self.g.quads_for_pattern(None, ox.NamedNode(SH + "declare"), None):
            prefix, namespace = self.one(q.object, "prefix"), self.one(q.object, "namespace")
            out.append(f"PREFIX {prefix.value}: <{namespace.value}>\n")
        return "".join(sorted(set(out)))

    def path(self, node: Any) -> tuple[str, str]:
        """A property path as SPARQL and as the report names it."""
        path = self.one(node, "path")
        if isinstance(path, ox.NamedNode):
            return f"<{path.value}>", shorten(path.value)
        inverse = self.one(path, "inversePath")
        if isinstance(inverse, ox.NamedNode):
            return f"^<{inverse.value}>", "(path)"
        raise UsageError("schema/shapes.ttl: only predicate and inverse paths can run on the engine")

    def name(self, shape: Any) -> str:
        """As pySHACL names a shape in its message (a blank one, shorter)."""
        if not isinstance(shape, ox.NamedNode):
            return "a nested shape. See details for more information."
        name = f"<{shape.value}>"
        for prefix, namespace in sorted(self.namespaces.items(), key=lambda p: -len(p[1])):
            if shape.value.startswith(namespace):
                name = f"{prefix}:{shape.value[len(namespace) :]}"
                break
        return f"Shape {name}. See details for more information."

    def sparql_select(self, constraint: Any, this: str) -> str:
        """A SPARQL-based constraint's ``SELECT`` on ``this``, binding ``?value`` in any case."""
        select = self.one(constraint, "select").value.replace("$this", this)
        binds_value = "?value" in select.split("WHERE", 1)[0]
        return f"{{ {select} }}" + ("" if binds_value else f" BIND({this} AS ?value)")


def is_instance(node: str, cls: str, shapes: Shapes) -> str:
    """A pattern matching when ``node`` has class ``cls`` or one of its subclasses."""
    c = shapes.var()
    return f"VALUES {c} {{ @@{cls}@@ }} {node} a {c} ."


def component_message(key: str, arg: Any, shown: str, shapes: Shapes) -> str:
    """pySHACL's default message of a constraint component."""
    if key == "minCount":
        return f"Less than 1 values on {{focus}}->{shown}"
    if key == "maxCount":
        return f"More than {arg.value} values on {{focus}}->{shown}"
    if key == "datatype":
        return f"Value is not a literal of datatype {shorten(arg.value)}"
    if key == "languageIn":
        return f"Language is not in {[t.value for t in shapes.items(arg)]}"
    if key == "class":
        return f"Value does not have class {shorten(arg.value)}"
    if key == "node":
        return f"Value does not conform to {shapes.name(arg)}"
    if key == "in":
        return "Value is not in the list"
    if key in ("or", "xone"):
        return f"Value does not conform to {'exactly one' if key == 'xone' else 'any'} of the shapes"
    if key == "hasValue":
        return f"No value {arg} on {shown}"
    if key == "nodeKind":
        return "Value is not of Node Kind sh:IRI"
    if key == "equals":
        return f"Values of {shown} are not those of {shorten(arg.value)}"
    if key == "lessThanOrEquals":
        return f"Value is not less than or equal to {shorten(arg.value)}"
    if key == "pattern":
        return f"Value does not match the pattern {arg.value}"
    if key == "minLength":
        return f"Value is shorter than {arg.value} characters"
    if key == "not":
        return f"Value conforms to {shapes.name(arg)}, which it must not"
    return "SPARQL constraint"


def value_test(key: str, arg: Any, value: str, shapes: Shapes) -> str:
    """An expression on one value that is true when the value breaks the constraint ``key``
    (the constraints that look at each value alone)."""
    if key == "datatype":
        return f"!isLiteral({value}) || DATATYPE({value}) != <{arg.value}>"
    if key == "languageIn":  # a tag equal to one listed passes before the slower LANGMATCHES
        tags = shapes.items(arg)
        ok = " || ".join(f'LANGMATCHES(LANG({value}), "{t.value}")' for t in tags)
        listed = ", ".join(f'"{t.value}"' for t in tags)
        return f'!isLiteral({value}) || (LANG({value}) NOT IN ({listed}) && (LANG({value}) = "" || !({ok})))'
    if key == "in":
        return f"{value} NOT IN ({', '.join(str(term) for term in shapes.items(arg))})"
    if key == "nodeKind":
        if arg.value != SH + "IRI":
            raise UsageError(f"schema/shapes.ttl: sh:nodeKind {shorten(arg.value)} cannot run on the engine")
        return f"!isIRI({value})"
    if key == "pattern":
        return f"isBlank({value}) || !REGEX(STR({value}), {ox.Literal(arg.value)})"
    if key == "minLength":
        return f"isBlank({value}) || STRLEN(STR({value})) < {int(arg.value)}"
    if key in ("or", "xone"):
        members = shapes.items(arg)
        conforming = " + ".join(f"IF(EXISTS {{ {violates(shapes, m, value)} }}, 0, 1)" for m in members)
        return f"({conforming}) {'!= 1' if key == 'xone' else '= 0'}"
    raise KeyError(key)


def min_count(arg: Any) -> int:
    n = int(arg.value)
    if n > 1:
        raise UsageError("schema/shapes.ttl: sh:minCount above 1 cannot run on the engine")
    return n


def max_count(this: str, triple: str, n: int, v: str) -> str:
    """The nodes ``this`` with more than ``n`` values ``v`` of ``triple``: one pass over the
    predicate, grouped (its triples are distinct, so they need not be compared)."""
    return f"{{ SELECT {this} WHERE {{ {triple} }} GROUP BY {this} HAVING (COUNT({v}) > {n}) }}"


def property_pattern(shapes: Shapes, key: str, arg: Any, this: str, path: str, value: str) -> str | None:
    """A pattern matching when the bound node ``this`` breaks the constraint ``key`` (of
    parameter ``arg``) of a property shape on ``path``, binding ``value`` to the value at fault
    where there is one; ``None`` for a constraint that cannot fail (``sh:minCount 0``)."""
    v = shapes.var()
    if key == "minCount":
        return f"FILTER NOT EXISTS {{ {this} {path} {v} }}" if min_count(arg) == 1 else None
    if key == "maxCount":
        return max_count(this, f"{this} {path} {v}", int(arg.value), v)
    if key == "class":
        return f"{this} {path} {value} FILTER NOT EXISTS {{ {is_instance(value, arg.value, shapes)} }}"
    if key == "node":
        return f"{this} {path} {value} FILTER EXISTS {{ {violates(shapes, arg, value)} }}"
    if key == "hasValue":
        return f"FILTER NOT EXISTS {{ {this} {path} {arg} }}"
    if key == "equals":
        return (
            f"{{ {this} {path} {value} FILTER NOT EXISTS {{ {this} <{arg.value}> {value} }} }} UNION"
            f" {{ {this} <{arg.value}> {value} FILTER NOT EXISTS {{ {this} {path} {value} }} }}"
        )
    if key == "lessThanOrEquals":
        return f"{this} {path} {value} ; <{arg.value}> {v} FILTER(!({value} <= {v}))"
    return f"{this} {path} {value} FILTER({value_test(key, arg, value, shapes)})"


def _property_patterns(shapes: Shapes, ps: Any, this: str) -> Iterator[str]:
    """Patterns, each matching when the bound node ``this`` breaks one constraint of ``ps``."""
    path, _ = shapes.path(ps)
    for key in shapes.checked_keys(ps, PROPERTY_KEYS):
        for arg in shapes.values(ps, key):
            pattern = property_pattern(shapes, key, arg, this, path, shapes.var())
            if pattern is not None:
                yield pattern


def violates(shapes: Shapes, shape: Any, this: str) -> str:
    """A graph pattern that matches when the bound node ``this`` does not conform to ``shape``
    (a node shape, or a property shape as a member of ``sh:or`` or ``sh:xone`` may be)."""
    if "path" in shapes.keys(shape):
        parts = list(_property_patterns(shapes, shape, this))
    else:
        parts = []
        for key in shapes.checked_keys(shape, NODE_KEYS):
            for arg in shapes.values(shape, key):
                if key == "class":
                    parts.append(f"FILTER NOT EXISTS {{ {is_instance(this, arg.value, shapes)} }}")
                elif key == "node":
                    parts.append(f"FILTER EXISTS {{ {violates(shapes, arg, this)} }}")
                elif key == "not":
                    parts.append(f"FILTER NOT EXISTS {{ {violates(shapes, arg, this)} }}")
                elif key in ("xone", "or"):
                    parts.append(f"FILTER({value_test(key, arg, this, shapes)})")
                elif key == "property":
                    parts += _property_patterns(shapes, arg, this)
                elif key == "sparql":
                    parts.append(shapes.sparql_select(arg, this).replace("?value", shapes.var()))
    return " UNION ".join(f"{{ {p} }}" for p in parts) or "FILTER(false)"
