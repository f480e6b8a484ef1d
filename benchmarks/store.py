"""Load time, peak memory and query latency: rdflib's in-memory store, the project's
on-disk store (`kg load` / `kg --store`) and Oxigraph's server over HTTP (`kg serve`).

    python benchmarks/store.py --sizes 10000,100000 [--rdflib-max 10000] [--workdir DIR]
    python benchmarks/store.py --targets 1000000 [--workdir DIR]     # issue 13's targets
    python benchmarks/store.py --targets 100000 --load-only [--plain-sem 0] [--no-raw] --workdir DIR

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
    from kg.backends.loading import load_files
    from kg.graph import open_store  # the public StoreGraph: a back end with timeline()

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
    graph.close()  # release the store before the end-to-end runs open it
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

    from kg import serve
    from kg.backends.endpoint import EndpointBackend

    location = Path(workdir) / "kgstore"
    port = free_port()
    proc = serve.start(location, port=port)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc)
        remote = EndpointBackend(f"http://127.0.0.1:{port}/query")
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


def _measured(command: list[str]) -> tuple[float, float]:
    """Seconds and peak memory (MB) of a command run in a process of its own."""
    seconds, peak, _ = _measured_cpu(command)
    return seconds, peak


def _measured_cpu(command: list[str]) -> tuple[float, float, float]:
    """Seconds, peak memory (MB) and CPU seconds (user + system, the command's processes
    together) of a command run in a process of its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", "measure", json.dumps(command), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak, cpu = json.loads(out.stdout.strip().splitlines()[-1])
    return seconds, peak, cpu


def _tree_rss_mb(root: int) -> float:
    """The resident memory of process ``root`` and all its descendants together (MB), from
    /proc: `kg load` indexes big files in a child process, and both count."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * resource.getpagesize()
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    return sum(rss.get(pid, 0) for pid in tree) / 1e6


def _measure(command: str) -> None:
    """(child) Run ``command`` and print its wall time and its peak memory: the larger of the
    peak RSS of its biggest process and the peak sum over its process tree (sampled)."""
    start = time.perf_counter()
    proc = subprocess.Popen(json.loads(command), stdout=subprocess.DEVNULL)  # validate exits 1 on violations
    summed = 0.0
    while True:  # sampled every 0.2 s; the wait ends the moment the command does
        summed = max(summed, _tree_rss_mb(proc.pid))
        try:
            proc.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            continue
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # grandchildren count once waited for
    print(json.dumps([seconds, max(usage.ru_maxrss / 1024, summed), usage.ru_utime + usage.ru_stime]))


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _raw_load(location: Path, nt: Path) -> list[str]:
    """Oxigraph's own bulk load of ``nt`` into a new store: the reference of `kg load`."""
    shutil.rmtree(location, ignore_errors=True)
    return _python(
        f"import pyoxigraph as ox; s = ox.Store({str(location)!r}); "
        f"s.bulk_load(path={str(nt)!r}, format=ox.RdfFormat.N_TRIPLES); s.flush()"
    )


def _raw_optimize(location: Path) -> list[str]:
    """Oxigraph's own compaction of the store at ``location``: what `kg load` does once loaded,
    so raw bulk_load + this is the same work as `kg load` minus the event index."""
    return _python(f"import pyoxigraph as ox; ox.Store({str(location)!r}).optimize()")


_BUSIEST = """import json, kg
g = kg.open_store({store!r}, read_only=True)
print(json.dumps(g.select("SELECT ?a ?n WHERE {{ GRAPH <https://w3id.org/hk-timeline-kg/graph/index>"
                          " {{ ?a hk:eventCount ?n }} }} ORDER BY DESC(?n) LIMIT 1")[0]))"""


