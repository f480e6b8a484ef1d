"""A seeded generator of synthetic event graphs that hold to CONTRACT.md, as N-Triples.

Events have 1-4 actors (with roles), an event type, an EDTF date over 15 years (mostly days,
some months, years and day ranges), a place, and a quote; every actor has a quote too. The
sources are the corpus documents of ``../shared/sources`` (or ``--sources DIR``), described as
the bundled graph describes them (title, file name, SHA-256, date), and each quote is a verbatim
piece of one of their texts, chosen by the seed: ``kg validate`` finds nothing to report.
``python benchmarks/synth.py 100000 out.nt`` writes a 100k-event graph; ``--blank-evidence``
writes each quote in CONTRACT.md's annotation shape (annotation, target and selector as blank
nodes), ``--plain-sem`` events as EventKG and plain SEM publish them (``sem:hasTimeStamp``
only, no bounds, no event type: such events break the contract on purpose).
"""

from __future__ import annotations

import datetime as dt
import random
import re
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


def _literal(text: str) -> str:
    """``text`` as an N-Triples string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Corpus:
    """The corpus documents as the bundled graph describes them (their triples whose object is
    a literal or a class: publishers and date sources are nodes a synthetic graph lacks), and
    for each its lines of text of four words or more, as the spans of their words."""

    def __init__(self, sources: str | Path | None = None):
        import kg
        from kg import paths

        bundled = kg.load()
        described = bundled.query(
            "SELECT ?s ?p ?o WHERE { ?s a hk:CorpusDocument ; ?p ?o FILTER(isLiteral(?o) || ?p = rdf:type) }"
            " ORDER BY ?s ?p ?o"
        )
        self.triples = "".join(f"{s} {p} {o} .\n" for s, p, o in described.rows)
        files = bundled.select("SELECT ?s ?file WHERE { ?s hk:fileName ?file ; a hk:CorpusDocument } ORDER BY ?s")
        directory = paths.sources_dir(sources)
        #: (source IRI, [(line, [(start, end) of each word])]) for each document.
        self.documents: list[tuple[str, list[tuple[str, list[tuple[int, int]]]]]] = []
        for row in files:
            path = Path(directory) / row["file"]
            if not path.is_file():
                raise SystemExit(f"synth.py: {path} not found (give --sources DIR, the corpus texts)")
            lines = path.read_text(encoding="utf-8").splitlines()
            spans = [(line, [m.span() for m in re.finditer(r"\S+", line)]) for line in lines]
            self.documents.append((row["s"], [(line, words) for line, words in spans if len(words) >= 4]))

    def quote(self, rng: random.Random) -> tuple[str, str]:
        """``(source IRI, quote)``: 4 to 20 consecutive words of a line of a document, verbatim."""
        source, lines = self.documents[rng.randrange(len(self.documents))]
        line, words = lines[rng.randrange(len(lines))]
        n = rng.randint(4, min(20, len(words)))
        first = rng.randrange(len(words) - n + 1)
        return source, line[words[first][0] : words[first + n - 1][1]]


def _evidence(w, body: str, source: str, quote: str, nodes: tuple[str, str, str]) -> None:
    """CONTRACT.md's annotation of ``body`` by ``quote`` of ``source``."""
    ann, target, selector = nodes
    w(f"{ann} {RDF_TYPE} <{OA}Annotation> .\n{ann} <{OA}hasBody> {body} .\n")
    w(f"{ann} <{OA}hasTarget> {target} .\n{target} {RDF_TYPE} <{OA}SpecificResource> .\n")
    w(f"{target} <{OA}hasSource> <{source}> .\n{target} <{OA}hasSelector> {selector} .\n")
    w(f"{selector} {RDF_TYPE} <{OA}TextQuoteSelector> .\n{selector} <{OA}exact> {_literal(quote)} .\n")


def _nodes(name: str, blank: bool) -> tuple[str, str, str]:
    """The annotation, target and selector of the quote ``name``: blank nodes or IRIs."""
    if blank:  # CONTRACT.md's shape: [] a oa:Annotation ; oa:hasTarget [ ... ]
        return f"_:a{name}", f"_:t{name}", f"_:s{name}"
    return f"<{ID}annotation/{name}>", f"<{ID}annotation/{name}#t>", f"<{ID}annotation/{name}#s>"


