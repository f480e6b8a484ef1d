"""The SHACL shapes of CONTRACT.md as SPARQL queries that the graph's own engine runs.

pySHACL re-parses every SPARQL constraint for every focus node and needs the whole graph in
rdflib: 4 s on the bundled graph, and out of reach for a store of a million events. The
shapes of schema/shapes.ttl use a small part of SHACL (targets by class; ``sh:property``
with a predicate or inverse path; ``minCount``, ``maxCount``, ``datatype``, ``languageIn``,
``class``, ``node``, ``hasValue``, ``nodeKind``, ``equals``, ``lessThanOrEquals``,
``pattern``, ``minLength``, ``in``, ``or``, ``xone``; ``sh:class``, ``sh:node``, ``sh:not``,
``sh:xone``, ``sh:or`` on nodes; and SPARQL-based constraints). A shape using any other
feature is refused rather than silently skipped. tests/test_backends.py checks the violations
against pySHACL's on planted mistakes.

Each constraint is checked a set at a time, so that a store of a million events costs a few
passes over its indexes rather than a lookup per constraint per node: a missing value is a
``MINUS`` (a hash anti-join) of the targets and the predicate's triples; a count is one
``GROUP BY`` over the predicate; a class is a ``MINUS`` of the class's instances, its
subclasses given as a ``VALUES`` list. The constraints of one shape that look at its values
alone are one ``UNION``, joined to the shape's targets once. ``sh:node`` is checked on the
values it applies to, with the node that reached each value, and its violations make the
outer node's in Python (as pySHACL reports them, with details).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.curate.shacl_shapes import (
    NODE_KEYS,
    PROPERTY_KEYS,
    Shapes,
    component_message,
    is_instance,
    max_count,
    min_count,
    property_pattern,
    value_test,
    violates,
)
from kg.namespaces import RDFS, SH, shorten

#: A shape's focus nodes are tested one at a time when they are this many times fewer than the
#: largest shape's.
_FEW = 10


@dataclass(frozen=True)
class Constraint:
    """One constraint as the report names it."""

    component: str
    path: str
    message: str


@dataclass
class Group:
    """The constraints of one shape on one set of focus nodes: the instances of ``targets``,
    or for a shape that ``sh:node`` names, the nodes that ``steps`` (``(ancestor, path)``) lead
    to from them, reported with those ancestors."""

    targets: tuple[str, ...]
    steps: tuple[tuple[str, str], ...] = ()
    constraints: list[Constraint] = field(default_factory=list)
    #: ``(constraint, pattern)``: violations found from the predicate alone (``None``: the
    #: pattern binds ``?kgCheck``), then kept if their node is a focus node.
    scans: list[tuple[int | None, str]] = field(default_factory=list)
    #: ``(constraint, pattern)``: violations found by extending the focus (a missing value).
    focused: list[tuple[int, str]] = field(default_factory=list)
    #: ``(constraint, pattern)``: violations of the bound node ``?this``, for few focus nodes.
    per_node: list[tuple[int, str]] = field(default_factory=list)
    #: ``(group, its Node constraint, whether a path leads from it)`` for a nested shape.
    parent: tuple[int, int, bool] | None = None

    @property
    def ancestors(self) -> tuple[str, ...]:
        return tuple(var for var, _ in self.steps)

    def add(self, component: str, path: str, message: str) -> int:
        self.constraints.append(Constraint(component, path, message))
        return len(self.constraints) - 1

    def _chain(self) -> str:
        nodes = [*self.ancestors, "?this"]
        return " ".join(_triple(nodes[i], path, nodes[i + 1]) for i, (_, path) in enumerate(self.steps))

    def focus(self) -> str:
        """A pattern binding every focus node (and its ancestors)."""
        root = self.steps[0][0] if self.steps else "?this"
        classes = " ".join(f"@@{c}@@" for c in self.targets)
        return f"VALUES ?kgTarget {{ {classes} }} {root} a ?kgTarget . {self._chain()}"

    def member(self) -> str:
        """Keeps the rows whose ``?this`` is a focus node (binding its ancestors), by looking
        each one up: a join would pass over every focus node even when no row was found. The
        test comes from an ``OPTIONAL``, which Oxigraph cannot push into the rows' subquery
        (a ``FILTER`` it would, and test every triple the subquery reads)."""
        if not self.steps:
            classes = ", ".join(f"@@in {c}@@" for c in self.targets)
            return f"OPTIONAL {{ ?this a ?kgType FILTER(?kgType IN ({classes})) }} FILTER(BOUND(?kgType))"
        root = self.steps[0][0]  # a variable type in the chain would make Oxigraph read every chain
        classes = " || ".join(f"@@{root} a {c}@@" for c in self.targets)
        return f"OPTIONAL {{ {self._chain()} }} FILTER(BOUND({root}) && ({classes}))"

    def queries(self, prologue: str, per_node: bool = False) -> Iterator[tuple[str, int | None]]:
        """``(query, constraint)``; ``None`` for a union, whose ``?kgCheck`` says which. With
        ``per_node``, one query tests each focus node in turn (Oxigraph looks its values up)."""
        columns = " ".join(("?this", "?value", *self.ancestors))
        if per_node:
            if self.per_node:
                focus = self.focus()
                union = " UNION ".join(f"{{ {focus} {p} BIND({i} AS ?kgCheck) }}" for i, p in self.per_node)
                yield f"{prologue}SELECT DISTINCT ?kgCheck {columns} WHERE {{ {union} }}", None
            return
        for i, p in self.scans:  # each alone: Oxigraph plans a union of them worse than its parts
            check = "?kgCheck" if i is None else f"({i} AS ?kgCheck)"
            found = f"{{ SELECT {check} ?this ?value WHERE {{ {p} }} }}"  # kept whole, the lookups after
            yield f"{prologue}SELECT DISTINCT ?kgCheck {columns} WHERE {{ {found} {self.member()} }}", None
        for i, p in self.focused:
            if not self.steps:
                yield f"{prologue}SELECT DISTINCT {columns} WHERE {{ {self.focus()} {p} }}", i
                continue
            # A nested shape: the nodes the last step reaches, then the lookups for the few found.
            reached = f"{{ SELECT DISTINCT ?this WHERE {{ {_triple('?kgFrom', self.steps[-1][1], '?this')} }} }}"
            found = f"{{ SELECT ({i} AS ?kgCheck) ?this ?value WHERE {{ {reached} {p} }} }}"
            yield f"{prologue}SELECT DISTINCT ?kgCheck {columns} WHERE {{ {found} {self.member()} }}", None


@dataclass
class Plan:
    """Every shape with a target, as :class:`Group` s of queries."""

    prologue: str
    groups: list[Group]

    def classes(self) -> set[str]:
        """The classes whose subclasses the queries need."""
        queries = [q for g in self.groups for per_node in (False, True) for q, _ in g.queries("", per_node)]
        return {c for q in queries for c in re.findall(r"@@(?:in |\?\w+ a )?([^@]+)@@", q)}


def _triple(this: str, path: str, value: str) -> str:
    """A triple pattern for a predicate or inverse path (Oxigraph scans either from its index)."""
    return f"{value} {path[1:]} {this} ." if path.startswith("^") else f"{this} {path} {value} ."


def _message(shapes: Shapes, holder: Any, key: str, arg: Any, shown: str) -> str:
    message = shapes.one(holder, "message")
    return message.value if message is not None else component_message(key, arg, shown, shapes)


def _property(shapes: Shapes, ps: Any, group: Group, index: int, groups: list[Group]) -> None:
    """Add the constraints of the property shape ``ps`` to ``group`` (``groups[index]``)."""
    path, shown = shapes.path(ps)
    this, value = "?this", "?value"
    tests: list[tuple[int, str]] = []
    for key in shapes.checked_keys(ps, PROPERTY_KEYS):
        for arg in shapes.values(ps, key):
            if key == "minCount" and min_count(arg) == 0:
                continue
            i = group.add(key[0].upper() + key[1:], shown, _message(shapes, ps, key, arg, shown))
            if key != "node":
                group.per_node.append((i, str(property_pattern(shapes, key, arg, this, path, value))))
            v, w = shapes.var(), shapes.var()
            if key == "minCount":
                group.focused.append((i, f"MINUS {{ {_triple(this, path, v)} }}"))
            elif key == "hasValue":
                group.focused.append((i, f"MINUS {{ {_triple(this, path, str(arg))} }}"))
            elif key == "maxCount":
                group.scans.append((i, max_count(this, _triple(this, path, v), int(arg.value), v)))
            elif key == "class":
                found = _triple(this, path, value)
                group.scans.append((i, f"{found} MINUS {{ {is_instance(value, arg.value, shapes)} }}"))
            elif key == "node":
                nested = Group(group.targets, (*group.steps, (shapes.var(), path)), parent=(index, i, True))
                _node(shapes, arg, nested, groups)
            elif key == "equals":
                own, other = _triple(this, path, value), f"{this} <{arg.value}> {value} ."
                group.scans.append((i, f"{{ {own} MINUS {{ {other} }} }} UNION {{ {other} MINUS {{ {own} }} }}"))
            elif key == "lessThanOrEquals":  # two subqueries: Oxigraph joins them by hashing
                own, other = _triple(this, path, value), f"{this} <{arg.value}> {w} ."
                pair = f"{{ SELECT * WHERE {{ {own} }} }} {{ SELECT * WHERE {{ {other} }} }}"
                group.scans.append((i, f"{pair} FILTER(!({value} <= {w}))"))
            else:
                tests.append((i, value_test(key, arg, value, shapes)))
    if tests:  # one pass over the values for every test on them
        anyone = " || ".join(f"({t})" for _, t in tests)
        which = " || ".join(f"(?kgCheck = {i} && ({t}))" for i, t in tests)
        checks = " ".join(str(i) for i, _ in tests)
        found = f"{{ SELECT ?this ?value WHERE {{ {_triple(this, path, value)} FILTER({anyone}) }} }}"
        group.scans.append((None, f"{found} VALUES ?kgCheck {{ {checks} }} FILTER({which})"))


def _node(shapes: Shapes, shape: Any, group: Group, groups: list[Group]) -> None:
    """Add ``group`` with the constraints of ``shape`` (and the groups of the shapes it nests)."""
    groups.append(group)
    index = len(groups) - 1
    if "path" in shapes.keys(shape):  # a property shape named by sh:node
        _property(shapes, shape, group, index, groups)
        return
    itself = "BIND(?this AS ?value)"
    for key in shapes.checked_keys(shape, NODE_KEYS):
        for arg in shapes.values(shape, key):
            if key in ("targetClass", "declare"):
                continue
            if key == "property":
                _property(shapes, arg, group, index, groups)
                continue
            holder = arg if key == "sparql" else shape
            component = "SPARQL" if key == "sparql" else key[0].upper() + key[1:]
            i = group.add(component, "", _message(shapes, holder, key, arg, ""))
            if key == "class":
                instance = is_instance("?this", arg.value, shapes)
                group.focused.append((i, f"MINUS {{ {instance} }} {itself}"))
                group.per_node.append((i, f"FILTER NOT EXISTS {{ {instance} }} {itself}"))
            elif key == "node":
                _node(shapes, arg, Group(group.targets, group.steps, parent=(index, i, False)), groups)
            elif key == "not":
                group.focused.append((i, f"FILTER NOT EXISTS {{ {violates(shapes, arg, '?this')} }} {itself}"))
                group.per_node.append(group.focused[-1])
            elif key in ("xone", "or"):
                group.focused.append((i, f"FILTER({value_test(key, arg, '?this', shapes)}) {itself}"))
                group.per_node.append(group.focused[-1])
            elif key == "sparql":
                select = shapes.sparql_select(arg, "?this")
                group.scans.append((i, select))
                group.per_node.append((i, select))


def compile_shapes(path: str | Path) -> Plan:
    """Every shape of the file at ``path`` that has a target, as queries."""
    shapes = Shapes(Path(path))
    groups: list[Group] = []
    targeted = {q.subject for q in shapes.g.quads_for_pattern(None, ox.NamedNode(SH + "targetClass"), None)}
    for shape in sorted(targeted, key=str):
        classes = tuple(c.value for c in shapes.values(shape, "targetClass"))
        _node(shapes, shape, Group(classes), groups)
    return Plan(shapes.prefixes(), groups)


def _subclasses(graph: Any, cls: str) -> str:
    """``cls`` and its subclasses in the graph, as the terms of a ``VALUES`` list."""
    query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>+ <{cls}> FILTER(isIRI(?c)) }}"
    return " ".join(sorted({f"<{cls}>"} | {f"<{row[0].value}>" for row in graph.query(query).rows}))


def _per_node(graph: Any, plan: Plan, fill: Callable[[str], str]) -> list[bool]:
    """For each group, whether to test its focus nodes one at a time: when they are few beside
    the largest shape's (actors and sources beside a million events), looking their values up
    is cheaper than passing over every triple of a predicate that the events use too."""
    counts = {
        i: int(graph.query(fill(f"{plan.prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {g.focus()} }}")).rows[0][0].value)
        for i, g in enumerate(plan.groups)
        if g.parent is None
    }
    largest = max(counts.values(), default=0)
    modes: list[bool] = []
    for i, group in enumerate(plan.groups):  # a nested shape goes as the shape nesting it
        modes.append(counts[i] * _FEW <= largest if group.parent is None else modes[group.parent[0]])
    return modes


class Violations(list[dict[str, str]]):
    """The violations listed, and ``total``: how many were found in all (beyond a limit on the
    listed ones, counted by the engine)."""

    def __init__(self, listed: list[dict[str, str]], total: int):
        super().__init__(listed)
        self.total = total


def violations(graph: Any, plan: Plan, per_node: bool | None = None, limit: int | None = None) -> Violations:
    """``{"focus", "path", "message"}`` of every violation (one per focus and value), sorted, as
    :func:`kg.curate.validate.check_shacl` reports them. ``per_node`` forces one way of running
    the checks for every shape (the tests run both); by default the focus nodes' number decides.
    With ``limit``, each query lists at most that many and the engine counts the rest, and the
    first ``limit`` violations are kept: memory stays bounded however many there are."""
    closure = {cls: _subclasses(graph, cls) for cls in sorted(plan.classes())}

    def fill(query: str) -> str:
        def exists(m: re.Match) -> str:
            return " || ".join(f"EXISTS {{ {m.group(1)} a {c} }}" for c in closure[m.group(2)].split())

        query = re.sub(r"@@(\?\w+) a ([^@]+)@@", exists, query)
        query = re.sub(r"@@in ([^@]+)@@", lambda m: ", ".join(closure[m.group(1)].split()), query)
        return re.sub(r"@@([^@]+)@@", lambda m: closure[m.group(1)], query)

    def rows(query: str) -> tuple[list[tuple[Any, ...]], int]:
        """The rows of ``query`` (at most ``limit``) and the number of those left out."""
        if limit is None:
            return graph.query(query).rows, 0
        listed = graph.query(f"{query} LIMIT {limit}").rows
        if len(listed) < limit:
            return listed, 0
        count = f"{plan.prologue}SELECT (COUNT(*) AS ?kgN) WHERE {{ {query[len(plan.prologue) :]} }}"
        return listed, int(graph.query(count).rows[0][0].value) - len(listed)

    modes = _per_node(graph, plan, fill) if per_node is None else [per_node] * len(plan.groups)
    nested: dict[int, set[tuple[int, Any, Any, tuple[Any, ...]]]] = defaultdict(set)
    unlisted = [0] * len(plan.groups)  # violations of each group beyond the limit
    found: set[tuple[str, str, str, str, int]] = set()  # the value's hash: a million labels need not be kept

    def report(group: Group, check: int, focus: Any, value: Any, ancestors: tuple[Any, ...]) -> None:
        c = group.constraints[check]
        name = sys.intern(shorten(focus.value) if isinstance(focus, ox.NamedNode) else str(focus))  # held once
        found.add((name, c.path, c.message.replace("{focus}", str(focus)), c.component, hash(str(value))))
        if group.parent is not None:  # the violation of a nested shape makes the nesting shape's
            outer, node, through_path = group.parent
            if through_path:
                nested[outer].add((node, ancestors[-1], focus, ancestors[:-1]))
            else:
                nested[outer].add((node, focus, focus, ancestors))

    for index in reversed(range(len(plan.groups))):  # a nested shape before the shape nesting it
        group = plan.groups[index]
        for query, check in group.queries(plan.prologue, modes[index]):
            listed, left_out = rows(fill(query))
            unlisted[index] += left_out
            for row in listed:
                if check is None:
                    report(group, int(row[0].value), row[1], row[2], tuple(row[3:]))
                else:
                    report(group, check, row[0], row[1], tuple(row[2:]))
        for check, focus, value, ancestors in nested.pop(index, ()):
            report(group, check, focus, value, ancestors)
        if group.parent is not None:  # a nested violation left out makes one of the nesting shape's
            unlisted[group.parent[0]] += unlisted[index]
    total = len(found) + sum(unlisted)
    ordered = sorted(found, reverse=True)
    found.clear()
    out: list[dict[str, str]] = []
    while ordered and (limit is None or len(out) < limit):  # each tuple freed as its dict is made
        f, p, m, _, _ = ordered.pop()
        out.append({"focus": f, "path": p, "message": m})
    return Violations(out, total)
