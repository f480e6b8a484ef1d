"""A seeded generator of synthetic event graphs shaped like CONTRACT.md, as N-Triples.

Events have 1-4 actors (with roles), an event type, an EDTF date over 15 years (mostly days,
some months, years and day ranges), a place, and a quote from one of the source documents.
``python benchmarks/synth.py 100000 out.nt`` writes a 100k-event graph; ``--blank-evidence``
writes each quote in CONTRACT.md's annotation shape (annotation, target and selector as blank
nodes), ``--plain-sem`` events as EventKG and plain SEM publish them (``sem:hasTimeStamp``
only, no bounds, no event type).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

ID = "https://w3id.org/hk-timeline-kg/id/"
HK = "https://w3id.org/hk-timeline-kg/ns/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
SCHEMA = "https://schema.org/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
XSD_DATE = "<http://www.w3.org/2001/XMLSchema#date>"
EDTF = "<http://id.loc.gov/datatypes/edtf>"
GRAPH = ""  # N-Triples: the default graph
TYPES = [
    "protest",
    "statement",
    "press-release",
    "open-letter",
    "petition",
    "legislation",
    "police-action",
    "repression",
    "organisational-closure",
    "report",
    "announcement",
    "speech",
]
ROLES = ["participant", "organiser", "signatory", "addressee", "speaker", "authority", "target", "subject"]
START = dt.date(2008, 1, 1)
DAYS = 15 * 365


def _date(rng: random.Random) -> tuple[str, dt.date, dt.date]:
    """(EDTF, earliest begin, latest begin) with a realistic mix of precisions."""
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    r = rng.random()
    if r < 0.80:
        return day.isoformat(), day, day
    if r < 0.92:
        first = day.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return day.strftime("%Y-%m"), first, nxt - dt.timedelta(days=1)
    if r < 0.97:
        end = day + dt.timedelta(days=rng.randrange(2, 40))
        return f"[{day.isoformat()}..{end.isoformat()}]", day, end
    return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def actor_count(events: int) -> int:
    return max(50, events // 100)


def generate(events: int, out, seed: int = 2019, blank_evidence: bool = False, plain_sem: bool = False) -> None:
    """Write ``events`` synthetic events (and their actors, places, sources) as N-Triples."""
    rng = random.Random(seed)
    n_actors, n_places, n_sources = actor_count(events), max(20, events // 2000), max(5, events // 1000)
    w = out.write
    for a in range(n_actors):
        node = f"<{ID}actor/a{a}>"
        kind = "Person" if a % 5 == 0 else "Organization"
        w(f"{node} {RDF_TYPE} <{SEM}Actor> {GRAPH} .\n{node} {RDF_TYPE} <{SCHEMA}{kind}> {GRAPH} .\n")
        w(f'{node} {LABEL} "Actor {a}"@en {GRAPH} .\n{node} <{SCHEMA}name> "Actor {a}"@en {GRAPH} .\n')
    for p in range(n_places):
        node = f"<{ID}place/p{p}>"
        w(f"{node} {RDF_TYPE} <{SEM}Place> {GRAPH} .\n{node} {RDF_TYPE} <{SCHEMA}Place> {GRAPH} .\n")
        w(f'{node} {LABEL} "Place {p}"@en {GRAPH} .\n')
    for s in range(n_sources):
        node = f"<{ID}source/s{s}>"
        w(f"{node} {RDF_TYPE} <{PROV}Entity> {GRAPH} .\n{node} {RDF_TYPE} <{HK}CorpusDocument> {GRAPH} .\n")
        w(f'{node} <http://purl.org/dc/terms/title> "Source {s}"@en {GRAPH} .\n')
    for e in range(events):
        node = f"<{ID}event/e{e}>"
        edtf, eb, lb = _date(rng)
        label = f"Event {e}: {rng.choice(TYPES)} in place {e % n_places}"
        w(f"{node} {RDF_TYPE} <{SEM}Event> {GRAPH} .\n{node} {RDF_TYPE} <{SCHEMA}Event> {GRAPH} .\n")
        w(f'{node} {LABEL} "{label}"@en {GRAPH} .\n')
        kind = rng.choice(TYPES)
        if plain_sem:
            w(f'{node} <{SEM}hasTimeStamp> "{eb.isoformat()}"^^{XSD_DATE} {GRAPH} .\n')
        else:
            w(f"{node} <{SEM}eventType> <{HK}event-type/{kind}> {GRAPH} .\n")
            w(f'{node} <{HK}edtf> "{edtf}"^^{EDTF} {GRAPH} .\n')
            for prop, day in (
                ("hasEarliestBeginTimeStamp", eb),
                ("hasLatestBeginTimeStamp", lb),
                ("hasEarliestEndTimeStamp", eb),
                ("hasLatestEndTimeStamp", lb),
            ):
                w(f'{node} <{SEM}{prop}> "{day.isoformat()}"^^{XSD_DATE} {GRAPH} .\n')
        # Actors follow a skewed distribution, as in real event data: a few are everywhere.
        for a in {int(n_actors * rng.random() ** 2) for _ in range(rng.randint(1, 4))}:
            actor = f"<{ID}actor/a{a}>"
            w(f"{node} <{SEM}hasActor> {actor} {GRAPH} .\n{node} <{HK}{rng.choice(ROLES)}> {actor} {GRAPH} .\n")
        w(f"{node} <{SEM}hasPlace> <{ID}place/p{e % n_places}> {GRAPH} .\n")
        source = f"<{ID}source/s{rng.randrange(n_sources)}>"
        if blank_evidence:  # CONTRACT.md's shape: [] a oa:Annotation ; oa:hasTarget [ ... ]
            ann, target, selector = f"_:a{e}", f"_:t{e}", f"_:s{e}"
        else:
            ann, target, selector = (f"<{ID}annotation/e{e}{x}>" for x in ("", "#t", "#s"))
        w(f"{node} <{PROV}wasDerivedFrom> {source} {GRAPH} .\n")
        w(f"{ann} {RDF_TYPE} <{OA}Annotation> {GRAPH} .\n{ann} <{OA}hasBody> {node} {GRAPH} .\n")
        w(f"{ann} <{OA}hasTarget> {target} {GRAPH} .\n{target} {RDF_TYPE} <{OA}SpecificResource> {GRAPH} .\n")
        w(f"{target} <{OA}hasSource> {source} {GRAPH} .\n{target} <{OA}hasSelector> {selector} {GRAPH} .\n")
        w(f"{selector} {RDF_TYPE} <{OA}TextQuoteSelector> {GRAPH} .\n")
        w(f'{selector} <{OA}exact> "quote number {e} about {label}" {GRAPH} .\n')


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--blank-evidence", action="store_true", help="quotes as CONTRACT.md's blank nodes")
    parser.add_argument("--plain-sem", action="store_true", help="events with sem:hasTimeStamp only")
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as fh:
        generate(args.events, fh, blank_evidence=args.blank_evidence, plain_sem=args.plain_sem)


if __name__ == "__main__":
    main()
