"""The graph as a network: a networkx projection of the RDF, and the measures researchers use.

:func:`project` turns the knowledge graph into a :class:`networkx.MultiDiGraph` of events,
actors and places (and sources, if asked): its nodes, edges and attributes are documented in
:mod:`kg.network.projection`. :func:`co_participation` gives the actor network (actors linked
when they take part in the same event, in the roles chosen; for a date range it reads the
participations alone, :mod:`kg.network.participation`) and :func:`bipartite` the
actor-event network it is made from (:mod:`kg.network.actors`). A whole graph's
:func:`stats` are counted from integer arrays (:mod:`kg.network.bulk`). The measures
(:func:`centrality`, :func:`components`, :func:`communities`, :func:`stats`,
:mod:`kg.network.measures`; :func:`path`, :mod:`kg.network.paths`; :func:`central_windows`
window by window, :mod:`kg.network.windows`) return plain data: lists of dicts that the CLI
prints as tables, CSV or JSON, and that :func:`to_dataframe` turns into pandas DataFrames
(``pip install hk-timeline-kg[analysis]``).

>>> import kg
>>> from kg.network import project
>>> G = project(kg.load())
>>> G.nodes["https://w3id.org/hk-timeline-kg/id/actor/li-zhanshu"]["kind"]
'person'
>>> letter = "https://w3id.org/hk-timeline-kg/id/event/open-letter-to-li-zhanshu"
>>> sorted({d["label"] for _, _, d in G.out_edges(letter, data=True)})
['addressee', 'responds to', 'signatory']
"""

from kg.network.actors import NO_ROLE, Roles, bipartite, co_participation, known_roles
from kg.network.measures import MEASURES, centrality, communities, components, stats, to_dataframe
from kg.network.paths import path, paths
from kg.network.projection import from_triples, project
from kg.network.reading import EDGE_ATTRIBUTES, KINDS, NODE_ATTRIBUTES
from kg.network.windows import Window, central_windows, windows

__all__ = [
    "EDGE_ATTRIBUTES",
    "KINDS",
    "MEASURES",
    "NODE_ATTRIBUTES",
    "NO_ROLE",
    "Roles",
    "Window",
    "bipartite",
    "central_windows",
    "centrality",
    "co_participation",
    "communities",
    "components",
    "from_triples",
    "known_roles",
    "path",
    "paths",
    "project",
    "stats",
    "to_dataframe",
    "windows",
]
