"""Bounds on what a data file may hold, checked while it is read (:func:`kg.curate.yaml_read.read_yaml`).

YAML aliases let 1 KB name a billion values ("billion laughs"), deep nesting exhausts the
stack, and escapes put control characters into text that then breaks every XML export and
terminal: none of these belongs in curated data.
"""

from __future__ import annotations

import re
from typing import Any

#: Characters that no data text holds: C0 controls but tab and newlines, DEL, C1 controls,
#: lone surrogates and the non-characters XML refuses (they would break every XML export).
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: Bounds of a data file: its size, the nodes its aliases may expand to, its nesting.
MAX_YAML_BYTES = 16 << 20
MAX_YAML_NODES = 1_000_000
MAX_YAML_DEPTH = 64


def _children(value: list[Any]) -> Any:
    for item in value:  # a sequence's nodes, or a mapping's (key, value) pairs
        yield from item if isinstance(item, tuple) else (item,)


def expanded_size(root: Any) -> tuple[int, int]:
    """(nodes, depth) of a composed YAML document with every alias expanded, computed without
    expanding: a "billion laughs" of aliases is measured, not built. Iterative, so a deep
    document does not exhaust the stack."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = [] if isinstance(node.value, str) else list(_children(node.value))
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            depths[id(node)] = 1 + max((depths[id(c)] for c in children), default=0)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)], depths[id(root)]
