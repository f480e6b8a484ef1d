"""Turn checked records (:mod:`kg.curate.records`) into RDF quads that hold to CONTRACT.md.

Every resource gets an IRI (no blank nodes), so exports are stable from one run to the next.
The ontology goes into one named graph and the data into another; queries see their union.
One method per kind of record here; what the kinds share (labels, dates, evidence, reified
statements) is in :mod:`kg.curate.statements`, the terms in :mod:`kg.curate.terms`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal

import pyoxigraph as ox

from kg.curate import dates
from kg.curate.records import RELATIONS, Dataset, Mapping
from kg.curate.statements import Statements
from kg.curate.terms import (
    DATA,
    LABEL,
    ORGANISATION_CLASSES,
    RELATION_PROPERTIES,
    SOURCE_CLASSES,
    A,
    day,
    en,
    iri,
    n,
)
from kg.errors import DataError
from kg.namespaces import (
    DCTERMS,
    EDTF_DATATYPE,
    EVENT_TYPE,
    HK,
    ID,
    OWL,
    PROV,
    RDFS,
    SCHEMA,
    SEM,
    SKOS,
    SKOSXL,
    WGS84,
    XSD,
)

__all__ = ["ORGANISATION_CLASSES", "SOURCE_CLASSES", "Builder", "build_quads", "event_types", "iri"]


class Builder(Statements):
    """Collects the triples of records, one method per kind (see :func:`build_quads`;
    :mod:`kg.curate.importer` reuses it row by row)."""

    def source(self, rec: Mapping) -> None:
        node = iri("source", rec["id"])
        corpus = "file" in rec
        self.add(node, A, n(PROV, "Entity"))
        self.add(node, A, n(SCHEMA, "CreativeWork"))
        cls = rec.get("class", "CreativeWork")
        if cls not in SOURCE_CLASSES:
            self.problem(rec, "class", f"{cls!r} is not one of {', '.join(sorted(SOURCE_CLASSES))}")
        else:
            self.add(node, A, n(SCHEMA, cls))
        self.add(node, A, n(HK, "CorpusDocument" if corpus else "OutsideReference"))
        self.add(node, n(HK, "inCorpus"), ox.Literal("true" if corpus else "false", datatype=n(XSD, "boolean")))
        self.add(node, n(DCTERMS, "title"), en(rec["title"]))
        self.add(node, LABEL, en(rec["title"]))
        if corpus:
            self.add(node, n(HK, "fileName"), ox.Literal(rec["file"]))
            self.add(node, n(HK, "sha256"), ox.Literal(rec["sha256"]))
        for key, prop in (("publisher", "publisher"), ("author", "author")):
            if rec.get(key):
                self.add(node, n(SCHEMA, prop), iri("actor", rec[key]))
        if rec.get("publisher_name"):
            self.add(node, n(HK, "publisherName"), ox.Literal(rec["publisher_name"]))
        for ref in rec.get("publisher_sources") or []:
            self.add(node, n(HK, "publisherSource"), iri("source", ref))
        if rec.get("url"):
            self.add(node, n(SCHEMA, "url"), ox.NamedNode(rec["url"]))
        if rec.get("note"):
            self.add(node, n(RDFS, "comment"), en(rec["note"]))
        self.dated(node, rec, begin_prop="datePublished")

    def place(self, rec: Mapping) -> None:
        node = iri("place", rec["id"])
        self.add(node, A, n(SEM, "Place"))
        self.add(node, A, n(SCHEMA, "Place"))
        self.labels(node, rec)
        if rec.get("contained_in"):
            self.add(node, n(SCHEMA, "containedInPlace"), iri("place", rec["contained_in"]))
        if rec.get("geo"):
            self.geo(node, rec["id"], rec["geo"])
        self.evidence(node, rec["evidence"])

    def geo(self, node, rid: str, geo: Mapping) -> None:
        """WGS 84 coordinates, as schema.org (``schema:geo``, a GeoCoordinates node derived from
        its source) and as W3C Basic Geo (``wgs84:lat``/``long`` on the place itself)."""
        lat, lon = geo["latitude"], geo["longitude"]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.problem(geo, "latitude", f"({lat}, {lon}) is not a WGS 84 latitude and longitude")
            return
        point = ox.NamedNode(f"{ID}geo/{rid}")
        self.add(node, n(SCHEMA, "geo"), point)
        self.add(point, A, n(SCHEMA, "GeoCoordinates"))
        for prop, wgs, value in (("latitude", "lat", lat), ("longitude", "long", lon)):
            degrees = ox.Literal(format(Decimal(str(value)), "f"), datatype=n(XSD, "decimal"))
            self.add(point, n(SCHEMA, prop), degrees)
            self.add(node, n(WGS84, wgs), degrees)
        self.add(point, n(PROV, "wasDerivedFrom"), iri("source", geo["reference"]))

    def actor(self, rec: Mapping) -> None:
        node = iri("actor", rec["id"])
        person = rec["kind"] == "person"
        if rec["kind"] == "unidentified":
            # the unnamed author of a text: an agent, not asserted to be a person or an organisation
            self.add(node, A, n(HK, "UnidentifiedAuthor"))
            self.add(node, A, n(PROV, "Agent"))
        else:
            self.add(node, A, n(SEM, "Actor"))
            self.add(node, A, n(SCHEMA, "Person" if person else "Organization"))
        for cls in rec.get("classes") or []:
            if cls not in ORGANISATION_CLASSES:
                self.problem(rec, "classes", f"{cls!r} is not one of {', '.join(sorted(ORGANISATION_CLASSES))}")
            else:
                self.add(node, A, n(SCHEMA, cls))
        self.labels(node, rec)
        if rec.get("part_of"):
            self.add(node, n(SCHEMA, "parentOrganization"), iri("actor", rec["part_of"]))
        if rec.get("location"):
            self.add(node, n(SCHEMA, "location"), iri("place", rec["location"]))
        for same in rec.get("same_as") or []:
            try:
                self.add(node, n(OWL, "sameAs"), ox.NamedNode(same))
            except ValueError as exc:
                self.problem(rec, "same_as", f"{same!r} is not an IRI ({exc})")
        for other in rec.get("other_names") or []:
            # a name the corpus does not give, confirmed by outside references (SKOS-XL label)
            literal = ox.Literal(other["name"], language=other["lang"])
            key = hashlib.sha1(f"{other['name']}@{other['lang']}".encode()).hexdigest()[:8]
            lnode = ox.NamedNode(f"{ID}name/{rec['id']}--{key}")
            self.add(node, n(SKOS, "altLabel"), literal)
            self.add(node, n(SKOSXL, "altLabel"), lnode)
            self.add(lnode, A, n(SKOSXL, "Label"))
            self.add(lnode, n(SKOSXL, "literalForm"), literal)
            for ref in other["sources"]:
                self.add(lnode, n(DCTERMS, "source"), iri("source", ref))
        for post in rec.get("posts") or []:
            org = post["organisation"]
            org_rec = self.ds["actor"].get(org)
            if org_rec is None or org_rec.get("kind") != "organisation":
                self.problem(post, "organisation", f"{org!r} is not an organisation")
            title_key = hashlib.sha1(post["title"].encode()).hexdigest()[:8]
            pnode = ox.NamedNode(f"{ID}post/{rec['id']}--{org}--{title_key}")
            self.add(node, n(SCHEMA, "memberOf"), iri("actor", org))
            self.add(node, n(HK, "holdsPost"), pnode)
            self.add(pnode, A, n(HK, "Post"))
            self.add(pnode, A, n(SCHEMA, "OrganizationRole"))
            self.add(pnode, A, n(SEM, "Role"))
            self.add(pnode, n(HK, "postIn"), iri("actor", org))
            self.add(pnode, n(SCHEMA, "roleName"), en(post["title"]))
            holder = self.ds["actor"][rec["id"]]["label"]
            org_label = org_rec.get("label", org) if org_rec is not None else org
            self.add(pnode, LABEL, en(f"{holder}, {post['title']}, {org_label}"))
            self.dated(pnode, post)
            if post.get("attested"):
                # a day (or span) on which a source shows the post held, not the term of office
                b = dates.parse(str(post["attested"]))
                self.add(pnode, n(HK, "attestedEdtf"), ox.Literal(b.edtf, datatype=ox.NamedNode(EDTF_DATATYPE)))
                self.add(pnode, n(HK, "attestedEarliest"), day(b.earliest_begin))
                self.add(pnode, n(HK, "attestedLatest"), day(b.latest_end or b.latest_begin))
            if post.get("note"):
                self.add(pnode, n(RDFS, "comment"), en(post["note"]))
            self.evidence(pnode, post["evidence"])
        self.evidence(node, rec["evidence"])

    def law(self, rec: Mapping) -> None:
        node = iri("law", rec["id"])
        self.add(node, A, n(SCHEMA, "Legislation"))
        self.add(node, A, n(HK, "Law"))
        self.labels(node, rec)
        self.evidence(node, rec["evidence"])

    def event(self, rec: Mapping) -> None:
        node = iri("event", rec["id"])
        self.add(node, A, n(SEM, "Event"))
        self.add(node, A, n(SCHEMA, "Event"))
        self.labels(node, rec)
        if rec["type"] not in self.event_types:
            self.problem(
                rec, "type", f"unknown event type {rec['type']!r} (known: {', '.join(sorted(self.event_types))})"
            )
        self.add(node, n(SEM, "eventType"), ox.NamedNode(EVENT_TYPE + rec["type"]))
        self.dated(node, rec)
        if rec.get("place"):
            self.add(node, n(SEM, "hasPlace"), iri("place", rec["place"]))
            self.add(node, n(SCHEMA, "location"), iri("place", rec["place"]))
        if rec.get("planned"):
            self.add(node, n(HK, "planned"), ox.Literal("true", datatype=n(XSD, "boolean")))
        for who in rec.get("according_to") or []:
            self.add(node, n(HK, "accordingTo"), iri("actor", who))
        if rec.get("note"):
            self.add(node, n(HK, "note"), en(rec["note"]))
        for law in rec.get("laws") or []:
            self.add(node, n(HK, "concernsLaw"), iri("law", law))
        for role in rec["actors"]:
            actor = iri("actor", role["actor"])
            self.add(node, n(SEM, "hasActor"), actor)
            self.add(node, n(HK, role["role"]), actor)
            if role.get("evidence"):
                self.role_statement(node, role["role"], actor, role["evidence"])
        for parent in rec.get("part_of") or []:
            self.add(node, n(SEM, "subEventOf"), iri("event", parent))
        for key in RELATIONS:
            prop = n(HK, RELATION_PROPERTIES[key])
            for rel in rec.get(key) or []:
                other = iri("event", rel["event"])
                self.add(node, prop, other)
                rnode = self.relation(node, prop, other, rel["evidence"])
                for who in rel.get("according_to") or []:
                    self.add(rnode, n(HK, "accordingTo"), iri("actor", who))
        self.evidence(node, rec["evidence"])

    def claim(self, rec: Mapping) -> None:
        node = iri("claim", rec["id"])
        self.add(node, A, n(HK, "Claim"))
        self.add(node, A, n(SCHEMA, "Claim"))
        self.add(node, A, n(PROV, "Entity"))
        self.add(node, LABEL, en(rec["text"]))
        self.add(node, n(SCHEMA, "text"), en(rec["text"]))
        claimants = rec["claimant"] if isinstance(rec["claimant"], list) else [rec["claimant"]]
        for c in claimants:
            self.add(node, n(SCHEMA, "author"), iri("actor", c))
            self.add(node, n(PROV, "wasAttributedTo"), iri("actor", c))
        for about in rec.get("about") or []:
            kind = next(
                k for k in ("event", "actor", "place", "law", "claim", "source") if about in self.ds.records.get(k, {})
            )
            self.add(node, n(SCHEMA, "about"), iri(kind, about))
        fig = rec.get("figure")
        if fig:
            value = fig["value"]
            dtype = "integer" if isinstance(value, int) else "decimal"
            self.add(node, n(HK, "figureValue"), ox.Literal(str(value), datatype=n(XSD, dtype)))
            if fig.get("qualifier"):
                self.add(node, n(HK, "figureQualifier"), ox.Literal(fig["qualifier"]))
            if fig.get("unit"):
                self.add(node, n(HK, "figureUnit"), ox.Literal(fig["unit"]))
        if rec.get("note"):
            self.add(node, n(HK, "note"), en(rec["note"]))
        self.evidence(node, rec["evidence"])


def event_types(ontology: Iterable[ox.Quad]) -> set[str]:
    """Local ids of the event-type concepts declared in the ontology."""
    concept = n(SKOS, "Concept")
    return {
        q.subject.value[len(EVENT_TYPE) :]
        for q in ontology
        if q.predicate == A
        and q.object == concept
        and isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith(EVENT_TYPE)
    }


def build_quads(dataset: Dataset, ontology: list[ox.Quad]) -> Iterator[ox.Quad]:
    """All quads of the graph: the ontology's, then the data's.

    Raises :class:`DataError` for what only shows when building (unknown event type...).
    """
    b = Builder(dataset, event_types(ontology))
    for kind in ("source", "place", "actor", "law", "event", "claim"):
        for rid in sorted(dataset[kind]):
            getattr(b, kind)(dataset[kind][rid])
    if b.problems:
        raise DataError(b.problems)
    yield from ontology
    for s, p, o in b.triples:
        yield ox.Quad(s, p, o, DATA)
