"""IRIs of the project and of the standard vocabularies of CONTRACT.md, as plain strings.

Kept free of rdflib and pyoxigraph so that importing it costs nothing (``kg --help`` stays fast).
"""

from __future__ import annotations

BASE = "https://w3id.org/hk-timeline-kg/"
#: The project's own terms (schema/ontology.ttl declares the same IRI).
HK = BASE + "ns/"
#: The SKOS concept scheme of event types.
EVENT_TYPE = HK + "event-type/"
#: Resources of the curated data: ``ID + "event/<id>"`` and so on.
ID = BASE + "id/"
#: Named graphs of the TriG and N-Quads exports.
GRAPH_ONTOLOGY = BASE + "graph/ontology"
GRAPH_DATA = BASE + "graph/data"
#: Derived figures a store keeps in step with its data (see kg.backends.store.reindex).
GRAPH_INDEX = BASE + "graph/index"

SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
TIME = "http://www.w3.org/2006/time#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
#: SKOS-XL, for a name with its own sources (an actor's ``other_names``).
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
#: W3C Basic Geo (WGS84 lat/long) vocabulary.
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
EDTF_DATATYPE = "http://id.loc.gov/datatypes/edtf"

PREFIXES: dict[str, str] = {
    "hk": HK,
    "hkt": EVENT_TYPE,
    "sem": SEM,
    "schema": SCHEMA,
    "prov": PROV,
    "oa": OA,
    "dcterms": DCTERMS,
    "time": TIME,
    "skos": SKOS,
    "skosxl": SKOSXL,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "wgs84": WGS84,
}


def shorten(iri: str) -> str:
    """``https://schema.org/Person`` -> ``schema:Person``; data IRIs keep their local id.

    >>> shorten("https://w3id.org/hk-timeline-kg/id/actor/li-zhanshu")
    'actor/li-zhanshu'
    """
    if iri.startswith(ID):
        return iri[len(ID) :]
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return iri