def generate(
    events: int,
    out,
    seed: int = 2019,
    blank_evidence: bool = False,
    plain_sem: bool = False,
    sources: str | Path | None = None,
) -> None:
    """Write ``events`` synthetic events (and their actors, places, sources) as N-Triples;
    ``sources`` is the directory of the corpus texts (default: as ``kg validate`` finds it)."""
    rng = random.Random(seed)
    corpus = Corpus(sources)
    n_actors, n_places = actor_count(events), max(20, events // 2000)
    w = out.write
    w(corpus.triples)
    for a in range(n_actors):
        node = f"<{ID}actor/a{a}>"
        kind = "Person" if a % 5 == 0 else "Organization"
        w(f"{node} {RDF_TYPE} <{SEM}Actor> .\n{node} {RDF_TYPE} <{SCHEMA}{kind}> .\n")
        w(f'{node} {LABEL} "Actor {a}"@en .\n{node} <{SCHEMA}name> "Actor {a}"@en .\n')
        _evidence(w, node, *corpus.quote(rng), _nodes(f"a{a}" if blank_evidence else f"actor-a{a}", blank_evidence))
    for p in range(n_places):
        node = f"<{ID}place/p{p}>"
        w(f"{node} {RDF_TYPE} <{SEM}Place> .\n{node} {RDF_TYPE} <{SCHEMA}Place> .\n")
        w(f'{node} {LABEL} "Place {p}"@en .\n')
    for e in range(events):
        node = f"<{ID}event/e{e}>"
        edtf, eb, lb = _date(rng)
        label = f'"Event {e}: {rng.choice(TYPES)} in place {e % n_places}"@en'
        w(f"{node} {RDF_TYPE} <{SEM}Event> .\n{node} {RDF_TYPE} <{SCHEMA}Event> .\n")
        w(f"{node} {LABEL} {label} .\n{node} <{SCHEMA}name> {label} .\n")
        kind = rng.choice(TYPES)
        if plain_sem:
            w(f'{node} <{SEM}hasTimeStamp> "{eb.isoformat()}"^^{XSD_DATE} .\n')
        else:
            w(f"{node} <{SEM}eventType> <{HK}event-type/{kind}> .\n")
            w(f'{node} <{HK}edtf> "{edtf}"^^{EDTF} .\n')
            days = [("hasEarliestBeginTimeStamp", eb), ("hasLatestBeginTimeStamp", lb)]
            days += [("hasEarliestEndTimeStamp", eb), ("hasLatestEndTimeStamp", lb)]
            if eb == lb:  # known to the day: the day itself too, as SEM and schema.org say it
                days += [("hasBeginTimeStamp", eb), ("hasEndTimeStamp", eb)]
                w(f'{node} <{SCHEMA}startDate> "{eb}"^^{XSD_DATE} .\n{node} <{SCHEMA}endDate> "{eb}"^^{XSD_DATE} .\n')
            for prop, day in days:
                w(f'{node} <{SEM}{prop}> "{day.isoformat()}"^^{XSD_DATE} .\n')
        # Actors follow a skewed distribution, as in real event data: a few are everywhere.
        for a in {int(n_actors * rng.random() ** 2) for _ in range(rng.randint(1, 4))}:
            actor = f"<{ID}actor/a{a}>"
            w(f"{node} <{SEM}hasActor> {actor} .\n{node} <{HK}{rng.choice(ROLES)}> {actor} .\n")
        w(f"{node} <{SEM}hasPlace> <{ID}place/p{e % n_places}> .\n")
        source, quote = corpus.quote(rng)
        w(f"{node} <{PROV}wasDerivedFrom> <{source}> .\n")
        _evidence(w, node, source, quote, _nodes(str(e) if blank_evidence else f"e{e}", blank_evidence))


def main() -> None:
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the kg of this checkout
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--blank-evidence", action="store_true", help="quotes as CONTRACT.md's blank nodes")
    parser.add_argument("--plain-sem", action="store_true", help="events with sem:hasTimeStamp only")
    parser.add_argument("--seed", type=int, default=2019, help="the same seed writes the same bytes")
    parser.add_argument("--sources", type=Path, help="the corpus texts (default: as kg validate finds them)")
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as fh:
        generate(args.events, fh, args.seed, args.blank_evidence, args.plain_sem, args.sources)


if __name__ == "__main__":
    main()
