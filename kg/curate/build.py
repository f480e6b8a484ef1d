"""Turn checked records (:mod:`kg.curate.records`) into RDF quads that hold to CONTRACT.md.

Every resource gets an IRI (no blank nodes), so exports are stable from one run to the next.
The ontology goes into one named graph and the data into another; queries see their union.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from kg.curate import dates
from kg.curate.records import RELATIONS, Dataset, Mapping
from kg.errors import DataError
from kg.namespaces import (
    DCTERMS,
    EDTF_DATATYPE,
    EVENT_TYPE,
    GRAPH_DATA,
    GRAPH_ONTOLOGY,
    HK,
    ID,
    OA,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEM,
    SKOS,
    WGS84,
    XSD,
)

_DATA = ox.NamedNode(GRAPH_DATA)
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
_ONTOLOGY = ox.NamedNode(GRAPH_ONTOLOGY)
_RELATION_PROPERTIES = {
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


def _n(ns: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(ns + local)


A = _n(RDF, "type")
LABEL = _n(RDFS, "label")
NAME = _n(SCHEMA, "name")


def _en(text: str) -> ox.Literal:
    return ox.Literal(" ".join(str(text).split()), language="en")


def _date(d) -> ox.Literal:
    return ox.Literal(d.isoformat(), datatype=_n(XSD, "date"))


class Builder:
    """Collects the triples of records (see :func:`build_quads`; :mod:`kg.curate.importer` reuses it row by row)."""

    def __init__(self, dataset: Dataset, event_types: set[str]):
        self.ds = dataset
        self.event_types = event_types
        self.triples: list[tuple] = []
        self.problems: list[str] = []

    def add(self, s, p, o) -> None:
        self.triples.append((s, p, o))

    def labels(self, node, rec: Mapping, label_key: str = "label") -> None:
        self.add(node, LABEL, _en(rec[label_key]))
        self.add(node, NAME, _en(rec[label_key]))
        for alt in rec.get("alt_labels") or []:
            self.add(node, _n(SKOS, "altLabel"), _en(alt))
        if rec.get("description"):
            self.add(node, _n(RDFS, "comment"), _en(rec["description"]))

    def evidence(self, body, items: Iterable[Mapping]) -> None:
        """One oa:Annotation per quote, and prov:wasDerivedFrom its source."""
        for item in items or []:
            source = iri("source", item["source"])
            quote = str(item["quote"])
            key = hashlib.sha1(f"{body.value}\n{item['source']}\n{quote}".encode()).hexdigest()[:16]
            ann = ox.NamedNode(f"{ID}annotation/{key}")
            target = ox.NamedNode(f"{ann.value}#target")
            selector = ox.NamedNode(f"{ann.value}#selector")
            self.add(ann, A, _n(OA, "Annotation"))
            self.add(ann, _n(OA, "motivatedBy"), _n(OA, "describing"))
            self.add(ann, _n(OA, "hasBody"), body)
            self.add(ann, _n(OA, "hasTarget"), target)
            self.add(target, A, _n(OA, "SpecificResource"))
            self.add(target, _n(OA, "hasSource"), source)
            self.add(target, _n(OA, "hasSelector"), selector)
            self.add(selector, A, _n(OA, "TextQuoteSelector"))
            self.add(selector, _n(OA, "exact"), ox.Literal(quote))
            self.add(body, _n(PROV, "wasDerivedFrom"), source)

    def dated(self, node, rec: Mapping, begin_prop: str = "startDate") -> None:
        if "date" not in rec:
            return
        b = dates.parse(str(rec["date"]))
        self.add(node, _n(HK, "edtf"), ox.Literal(b.edtf, datatype=ox.NamedNode(EDTF_DATATYPE)))
        self.add(node, _n(HK, "datePrecision"), ox.Literal(b.precision))
        self.add(node, _n(SEM, "hasEarliestBeginTimeStamp"), _date(b.earliest_begin))
        self.add(node, _n(SEM, "hasLatestBeginTimeStamp"), _date(b.latest_begin))
        if b.earliest_end is not None:
            self.add(node, _n(SEM, "hasEarliestEndTimeStamp"), _date(b.earliest_end))
            self.add(node, _n(SEM, "hasLatestEndTimeStamp"), _date(b.latest_end))
        if b.begin_day:
            self.add(node, _n(SEM, "hasBeginTimeStamp"), _date(b.begin_day))
            self.add(node, _n(SCHEMA, begin_prop), _date(b.begin_day))
        if b.end_day and begin_prop == "startDate":
            self.add(node, _n(SEM, "hasEndTimeStamp"), _date(b.end_day))
            self.add(node, _n(SCHEMA, "endDate"), _date(b.end_day))
        if rec.get("date_note"):
            self.add(node, _n(HK, "dateNote"), _en(rec["date_note"]))
        for src in rec.get("date_sources") or []:
            self.add(node, _n(HK, "dateSource"), iri("source", src))

    # ------------------------------------------------------------------ kinds

    def source(self, rec: Mapping) -> None:
        node = iri("source", rec["id"])
        corpus = "file" in rec
        self.add(node, A, _n(PROV, "Entity"))
        self.add(node, A, _n(SCHEMA, "CreativeWork"))
        cls = rec.get("class", "CreativeWork")
        if cls not in SOURCE_CLASSES:
            self.problem(rec, "class", f"{cls!r} is not one of {', '.join(sorted(SOURCE_CLASSES))}")
        else:
            self.add(node, A, _n(SCHEMA, cls))
        self.add(node, A, _n(HK, "CorpusDocument" if corpus else "OutsideReference"))
        self.add(node, _n(HK, "inCorpus"), ox.Literal("true" if corpus else "false", datatype=_n(XSD, "boolean")))
        self.add(node, _n(DCTERMS, "title"), _en(rec["title"]))
        self.add(node, LABEL, _en(rec["title"]))
        if corpus:
            self.add(node, _n(HK, "fileName"), ox.Literal(rec["file"]))
            self.add(node, _n(HK, "sha256"), ox.Literal(rec["sha256"]))
        for key, prop in (("publisher", "publisher"), ("author", "author")):
            if rec.get(key):
                self.add(node, _n(SCHEMA, prop), iri("actor", rec[key]))
        if rec.get("publisher_name"):
            self.add(node, _n(HK, "publisherName"), ox.Literal(rec["publisher_name"]))
        for ref in rec.get("publisher_sources") or []:
            self.add(node, _n(HK, "publisherSource"), iri("source", ref))
        if rec.get("url"):
            self.add(node, _n(SCHEMA, "url"), ox.NamedNode(rec["url"]))
        if rec.get("note"):
            self.add(node, _n(RDFS, "comment"), _en(rec["note"]))
        self.dated(node, rec, begin_prop="datePublished")

    def place(self, rec: Mapping) -> None:
        node = iri("place", rec["id"])
        self.add(node, A, _n(SEM, "Place"))
        self.add(node, A, _n(SCHEMA, "Place"))
        self.labels(node, rec)
        if rec.get("contained_in"):
            self.add(node, _n(SCHEMA, "containedInPlace"), iri("place", rec["contained_in"]))
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
        self.add(node, _n(SCHEMA, "geo"), point)
        self.add(point, A, _n(SCHEMA, "GeoCoordinates"))
        for prop, wgs, value in (("latitude", "lat", lat), ("longitude", "long", lon)):
            degrees = ox.Literal(format(Decimal(str(value)), "f"), datatype=_n(XSD, "decimal"))
            self.add(point, _n(SCHEMA, prop), degrees)
            self.add(node, _n(WGS84, wgs), degrees)
        self.add(point, _n(PROV, "wasDerivedFrom"), iri("source", geo["reference"]))

    def actor(self, rec: Mapping) -> None:
        node = iri("actor", rec["id"])
        person = rec["kind"] == "person"
        if rec["kind"] == "unidentified":
            # the unnamed author of a text: an agent, not asserted to be a person or an organisation
            self.add(node, A, _n(HK, "UnidentifiedAuthor"))
            self.add(node, A, _n(PROV, "Agent"))
        else:
            self.add(node, A, _n(SEM, "Actor"))
            self.add(node, A, _n(SCHEMA, "Person" if person else "Organization"))
        for cls in rec.get("classes") or []:
            if cls not in ORGANISATION_CLASSES:
                self.problem(rec, "classes", f"{cls!r} is not one of {', '.join(sorted(ORGANISATION_CLASSES))}")
            else:
                self.add(node, A, _n(SCHEMA, cls))
        self.labels(node, rec)
        if rec.get("part_of"):
            self.add(node, _n(SCHEMA, "parentOrganization"), iri("actor", rec["part_of"]))
        if rec.get("location"):
            self.add(node, _n(SCHEMA, "location"), iri("place", rec["location"]))
        for same in rec.get("same_as") or []:
            try:
                self.add(node, _n(OWL, "sameAs"), ox.NamedNode(same))
            except ValueError as exc:
                self.problem(rec, "same_as", f"{same!r} is not an IRI ({exc})")
        for other in rec.get("other_names") or []:
            # a name the corpus does not give, confirmed by outside references (SKOS-XL label)
            literal = ox.Literal(other["name"], language=other["lang"])
            key = hashlib.sha1(f"{other['name']}@{other['lang']}".encode()).hexdigest()[:8]
            lnode = ox.NamedNode(f"{ID}name/{rec['id']}--{key}")
            self.add(node, _n(SKOS, "altLabel"), literal)
            self.add(node, _n(SKOSXL, "altLabel"), lnode)
            self.add(lnode, A, _n(SKOSXL, "Label"))
            self.add(lnode, _n(SKOSXL, "literalForm"), literal)
            for ref in other["sources"]:
                self.add(lnode, _n(DCTERMS, "source"), iri("source", ref))
        for post in rec.get("posts") or []:
            org = post["organisation"]
            org_rec = self.ds["actor"].get(org)
            if org_rec is None or org_rec.get("kind") != "organisation":
                self.problem(post, "organisation", f"{org!r} is not an organisation")
            title_key = hashlib.sha1(post["title"].encode()).hexdigest()[:8]
            pnode = ox.NamedNode(f"{ID}post/{rec['id']}--{org}--{title_key}")
            self.add(node, _n(SCHEMA, "memberOf"), iri("actor", org))
            self.add(node, _n(HK, "holdsPost"), pnode)
            self.add(pnode, A, _n(HK, "Post"))
            self.add(pnode, A, _n(SCHEMA, "OrganizationRole"))
            self.add(pnode, A, _n(SEM, "Role"))
            self.add(pnode, _n(HK, "postIn"), iri("actor", org))
            self.add(pnode, _n(SCHEMA, "roleName"), _en(post["title"]))
            holder = self.ds["actor"][rec["id"]]["label"]
            org_label = org_rec.get("label", org) if org_rec is not None else org
            self.add(pnode, LABEL, _en(f"{holder}, {post['title']}, {org_label}"))
            self.dated(pnode, post)
            if post.get("attested"):
                # a day (or span) on which a source shows the post held, not the term of office
                b = dates.parse(str(post["attested"]))
                self.add(pnode, _n(HK, "attestedEdtf"), ox.Literal(b.edtf, datatype=ox.NamedNode(EDTF_DATATYPE)))
                self.add(pnode, _n(HK, "attestedEarliest"), _date(b.earliest_begin))
                self.add(pnode, _n(HK, "attestedLatest"), _date(b.latest_end or b.latest_begin))
            if post.get("note"):
                self.add(pnode, _n(RDFS, "comment"), _en(post["note"]))
            self.evidence(pnode, post["evidence"])
        self.evidence(node, rec["evidence"])

    def law(self, rec: Mapping) -> None:
        node = iri("law", rec["id"])
        self.add(node, A, _n(SCHEMA, "Legislation"))
        self.add(node, A, _n(HK, "Law"))
        self.labels(node, rec)
        self.evidence(node, rec["evidence"])

    def event(self, rec: Mapping) -> None:
        node = iri("event", rec["id"])
        self.add(node, A, _n(SEM, "Event"))
        self.add(node, A, _n(SCHEMA, "Event"))
        self.labels(node, rec)
        if rec["type"] not in self.event_types:
            self.problem(
                rec, "type", f"unknown event type {rec['type']!r} (known: {', '.join(sorted(self.event_types))})"
            )
        self.add(node, _n(SEM, "eventType"), ox.NamedNode(EVENT_TYPE + rec["type"]))
        self.dated(node, rec)
        if rec.get("place"):
            self.add(node, _n(SEM, "hasPlace"), iri("place", rec["place"]))
            self.add(node, _n(SCHEMA, "location"), iri("place", rec["place"]))
        if rec.get("planned"):
            self.add(node, _n(HK, "planned"), ox.Literal("true", datatype=_n(XSD, "boolean")))
        for who in rec.get("according_to") or []:
            self.add(node, _n(HK, "accordingTo"), iri("actor", who))
        if rec.get("note"):
            self.add(node, _n(HK, "note"), _en(rec["note"]))
        for law in rec.get("laws") or []:
            self.add(node, _n(HK, "concernsLaw"), iri("law", law))
        for role in rec["actors"]:
            actor = iri("actor", role["actor"])
            self.add(node, _n(SEM, "hasActor"), actor)
            self.add(node, _n(HK, role["role"]), actor)
            if role.get("evidence"):
                self.role_statement(node, role["role"], actor, role["evidence"])
        for parent in rec.get("part_of") or []:
            self.add(node, _n(SEM, "subEventOf"), iri("event", parent))
        for key in RELATIONS:
            prop = _n(HK, _RELATION_PROPERTIES[key])
            for rel in rec.get(key) or []:
                other = iri("event", rel["event"])
                self.add(node, prop, other)
                rnode = self.relation(node, prop, other, rel["evidence"])
                for who in rel.get("according_to") or []:
                    self.add(rnode, _n(HK, "accordingTo"), iri("actor", who))
        self.evidence(node, rec["evidence"])

    def relation(self, s, p, o, evidence) -> ox.NamedNode:
        """A reified relation between two events that carries the evidence of one triple."""
        local = p.value.rsplit("/", 1)[-1]
        node = ox.NamedNode(f"{ID}relation/{s.value.rsplit('/', 1)[-1]}--{local}--{o.value.rsplit('/', 1)[-1]}")
        self.add(node, A, _n(HK, "EventRelation"))
        self.add(node, A, _n(RDF, "Statement"))
        self.add(node, _n(RDF, "subject"), s)
        self.add(node, _n(RDF, "predicate"), p)
        self.add(node, _n(RDF, "object"), o)
        self.evidence(node, evidence)
        return node

    def role_statement(self, event, role: str, actor, evidence) -> ox.NamedNode:
        """A SEM role node for an actor's role in an event, carrying the role's own evidence."""
        p = _n(HK, role)
        node = ox.NamedNode(f"{ID}role/{event.value.rsplit('/', 1)[-1]}--{role}--{actor.value.rsplit('/', 1)[-1]}")
        self.add(node, A, _n(HK, "RoleStatement"))
        self.add(node, A, _n(SEM, "Role"))
        self.add(node, A, _n(RDF, "Statement"))
        self.add(node, _n(RDF, "subject"), event)
        self.add(node, _n(RDF, "predicate"), p)
        self.add(node, _n(RDF, "object"), actor)
        self.add(node, _n(RDF, "value"), actor)
        self.add(node, _n(SEM, "roleType"), p)
        self.evidence(node, evidence)
        return node

    def claim(self, rec: Mapping) -> None:
        node = iri("claim", rec["id"])
        self.add(node, A, _n(HK, "Claim"))
        self.add(node, A, _n(SCHEMA, "Claim"))
        self.add(node, A, _n(PROV, "Entity"))
        self.add(node, LABEL, _en(rec["text"]))
        self.add(node, _n(SCHEMA, "text"), _en(rec["text"]))
        claimants = rec["claimant"] if isinstance(rec["claimant"], list) else [rec["claimant"]]
        for c in claimants:
            self.add(node, _n(SCHEMA, "author"), iri("actor", c))
            self.add(node, _n(PROV, "wasAttributedTo"), iri("actor", c))
        for about in rec.get("about") or []:
            kind = next(
                k for k in ("event", "actor", "place", "law", "claim", "source") if about in self.ds.records.get(k, {})
            )
            self.add(node, _n(SCHEMA, "about"), iri(kind, about))
        fig = rec.get("figure")
        if fig:
            value = fig["value"]
            dtype = "integer" if isinstance(value, int) else "decimal"
            self.add(node, _n(HK, "figureValue"), ox.Literal(str(value), datatype=_n(XSD, dtype)))
            if fig.get("qualifier"):
                self.add(node, _n(HK, "figureQualifier"), ox.Literal(fig["qualifier"]))
            if fig.get("unit"):
                self.add(node, _n(HK, "figureUnit"), ox.Literal(fig["unit"]))
        if rec.get("note"):
            self.add(node, _n(HK, "note"), _en(rec["note"]))
        self.evidence(node, rec["evidence"])

    def problem(self, rec: Mapping, key: str, what: str) -> None:
        self.problems.append(f"{rec.file}:{rec.line_of(key)}: field {key!r}: {what}")


def event_types(ontology: Iterable[ox.Quad]) -> set[str]:
    """Local ids of the event-type concepts declared in the ontology."""
    concept = _n(SKOS, "Concept")
    return {
        q.subject.value[len(EVENT_TYPE) :]
        for q in ontology
        if q.predicate == A
        and q.object == concept
        and isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith(EVENT_TYPE)
    }


def read_ontology(schema_dir: Path) -> list[ox.Quad]:
    """The quads of schema/ontology.ttl, in the ontology graph."""
    path = Path(schema_dir) / "ontology.ttl"
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise DataError([f"{path}: Turtle syntax error: {exc}"]) from None
    return [ox.Quad(t.subject, t.predicate, t.object, _ONTOLOGY) for t in triples]


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
        yield ox.Quad(s, p, o, _DATA)
