"""The RDF terms the build writes: the IRI of a record, the graphs, the schema.org classes a
curator may choose, and literals made one way (English text with its spaces folded, days).
"""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox

from kg.namespaces import GRAPH_DATA, ID, RDF, RDFS, SCHEMA, XSD

#: The named graph of the data.
DATA = ox.NamedNode(GRAPH_DATA)
#: The property of each relation between events a curator writes (``hk:causedBy``...).
RELATION_PROPERTIES = {
    "caused_by": "causedBy",
    "motivated_by": "motivatedBy",
    "responds_to": "respondsTo",
    "follows": "follows",
}
#: Extra schema.org classes a curator may give an organisation or a source.
ORGANISATION_CLASSES = {
    "GovernmentOrganization",
    "NGO",
    "Corporation",
    "PoliticalParty",
    "NewsMediaOrganization",
    "EducationalOrganization",
    "WorkersUnion",
    "ResearchOrganization",
    "Project",
}
SOURCE_CLASSES = {
    "CreativeWork",
    "Dataset",
    "Article",
    "NewsArticle",
    "OpinionNewsArticle",
    "AnalysisNewsArticle",
    "WebPage",
    "BlogPosting",
    "Report",
    "Legislation",
    "Book",
}


def iri(kind: str, rid: str) -> ox.NamedNode:
    """The IRI of a record: ``iri("actor", "li-zhanshu")``."""
    return ox.NamedNode(f"{ID}{kind}/{rid}")


def n(ns: str, local: str) -> ox.NamedNode:
    """``n(SCHEMA, "Person")``: a term of a vocabulary."""
    return ox.NamedNode(ns + local)


A = n(RDF, "type")
LABEL = n(RDFS, "label")
NAME = n(SCHEMA, "name")


def en(text: str) -> ox.Literal:
    """English text, its runs of white space folded to one space."""
    return ox.Literal(" ".join(str(text).split()), language="en")


def day(d: date) -> ox.Literal:
    """An ``xsd:date``."""
    return ox.Literal(d.isoformat(), datatype=n(XSD, "date"))
