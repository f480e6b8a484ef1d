"""Load time, peak memory and query latency: rdflib's in-memory store, the project's
on-disk store (`kg load` / `kg --store`) and Oxigraph's server over HTTP (`kg serve`).

    python benchmarks/store.py --sizes 10000,100000 [--rdflib-max 10000] [--workdir DIR]

For each size a seeded synthetic graph (benchmarks/synth.py) is written as N-Quads; each
engine then runs in a fresh process (so its peak memory is its own), loads the file and runs
the representative queries, best of three. Printed: one table per size and the ratios to the
rdflib baseline. rdflib needs ~15 minutes and ~10 GB at 1M events: --rdflib-max bounds it.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))  # servers.py: start/stop real servers

DATA = "<https://w3id.org/hk-timeline-kg/id/"
PREFIXES = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX hk: <https://w3id.org/hk-timeline-kg/ns/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
RANGE = ("2015-03-01", "2015-03-31")
# The representative queries as a researcher usually writes them.
PLAIN = {
    "timeline range (1 month)": PREFIXES
    + f"""SELECT ?e ?l ?b WHERE {{
        ?e sem:hasEarliestBeginTimeStamp ?b ; sem:hasLatestBeginTimeStamp ?lb ; rdfs:label ?l .
        FILTER(?lb >= "{RANGE[0]}"^^xsd:date && ?b <= "{RANGE[1]}"^^xsd:date) }} ORDER BY ?b""",
    "one actor's timeline": PREFIXES
    + """SELECT ?e ?l ?b WHERE {
        ?e sem:hasActor <https://w3id.org/hk-timeline-kg/id/actor/a7> ; rdfs:label ?l ;
           sem:hasEarliestBeginTimeStamp ?b } ORDER BY ?b""",
    "top actors by events": PREFIXES
    + """SELECT ?a (COUNT(?e) AS ?n) WHERE { ?e sem:hasActor ?a }
        GROUP BY ?a ORDER BY DESC(?n) LIMIT 10""",
    "an event's quotes": PREFIXES
    + """SELECT ?q WHERE {
        ?ann oa:hasBody <https://w3id.org/hk-timeline-kg/id/event/e500> ; oa:hasTarget/oa:hasSelector/oa:exact ?q }""",
}


def kg_shaped() -> dict[str, str]:
    """The same questions in the shapes kg sends to a SPARQL endpoint: a date range as index
    lookups over its possible begin days, top actors from the index graph. (On its own store
    kg selects events from the event index instead: see engine_kg.)"""
    import datetime as dt

    first = dt.date.fromisoformat(RANGE[0]) - dt.timedelta(days=365)
    days = " ".join(
        f'"{first + dt.timedelta(days=i)}"^^xsd:date' for i in range((dt.date.fromisoformat(RANGE[1]) - first).days + 1)
    )
    shaped = dict(PLAIN)
    shaped["timeline range (1 month)"] = (
        PREFIXES
        + f"""SELECT ?e ?l ?b WHERE {{ VALUES ?b {{ {days} }}
        ?e sem:hasEarliestBeginTimeStamp ?b ; sem:hasLatestBeginTimeStamp ?lb ; rdfs:label ?l .
        FILTER(?lb >= "{RANGE[0]}"^^xsd:date) }} ORDER BY ?b"""
    )
    shaped["top actors by events"] = (
        PREFIXES
        + """SELECT ?a ?n WHERE {
        GRAPH <https://w3id.org/hk-timeline-kg/graph/index> { ?a hk:eventCount ?n } } ORDER BY DESC(?n) LIMIT 10"""
    )
    return shaped


def _best(fn, runs: int = 3) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = fn()
        best = min(best, time.perf_counter() - start)
    return best, rows


def engine_rdflib(nq: str, workdir: str) -> dict:
    import rdflib

    start = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(nq, format="nt")
    load = time.perf_counter() - start
    queries = {name: _best(lambda q=q: len(list(ds.query(q)))) for name, q in PLAIN.items()}
    return {"load": load, "queries": queries}


