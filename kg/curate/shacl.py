"""The SHACL shapes of CONTRACT.md as SPARQL queries that the graph's own engine runs.

pySHACL re-parses every SPARQL constraint for every focus node and needs the whole graph in
rdflib: 4 s on the bundled graph, and out of reach for a store of a million events. The
shapes of schema/shapes.ttl use a small part of SHACL (targets by class; ``sh:property``
with a predicate or inverse path; ``minCount``, ``maxCount``, ``datatype``, ``languageIn``,
``class``, ``node``, ``hasValue``, ``nodeKind``, ``equals``, ``lessThanOrEquals``,
``pattern``, ``minLength``, ``in``, ``or``, ``xone``; ``sh:class``, ``sh:node``, ``sh:not``,
``sh:xone``, ``sh:or`` on nodes; and
SPARQL-based constraints): each constraint becomes one ``SELECT ?this ?value`` over its
targets, which Oxigraph (or an endpoint) evaluates with its indexes, in bounded memory. A
shape using any other feature is refused rather than silently skipped. tests/test_backends.py
checks the violations against pySHACL's on planted mistakes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import UsageError
from kg.namespaces import RDF, RDFS, SH, shorten

_SUBCLASS = f"<{RDF}type>/<{RDFS}subClassOf>*"
_SUPPORTED_PROPERTY = {
    "path", "minCount", "maxCount", "datatype", "languageIn", "class", "node", "hasValue", "nodeKind",
    "equals", "lessThanOrEquals", "pattern", "minLength", "message", "name", "description", "or", "xone", "in",
}  # fmt: skip
_SUPPORTED_NODE = {"targetClass", "property", "class", "node", "not", "xone", "or", "sparql", "message", "declare"}


@dataclass(frozen=True)
class Check:
    """One constraint as a query: ``SELECT ?this ?value`` of its violations."""

    query: str
    path: str
    component: str
    message: str


class _Shapes:
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

    def prefixes(self) -> str:
        out = []
        for q in self.g.quads_for_pattern(None, ox.NamedNode(SH + "declare"), None):
            prefix, namespace = self.one(q.object, "prefix"), self.one(q.object, "namespace")
            out.append(f"PREFIX {prefix.value}: <{namespace.value}>\n")
        return "".join(sorted(set(out)))


def _path(shapes: _Shapes, node: Any) -> tuple[str, str]:
    """A property path as SPARQL and as the report names it."""
    path = shapes.one(node, "path")
    if isinstance(path, ox.NamedNode):
        return f"<{path.value}>", shorten(path.value)
    inverse = shapes.one(path, "inversePath")
    if isinstance(inverse, ox.NamedNode):
        return f"^<{inverse.value}>", "(path)"
    raise UsageError("schema/shapes.ttl: only predicate and inverse paths can run on the engine")


def _value_checks(shapes: _Shapes, ps: Any, this: str, value: str) -> Iterator[tuple[str, str, str, Any]]:
    """``(component, violation pattern binding the value, default message, nested shape)`` of a
    property shape; the nested shape is that of an ``sh:node``, whose own violations are reported too."""
    path, shown = _path(shapes, ps)
    v = shapes.var()
    for key in sorted(shapes.keys(ps) - {"path", "message", "name", "description"}):
        if key not in _SUPPORTED_PROPERTY:
            raise UsageError(f"schema/shapes.ttl: sh:{key} cannot run on the engine")
        arg = shapes.one(ps, key)
        if key == "minCount":
            n = int(arg.value)
            if n > 1:
                raise UsageError("schema/shapes.ttl: sh:minCount above 1 cannot run on the engine")
            if n == 1:
                yield (
                    "MinCount",
                    f"FILTER NOT EXISTS {{ {this} {path} {v} }}",
                    f"Less than 1 values on {{focus}}->{shown}",
                    None,
                )
        elif key == "maxCount":
            n, count = int(arg.value), shapes.var()
            yield (
                "MaxCount",
                f"{{ SELECT {this} (COUNT(DISTINCT {v}) AS {count}) WHERE {{ {this} {path} {v} }}"
                f" GROUP BY {this} HAVING (COUNT(DISTINCT {v}) > {n}) }}",
                f"More than {n} values on {{focus}}->{shown}",
                None,
            )
        elif key == "datatype":
            yield (
                "Datatype",
                f"{this} {path} {value} FILTER(!isLiteral({value}) || DATATYPE({value}) != <{arg.value}>)",
                f"Value is not a literal of datatype {shorten(arg.value)}",
                None,
            )
        elif key == "languageIn":
            tags = [t.value for t in shapes.items(arg)]
            ok = " || ".join(f'LANGMATCHES(LANG({value}), "{t}")' for t in tags)
            yield (
                "LanguageIn",
                f'{this} {path} {value} FILTER(!isLiteral({value}) || LANG({value}) = "" || !({ok}))',
                f"Language is not in {tags}",
                None,
            )
        elif key == "class":
            for cls in shapes.values(ps, "class"):
                yield (
                    "Class",
                    f"{this} {path} {value} FILTER NOT EXISTS {{ {value} {_SUBCLASS} <{cls.value}> }}",
                    f"Value does not have class {shorten(cls.value)}",
                    None,
                )
        elif key == "node":
            for shape in shapes.values(ps, "node"):
                yield (
                    "Node",
                    f"{this} {path} {value} FILTER EXISTS {{ {_violates(shapes, shape, value)} }}",
                    f"Value does not conform to {_name(shapes, shape)}",
                    shape,
                )
        elif key == "in":
            allowed = ", ".join(str(term) for term in shapes.items(arg))
            yield "In", f"{this} {path} {value} FILTER({value} NOT IN ({allowed}))", "Value is not in the list", None
        elif key in ("or", "xone"):
            members = shapes.items(arg)
            conforming = " + ".join(f"IF(EXISTS {{ {_violates(shapes, m, value)} }}, 0, 1)" for m in members)
            yield (
                key.capitalize(),
                f"{this} {path} {value} FILTER(({conforming}) {'!= 1' if key == 'xone' else '= 0'})",
                f"Value does not conform to {'exactly one' if key == 'xone' else 'any'} of the shapes",
                None,
            )
        elif key == "hasValue":
            yield "HasValue", f"FILTER NOT EXISTS {{ {this} {path} {arg} }}", f"No value {arg} on {shown}", None
        elif key == "nodeKind":
            if arg.value != SH + "IRI":
                raise UsageError(f"schema/shapes.ttl: sh:nodeKind {shorten(arg.value)} cannot run on the engine")
            yield "NodeKind", f"{this} {path} {value} FILTER(!isIRI({value}))", "Value is not of Node Kind sh:IRI", None
        elif key == "equals":
            yield (
                "Equals",
                f"{{ {this} {path} {value} FILTER NOT EXISTS {{ {this} <{arg.value}> {value} }} }} UNION"
                f" {{ {this} <{arg.value}> {value} FILTER NOT EXISTS {{ {this} {path} {value} }} }}",
                f"Values of {shown} are not those of {shorten(arg.value)}",
                None,
            )
        elif key == "lessThanOrEquals":
            other = shapes.var()
            yield (
                "LessThanOrEquals",
                f"{this} {path} {value} ; <{arg.value}> {other} FILTER(!({value} <= {other}))",
                f"Value is not less than or equal to {shorten(arg.value)}",
                None,
            )
        elif key == "pattern":
            yield (
                "Pattern",
                f"{this} {path} {value} FILTER(isBlank({value}) || !REGEX(STR({value}), {ox.Literal(arg.value)}))",
                f"Value does not match the pattern {arg.value}",
                None,
            )
        elif key == "minLength":
            yield (
                "MinLength",
                f"{this} {path} {value} FILTER(isBlank({value}) || STRLEN(STR({value})) < {int(arg.value)})",
                f"Value is shorter than {arg.value} characters",
                None,
            )


def _node_checks(
    shapes: _Shapes, shape: Any, this: str, value: str = "?value"
) -> Iterator[tuple[str, str, str, str, Any, Any]]:
    """``(component, pattern, path, default message, shape holding the message, nested shape)`` of a node shape
    (or of a property shape, as a member of ``sh:or`` or ``sh:xone`` may be)."""
    if "path" in shapes.keys(shape):
        _, shown = _path(shapes, shape)
        for component, pattern, message, _nested in _value_checks(shapes, shape, this, value):
            yield component, pattern, shown, message, shape, None
        return
    for key in sorted(shapes.keys(shape)):
        if key not in _SUPPORTED_NODE:
            raise UsageError(f"schema/shapes.ttl: sh:{key} cannot run on the engine")
    for cls in shapes.values(shape, "class"):
        yield (
            "Class",
            f"BIND({this} AS {value}) FILTER NOT EXISTS {{ {this} {_SUBCLASS} <{cls.value}> }}",
            "",
            f"Value does not have class {shorten(cls.value)}",
            shape,
            None,
        )
    for other in shapes.values(shape, "node"):
        yield (
            "Node",
            f"BIND({this} AS {value}) FILTER EXISTS {{ {_violates(shapes, other, this)} }}",
            "",
            f"Value does not conform to {_name(shapes, other)}",
            shape,
            other,
        )
    for other in shapes.values(shape, "not"):
        yield (
            "Not",
            f"BIND({this} AS {value}) FILTER NOT EXISTS {{ {_violates(shapes, other, this)} }}",
            "",
            f"Value conforms to {_name(shapes, other)}, which it must not",
            shape,
            None,
        )
    for kind in ("xone", "or"):
        for head in shapes.values(shape, kind):
            members = shapes.items(head)
            conforming = " + ".join(f"IF(EXISTS {{ {_violates(shapes, m, this)} }}, 0, 1)" for m in members)
            test = "!= 1" if kind == "xone" else "= 0"
            yield (
                kind.capitalize(),
                f"BIND({this} AS {value}) FILTER(({conforming}) {test})",
                "",
                f"Value does not conform to {'exactly one' if kind == 'xone' else 'any'} of the shapes",
                shape,
                None,
            )
    for ps in shapes.values(shape, "property"):
        _, shown = _path(shapes, ps)
        for component, pattern, message, nested in _value_checks(shapes, ps, this, value):
            yield component, pattern, shown, message, ps, nested
    for constraint in shapes.values(shape, "sparql"):
        select = shapes.one(constraint, "select").value.replace("$this", this)
        binds_value = "?value" in select.split("WHERE", 1)[0]
        body = f"{{ {select} }}" + ("" if binds_value else f" BIND({this} AS {value})")
        yield "SPARQL", body, "", "SPARQL constraint", constraint, None


def _violates(shapes: _Shapes, shape: Any, this: str) -> str:
    """A graph pattern that matches when ``this`` does not conform to ``shape``."""
    parts = [f"{{ {check[1]} }}" for check in _node_checks(shapes, shape, this, shapes.var())]
    return " UNION ".join(parts) or "FILTER(false)"


def _name(shapes: _Shapes, shape: Any) -> str:
    """As pySHACL names a shape in its message (a blank one, shorter)."""
    if not isinstance(shape, ox.NamedNode):
        return "a nested shape. See details for more information."
    name = f"<{shape.value}>"
    for prefix, namespace in sorted(shapes.namespaces.items(), key=lambda p: -len(p[1])):
        if shape.value.startswith(namespace):
            name = f"{prefix}:{shape.value[len(namespace) :]}"
            break
    return f"Shape {name}. See details for more information."


def compile_shapes(path: str | Path) -> list[Check]:
    """Every constraint of the shapes at ``path`` with a target, as one query each; the
    constraints of a shape that ``sh:node`` names are checked on the nodes it applies to as
    well, so that their violations are reported as pySHACL reports them (its details)."""
    shapes = _Shapes(Path(path))
    prologue = shapes.prefixes()
    checks: list[Check] = []
    targeted = {q.subject for q in shapes.g.quads_for_pattern(None, ox.NamedNode(SH + "targetClass"), None)}
    for shape in sorted(targeted, key=str):
        classes = " ".join(f"<{c.value}>" for c in shapes.values(shape, "targetClass"))
        _compile(shapes, shape, f"VALUES ?kgTarget {{ {classes} }} ?this {_SUBCLASS} ?kgTarget .", prologue, checks)
    return checks


def _compile(shapes: _Shapes, shape: Any, target: str, prologue: str, checks: list[Check]) -> None:
    """The checks of ``shape`` on the nodes ``target`` binds to ``?this``."""
    for component, pattern, shown, default, holder, nested in _node_checks(shapes, shape, "?this"):
        message = shapes.one(holder, "message")
        query = f"{prologue}SELECT DISTINCT ?this ?value WHERE {{ {target} {pattern} }}"
        checks.append(Check(query, shown, component, message.value if message is not None else default))
        if nested is not None:  # the nodes that fail it: ?this itself, or its values
            outer = shapes.var()
            renamed = target.replace("?this", outer)
            step = f"{outer} {_path(shapes, holder)[0]} ?this ." if shown else f"BIND({outer} AS ?this)"
            inner = f"{{ SELECT DISTINCT ?this WHERE {{ {renamed} {step} }} }}"
            _compile(shapes, nested, inner, prologue, checks)


def violations(graph: Any, checks: list[Check]) -> list[dict[str, str]]:
    """``{"focus", "path", "message"}`` of every violation, sorted, as
    :func:`kg.curate.validate.check_shacl` reports them."""
    found = set()
    for check in checks:
        for focus, value in graph.query(check.query).rows:  # one violation per focus and value
            name = shorten(focus.value) if isinstance(focus, ox.NamedNode) else str(focus)
            message = check.message.replace("{focus}", str(focus))
            found.add((name, check.path, message, check.component, str(value)))
    return [{"focus": f, "path": p, "message": m} for f, p, m, _, _ in sorted(found)]