def _best_of(command: list[str], runs: int = 3) -> tuple[float, float]:
    results = [_measured(command) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def _writes(root: Path, store: Path, on_store: list[str], kg: list[str], add) -> None:
    """The figures of the commands that read the whole store: export and validate."""
    dump = root / "raw-dump.nt"
    dump_s, _ = _measured(
        _python(
            f"import pyoxigraph as ox; s = ox.Store.read_only({str(store)!r}); "
            f"s.dump({str(dump)!r}, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())"
        )
    )
    exp_s, exp_mb = _measured(on_store + ["export", "--format", "nt", "-o", str(root / "kg-export.nt")])
    add("export --format nt speed / Oxigraph's dump", dump_s / exp_s, 0.5, "x (higher is better)")
    add("export --format nt peak memory", exp_mb, 500, "MB")
    val_s, val_mb = _measured(on_store + ["validate"])
    add("kg validate --store (time)", val_s, 300, "s")
    add("kg validate --store peak memory", val_mb, 2000, "MB")
    add("kg validate, bundled graph", _best_of(kg + ["validate"])[0], 1.0, "s")


def _load_figures(name: str, nt: Path, root: Path, raw_store: Path | None) -> None:
    """`kg load` of ``nt`` against Oxigraph's own bulk_load of it, each in a fresh process:
    time, peak memory, CPU seconds and the load average around each. The ratio of CPU
    seconds does not depend on what else the machine runs; the ratio of times does (the
    indexer takes the core the loader leaves). ``raw_store``: time a raw load there."""
    import os

    def run(command: list[str]) -> tuple[float, float, float, str]:
        before = os.getloadavg()[0]
        seconds, peak, cpu = _measured_cpu(command)
        return seconds, peak, cpu, f"{before:.1f} -> {os.getloadavg()[0]:.1f}"

    rows = []
    if raw_store is not None:
        rows.append(("raw bulk_load", *run(_raw_load(raw_store, nt))))
        rows.append(("raw optimize", *run(_raw_optimize(raw_store))))
        shutil.rmtree(raw_store, ignore_errors=True)
    store = root / f"{nt.stem}-kg-store"
    shutil.rmtree(store, ignore_errors=True)
    rows.append(("kg load", *run([sys.executable, "-m", "kg", "load", str(nt), "--store", str(store)])))
    shutil.rmtree(store, ignore_errors=True)
    print(f"\n{name} ({nt}, {nt.stat().st_size / 1e6:,.0f} MB)")
    print(f"| {'':14} | {'seconds':>8} | {'peak MB':>8} | {'CPU s':>8} | {'load average':>13} |")
    for what, seconds, peak, cpu, load in rows:
        print(f"| {what:14} | {seconds:>8.1f} | {peak:>8.0f} | {cpu:>8.1f} | {load:>13} |")
    if len(rows) == 3:
        (_, raw_s, _, raw_cpu, _), (_, opt_s, _, opt_cpu, _), (_, kg_s, _, kg_cpu, _) = rows
        print(f"kg load / raw bulk_load: time {kg_s / raw_s:.2f}x (target 1.1), CPU {kg_cpu / raw_cpu:.2f}x")
        print(
            f"kg load / (raw bulk_load + optimize, the same compacted store): time {kg_s / (raw_s + opt_s):.2f}x,"
            f" CPU {kg_cpu / (raw_cpu + opt_cpu):.2f}x"
        )


def load_only(size: int, root: Path, plain_size: int, raw: bool) -> None:
    """Only issue 13's load figures: the blank-evidence file of ``size`` events and the plain
    SEM one of ``plain_size`` (0: none), written under ``root`` if missing."""
    from synth import generate

    root.mkdir(parents=True, exist_ok=True)
    for name, n, shape in (("evidence as blank nodes", size, "blank"), ("plain SEM", plain_size, "plain")):
        if not n:
            continue
        nt = root / f"{shape}-{n}.nt"
        if not nt.exists():
            with nt.open("w", encoding="utf-8") as fh:
                generate(n, fh, blank_evidence=shape == "blank", plain_sem=shape == "plain")
        _load_figures(f"{n:,} events, {name}", nt, root, root / f"{shape}-raw" if raw else None)


def targets(size: int, root: Path, plain_size: int, reads_only: bool = False) -> None:
    """Issue 13's figures on a synthetic store of ``size`` events with CONTRACT.md's
    blank-node evidence: each printed with its target and the ratio to it. ``reads_only``
    measures the reads (show, timeline) of the store already under ``root``."""
    from synth import actor_count, generate

    root.mkdir(parents=True, exist_ok=True)
    nt = root / f"blank-{size}.nt"
    if not nt.exists() and not reads_only:
        with nt.open("w", encoding="utf-8") as fh:
            generate(size, fh, blank_evidence=True)
    kg = [sys.executable, "-m", "kg"]
    rows: list[tuple[str, float, float, str]] = []  # (figure, measured, target, unit)

    def add(name: str, value: float, target: float, unit: str) -> None:
        rows.append((name, value, target, unit))
        print(f"  {name}: {value:.2f} {unit} (target {target:g})", file=sys.stderr, flush=True)

    store = root / "store"
    if not reads_only:
        raw_s, _ = _measured(_raw_load(root / "raw", nt))
        compact_s, _ = _measured(_raw_optimize(root / "raw"))
        shutil.rmtree(store, ignore_errors=True)
        load_s, load_mb = _measured(kg + ["load", str(nt), "--store", str(store)])
        print(f"  raw bulk_load {raw_s:.1f} s, optimize {compact_s:.1f} s; kg load {load_s:.1f} s", file=sys.stderr)
        add("kg load / raw bulk_load (time)", load_s / raw_s, 1.1, "x")
        add("kg load / (raw bulk_load + optimize) (time)", load_s / (raw_s + compact_s), 1.1, "x")
        add("kg load peak memory", load_mb, 1000, "MB")
    found = subprocess.run(_python(_BUSIEST.format(store=str(store))), check=True, capture_output=True, text=True)
    busiest = json.loads(found.stdout)
    typical = f"Actor {actor_count(size) // 2}"
    on_store = kg + ["--store", str(store)]
    add("kg show EVENT (end to end)", _best_of(on_store + ["show", f"e{size // 2}"])[0], 0.3, "s")
    add(f"kg show busiest actor ({busiest['n']} events)", _best_of(on_store + ["show", busiest["a"]])[0], 0.3, "s")
    add("kg show typical actor", _best_of(on_store + ["show", typical])[0], 0.3, "s")
    code = (
        "import time, kg; g = kg.open_store(%r, read_only=True); w = %r;"
        "t = time.perf_counter(); n = len(g.timeline(**w)); print(time.perf_counter() - t, n)"
    )
    for name, where in (
        ("g.timeline() of one month, described", {"start": RANGE[0], "end": RANGE[1]}),
        ("g.timeline() of the busiest actor, described", {"actor": busiest["a"]}),
    ):
        best = min(
            float(
                subprocess.run(
                    _python(code % (str(store), where)), check=True, capture_output=True, text=True
                ).stdout.split()[0]
            )
            for _ in range(3)
        )
        add(name, best, 1.0, "s")
    add(
        "kg --store timeline --actor (typical actor, end to end)",
        _best_of(on_store + ["timeline", "--actor", typical])[0],
        0.5,
        "s",
    )
    if reads_only:
        plain_size = 0
    else:
        _writes(root, store, on_store, kg, add)
    if plain_size:
        plain = root / f"plain-{plain_size}.nt"
        with plain.open("w", encoding="utf-8") as fh:
            generate(plain_size, fh, plain_sem=True)
        pstore = root / "plain-store"
        shutil.rmtree(pstore, ignore_errors=True)
        p_raw, _ = _measured(_raw_load(root / "plain-raw", plain))
        p_compact, _ = _measured(_raw_optimize(root / "plain-raw"))
        p_load, _ = _measured(kg + ["load", str(plain), "--store", str(pstore)])
        add(f"plain SEM {plain_size:,}: kg load / raw bulk_load", p_load / p_raw, 1.1, "x")
        add(f"plain SEM {plain_size:,}: kg load / (raw bulk_load + optimize)", p_load / (p_raw + p_compact), 1.1, "x")
    print(f"\n{size:,} events, evidence as blank nodes (store: {store})")
    print(f"| {'figure':58} | {'measured':>10} | {'target':>8} | {'measured / target':>17} |")
    print(f"|{'-' * 60}|{'-' * 12}:|{'-' * 9}:|{'-' * 18}:|")
    for name, value, target, unit in rows:
        unit_text = unit.split(" ")[0]
        print(f"| {name:58} | {value:>8.2f} {unit_text:<2}| {target:>8g} | {value / target:>17.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="event counts, comma-separated")
    parser.add_argument("--rdflib-max", type=int, default=10000, help="largest size rdflib runs at")
    parser.add_argument("--workdir", help="where to write the graphs and stores (default: a temp dir)")
    parser.add_argument("--targets", type=int, metavar="EVENTS", help="print issue 13's figures at this size")
    parser.add_argument(
        "--plain-sem", type=int, default=100000, metavar="EVENTS", help="with --targets: plain SEM size"
    )
    parser.add_argument(
        "--reads-only", action="store_true", help="with --targets: only show and timeline, on WORKDIR/store as it is"
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="with --targets: only kg load against raw bulk_load (time, peak, CPU seconds, load average)",
    )
    parser.add_argument(
        "--no-raw", action="store_true", help="with --load-only: time kg load alone (the raw figure known already)"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.child[0] == "measure":
        _measure(args.child[1])
        return
    if args.child:
        child(*args.child)
        return
    if args.targets:
        where = Path(args.workdir or tempfile.mkdtemp(prefix="kg-bench-"))
        if args.load_only:
            load_only(args.targets, where, args.plain_sem, not args.no_raw)
            return
        targets(args.targets, where, args.plain_sem, args.reads_only)
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