def engine_pyoxigraph(nq: str, workdir: str) -> dict:
    """Raw pyoxigraph: the load-time reference for the project's store."""
    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store(str(Path(workdir) / "raw"))
    store.bulk_load(path=nq, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    load = time.perf_counter() - start
    run = lambda q: len(list(store.query(q)))  # noqa: E731
    return {"load": load, "queries": {name: _best(lambda q=q: run(q)) for name, q in PLAIN.items()}}


def engine_kg(nq: str, workdir: str) -> dict:
    from kg.backends.store import load_files, open_store

    location = Path(workdir) / "kgstore"
    start = time.perf_counter()
    graph = open_store(location, create=True)
    load_files(graph, [nq])
    load = time.perf_counter() - start
    queries = {name: _best(lambda q=q, g=graph: len(g.query(q).rows)) for name, q in kg_shaped().items()}
    # What `kg timeline` runs on a store: the event index selects (iri, dates, label) ...
    a7 = "https://w3id.org/hk-timeline-kg/id/actor/a7"
    queries["timeline range (1 month)"] = _best(lambda: len(graph.events(start=RANGE[0], end=RANGE[1])))
    queries["one actor's timeline"] = _best(lambda: len(graph.events(actor=a7)))
    # ... and the store describes each event (type, actors, roles, places, sources).
    queries["kg timeline, 1 month, described"] = _best(lambda: len(graph.timeline(start=RANGE[0], end=RANGE[1])))
    queries["kg timeline, busy actor, described"] = _best(lambda: len(graph.timeline(actor=a7)))
    graph = None  # release the store before the end-to-end runs open it
    from synth import actor_count

    typical = actor_count(int(Path(workdir).name.lstrip("n"))) // 2
    for label, actor in (("a busy actor", "Actor 7"), ("a typical actor", f"Actor {typical}")):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "kg", "--store", str(location), "timeline", "--actor", actor],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            runs.append(time.perf_counter() - start)
        queries[f"kg --store timeline --actor, {label} (end to end)"] = (min(runs), 0)
    return {"load": load, "queries": queries}


def engine_server(nq: str, workdir: str) -> dict:
    """Oxigraph's server (`kg serve`) queried over HTTP, on the store engine_kg built."""
    from servers import free_port, stop, wait_for

    from kg.backends import serve
    from kg.backends.endpoint import RemoteGraph

    location = Path(workdir) / "kgstore"
    port = free_port()
    proc = serve.start(location, port=port)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc)
        remote = RemoteGraph(f"http://127.0.0.1:{port}/query")
        queries = {name: _best(lambda q=q: len(remote.query(q).rows)) for name, q in kg_shaped().items()}
    finally:
        stop(proc)
    return {"load": None, "queries": queries}


ENGINES = {
    "rdflib (in memory)": engine_rdflib,
    "pyoxigraph (raw)": engine_pyoxigraph,
    "kg store": engine_kg,
    "Oxigraph server (HTTP)": engine_server,
}


def child(engine: str, nq: str, workdir: str) -> None:
    result = ENGINES[engine](nq, workdir)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_engine(engine: str, nq: Path, workdir: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", engine, str(nq), str(workdir)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="event counts, comma-separated")
    parser.add_argument("--rdflib-max", type=int, default=10000, help="largest size rdflib runs at")
    parser.add_argument("--workdir", help="where to write the graphs and stores (default: a temp dir)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from synth import generate

    root = Path(args.workdir or tempfile.mkdtemp(prefix="kg-bench-"))
    for size in (int(s) for s in args.sizes.split(",")):
        workdir = root / f"n{size}"
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        nq = workdir / "graph.nt"
        with nq.open("w", encoding="utf-8") as fh:
            generate(size, fh)
        triples = sum(1 for _ in nq.open("rb"))
        results = {}
        for engine in ENGINES:
            if engine.startswith("rdflib") and size > args.rdflib_max:
                continue
            results[engine] = run_engine(engine, nq, workdir)
        print(f"\n{size:,} events, {triples:,} triples ({nq.stat().st_size / 1e6:.0f} MB of N-Triples)")
        names = list(results)
        print(f"{'':44}" + "".join(f"{n:>26}" for n in names))
        print(
            f"{'load (s)':44}"
            + "".join(f"{results[n]['load']:>26.2f}" if results[n]["load"] is not None else f"{'-':>26}" for n in names)
        )
        print(f"{'peak memory (MB)':44}" + "".join(f"{results[n]['peak_mb']:>26.0f}" for n in names))
        rows = list(dict.fromkeys(q for n in names for q in results[n]["queries"]))
        for q in rows:
            cells = "".join(
                f"{results[n]['queries'][q][0] * 1000:>23.1f} ms" if q in results[n]["queries"] else f"{'-':>26}"
                for n in names
            )
            print(f"{q:44}{cells}")
        base = "rdflib (in memory)" if "rdflib (in memory)" in results else "pyoxigraph (raw)"
        print(f"ratios to {base} (lower is better):")
        for n in names:
            if n == base:
                continue
            load = results[n]["load"] / results[base]["load"] if results[n]["load"] else None
            common = [q for q in PLAIN if q in results[n]["queries"]]
            ratios = ", ".join(
                f"{q}: {results[n]['queries'][q][0] / results[base]['queries'][q][0]:.3f}" for q in common
            )
            print(f"  {n}: load {load:.2f}x; {ratios}" if load else f"  {n}: {ratios}")
        if "kg store" in results:
            raw = results["pyoxigraph (raw)"]["load"]
            print(
                f"  kg store load / raw pyoxigraph bulk load: {results['kg store']['load'] / raw:.2f}x (target <= 1.2x)"
            )


if __name__ == "__main__":
    main()
