"""One palette for every output: the pages, their legends and ``kg timeline --plot``.

A class (event, person, organisation, place, source) has a fixed colour and shape. An event
type takes its colour from its place in the graph's event-type scheme (``hk:EventTypeScheme``
of the ontology, which every store carries), not from the types a figure happens to show, so
"open letter" is the same colour in every page and figure drawn from the same graph. A type
outside the scheme (other data) takes a colour from a hash of its name, stable across runs.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.backends import Backend

#: Category -> (legend label, colour, vis-network shape, legend glyph). Okabe-Ito colours.
CATEGORIES: dict[str, tuple[str, str, str, str]] = {
    "event": ("event", "#E69F00", "diamond", "\u25c6"),
    "person": ("person", "#0072B2", "dot", "\u25cf"),
    "organisation": ("organisation", "#009E73", "square", "\u25a0"),
    "place": ("place", "#CC79A7", "triangle", "\u25b2"),
    "source": ("source", "#7F7F7F", "triangleDown", "\u25bc"),
    "other": ("other", "#56B4E9", "dot", "\u25cf"),
}

#: Colours for event types: Paul Tol's bright, muted and dark schemes, then Okabe-Ito; distinct
#: for colour-blind readers in the first dozen, readable on white throughout.
TYPE_COLOURS = (
    "#4477AA",
    "#EE6677",
    "#228833",
    "#CCBB44",
    "#66CCEE",
    "#AA3377",
    "#332288",
    "#117733",
    "#44AA99",
    "#88CCEE",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#999933",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#222255",
    "#225555",
    "#666633",
    "#663333",
    "#994455",
    "#997700",
    "#6699CC",
    "#EE99AA",
)
#: The colour of an event without a type.
NO_TYPE = "#8C8C8C"

_SCHEME = """
SELECT ?label WHERE {
  ?t skos:inScheme <https://w3id.org/hk-timeline-kg/ns/EventTypeScheme> ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
}
"""


def scheme_types(graph: Backend) -> list[str]:
    """The labels of the graph's event-type scheme, sorted: the order colours are given in."""
    return sorted({str(r["label"]) for r in graph.select(_SCHEME)})


class Palette:
    """Colours of event types for one graph; ``palette["open letter"]`` -> ``"#AA3377"``."""

    def __init__(self, scheme: list[str] | tuple[str, ...] = ()):
        self.known = {t: TYPE_COLOURS[i % len(TYPE_COLOURS)] for i, t in enumerate(sorted(set(scheme)))}

    @classmethod
    def of(cls, graph: Backend) -> Palette:
        return cls(scheme_types(graph))

    def __getitem__(self, type_label: str | None) -> str:
        if not type_label or type_label == "no type":
            return NO_TYPE
        if type_label in self.known:
            return self.known[type_label]
        digest = hashlib.sha256(type_label.encode("utf-8")).digest()
        return TYPE_COLOURS[int.from_bytes(digest[:4], "big") % len(TYPE_COLOURS)]

    def types(self, labels: list[str] | set[str]) -> dict[str, str]:
        """``{label: colour}`` for ``labels``."""
        return {t: self[t] for t in sorted(labels)}
