"""The quotes a node rests on: the one query that reads evidence (CONTRACT.md, "Evidence").

Every reader of quotes (``kg show``, the views, the TimelineJS export, the site's pages) asks
for the nodes it shows, in batches bound by ``VALUES``, so that the engine starts from those
nodes' index entries and never reads the quotes of the whole graph.

>>> import kg
>>> found = quotes(kg.load(), ["https://w3id.org/hk-timeline-kg/id/actor/amnesty-international"])
>>> found["https://w3id.org/hk-timeline-kg/id/actor/amnesty-international"][0].exact != ""
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import pyoxigraph as ox

if TYPE_CHECKING:
    from kg.backends import Backend

_QUOTES = """
SELECT DISTINCT ?node ?exact ?source WHERE {
  VALUES ?node { %s }
  ?ann oa:hasBody ?node ; oa:hasTarget ?t . ?t oa:hasSource ?source ; oa:hasSelector/oa:exact ?exact .
}
"""
# The titles, once per source: an OPTIONAL in the query above read one per quote (a third of
# its time for the 4,000 quotes of a week on a million events).
_TITLES = "SELECT ?source ?title WHERE { VALUES ?source { %s } ?source dcterms:title ?title }"
BATCH = 2000


class Quote(NamedTuple):
    """A verbatim quote, the source it is taken from (IRI) and that source's title."""

    exact: str
    source: str
    title: str | None


def quotes(graph: Backend, nodes: Iterable[str]) -> dict[str, list[Quote]]:
    """The quotes whose annotation has each of ``nodes`` (IRIs) as body, sorted by source and
    text; nodes without a quote are left out."""

    def rows(query: str, iris: Iterable[str]) -> list[dict]:
        ordered = sorted(set(iris))
        return [
            row
            for i in range(0, len(ordered), BATCH)
            for row in graph.select(query % " ".join(str(ox.NamedNode(n)) for n in ordered[i : i + BATCH]))
        ]

    texts = rows(_QUOTES, nodes)
    titles: dict[str, list[str | None]] = {}
    for row in rows(_TITLES, {r["source"] for r in texts if not r["source"].startswith("_:")}):
        titles.setdefault(row["source"], []).append(row["title"])
    found: dict[str, list[Quote]] = {}
    for row in texts:
        for title in titles.get(row["source"]) or [None]:
            found.setdefault(row["node"], []).append(Quote(row["exact"], row["source"], title))
    return {node: sorted(set(qs), key=lambda q: (q.source, q.exact)) for node, qs in found.items()}
