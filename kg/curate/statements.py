"""What every kind of record shares in RDF: labels, EDTF dates with their bounds, quotes as
Web Annotations (each with its source), and statements reified to carry their own evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

from kg.curate import dates
from kg.curate.records import Dataset, Mapping
from kg.curate.terms import LABEL, NAME, A, day, en, iri, n
from kg.namespaces import EDTF_DATATYPE, HK, ID, OA, PROV, RDF, RDFS, SCHEMA, SEM, SKOS


class Statements:
    """Collects triples and problems; writes what every kind of record shares (labels, dates,
    evidence, reified statements). :class:`kg.curate.build.Builder` adds each kind."""

    def __init__(self, dataset: Dataset, event_types: set[str]):
        self.ds = dataset
        self.event_types = event_types
        self.triples: list[tuple] = []
        self.problems: list[str] = []

    def add(self, s, p, o) -> None:
        self.triples.append((s, p, o))

    def labels(self, node, rec: Mapping, label_key: str = "label") -> None:
        self.add(node, LABEL, en(rec[label_key]))
        self.add(node, NAME, en(rec[label_key]))
        for alt in rec.get("alt_labels") or []:
            self.add(node, n(SKOS, "altLabel"), en(alt))
        if rec.get("description"):
            self.add(node, n(RDFS, "comment"), en(rec["description"]))

    def evidence(self, body, items: Iterable[Mapping]) -> None:
        """One oa:Annotation per quote, and prov:wasDerivedFrom its source."""
        for item in items or []:
            source = iri("source", item["source"])
            quote = str(item["quote"])
            key = hashlib.sha1(f"{body.value}\n{item['source']}\n{quote}".encode()).hexdigest()[:16]
            ann = ox.NamedNode(f"{ID}annotation/{key}")
            target = ox.NamedNode(f"{ann.value}#target")
            selector = ox.NamedNode(f"{ann.value}#selector")
            self.add(ann, A, n(OA, "Annotation"))
            self.add(ann, n(OA, "motivatedBy"), n(OA, "describing"))
            self.add(ann, n(OA, "hasBody"), body)
            self.add(ann, n(OA, "hasTarget"), target)
            self.add(target, A, n(OA, "SpecificResource"))
            self.add(target, n(OA, "hasSource"), source)
            self.add(target, n(OA, "hasSelector"), selector)
            self.add(selector, A, n(OA, "TextQuoteSelector"))
            self.add(selector, n(OA, "exact"), ox.Literal(quote))
            self.add(body, n(PROV, "wasDerivedFrom"), source)

    def dated(self, node, rec: Mapping, begin_prop: str = "startDate") -> None:
        if "date" not in rec:
            return
        b = dates.parse(str(rec["date"]))
        self.add(node, n(HK, "edtf"), ox.Literal(b.edtf, datatype=ox.NamedNode(EDTF_DATATYPE)))
        self.add(node, n(HK, "datePrecision"), ox.Literal(b.precision))
        self.add(node, n(SEM, "hasEarliestBeginTimeStamp"), day(b.earliest_begin))
        self.add(node, n(SEM, "hasLatestBeginTimeStamp"), day(b.latest_begin))
        if b.earliest_end is not None and b.latest_end is not None:  # an interval's end: both or neither
            self.add(node, n(SEM, "hasEarliestEndTimeStamp"), day(b.earliest_end))
            self.add(node, n(SEM, "hasLatestEndTimeStamp"), day(b.latest_end))
        if b.begin_day:
            self.add(node, n(SEM, "hasBeginTimeStamp"), day(b.begin_day))
            self.add(node, n(SCHEMA, begin_prop), day(b.begin_day))
        if b.end_day and begin_prop == "startDate":
            self.add(node, n(SEM, "hasEndTimeStamp"), day(b.end_day))
            self.add(node, n(SCHEMA, "endDate"), day(b.end_day))
        if rec.get("date_note"):
            self.add(node, n(HK, "dateNote"), en(rec["date_note"]))
        for src in rec.get("date_sources") or []:
            self.add(node, n(HK, "dateSource"), iri("source", src))

    def relation(self, s, p, o, evidence) -> ox.NamedNode:
        """A reified relation between two events that carries the evidence of one triple."""
        local = p.value.rsplit("/", 1)[-1]
        node = ox.NamedNode(f"{ID}relation/{s.value.rsplit('/', 1)[-1]}--{local}--{o.value.rsplit('/', 1)[-1]}")
        self.add(node, A, n(HK, "EventRelation"))
        self.add(node, A, n(RDF, "Statement"))
        self.add(node, n(RDF, "subject"), s)
        self.add(node, n(RDF, "predicate"), p)
        self.add(node, n(RDF, "object"), o)
        self.evidence(node, evidence)
        return node

    def role_statement(self, event, role: str, actor, evidence) -> ox.NamedNode:
        """A SEM role node for an actor's role in an event, carrying the role's own evidence."""
        p = n(HK, role)
        node = ox.NamedNode(f"{ID}role/{event.value.rsplit('/', 1)[-1]}--{role}--{actor.value.rsplit('/', 1)[-1]}")
        self.add(node, A, n(HK, "RoleStatement"))
        self.add(node, A, n(SEM, "Role"))
        self.add(node, A, n(RDF, "Statement"))
        self.add(node, n(RDF, "subject"), event)
        self.add(node, n(RDF, "predicate"), p)
        self.add(node, n(RDF, "object"), actor)
        self.add(node, n(RDF, "value"), actor)
        self.add(node, n(SEM, "roleType"), p)
        self.evidence(node, evidence)
        return node

    def problem(self, rec: Mapping, key: str, what: str) -> None:
        self.problems.append(f"{rec.file}:{rec.line_of(key)}: field {key!r}: {what}")
