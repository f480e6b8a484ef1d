"""`kg viz` on a large store: an ego view and one week, end to end, against issue 13's targets.

    python benchmarks/viz_store.py --store /tmp/kgbench/store          # a store `kg load` made
    python benchmarks/viz_store.py --size 100000 [--workdir DIR]        # a synthetic one
    python benchmarks/viz_store.py --store PATH --steps                 # where the time goes

Each command runs in a fresh process (`python -m kg --store … viz …`, start-up included), best
of --runs, with its peak memory; the targets are 3 s and 500 MB. The ego is an actor with a few
hundred events, picked from the store's index graph (``hk:eventCount``, the count closest to
300), unless --ego names one, then one with just under 2,000 events (the target's 2,000
nodes), and the first within dates that hold every event of the store (it reads its
neighbourhood, not the range); the busiest actor's ego is drawn or, above the node limit,
refused fast. ``--steps``
times each step of the views (the two egos and the week) in this process, one after the
other: selection, quotes, layout and page model, the pyvis network (the first pays for
importing pyvis), the HTML; wall and CPU time (all threads), with the node count (``kg viz``
itself reads the quotes on a thread while it lays out the page model). Run it on a quiet
machine: it prints the load average beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

WEEK = ("2015-03-02", "2015-03-08")
WIDE = ("2000-01-01", "2030-12-31")  # every event of the store: an ego within it reads its neighbourhood alone
TARGET_SECONDS, TARGET_MB = 3.0, 500
_COUNTS = "SELECT ?a ?n WHERE { GRAPH <https://w3id.org/hk-timeline-kg/graph/index> { ?a hk:eventCount ?n } }"


def actors(store: Path) -> list[str]:
    """The labels of an actor with about 300 events, of one with just under 2,000 (an ego view
    of up to 2,000 nodes) and of the busiest actor."""
    import kg

    with kg.open_store(store, read_only=True) as g:
        counts = {r["a"]: int(r["n"]) for r in g.select(_COUNTS)}
        if not counts:
            raise SystemExit(f"{store}: no hk:eventCount in its index graph: give --ego")
        picked = [min(counts, key=lambda a: (abs(counts[a] - n), a)) for n in (300, 1999)]
        picked.append(max(counts, key=lambda a: (counts[a], a)))
        names = g.labels(picked)
        print("egos: " + ", ".join(f"{names[a]} ({counts[a]} events)" for a in picked))
        return [names[a] for a in picked]


def run(store: Path, args: list[str]) -> dict:
    """One run end to end: wall and CPU time, the child's own peak memory (``wait4``), the load
    average as it started, the last line it printed."""
    where = Path(tempfile.mkdtemp(prefix="kg-viz-"))
    command = [sys.executable, "-m", "kg", "--store", str(store), "viz", *args, "-o", str(where / "view.html")]
    load = os.getloadavg()[0]
    with (where / "said.txt").open("w+", encoding="utf-8") as said:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=said, stderr=subprocess.STDOUT, cwd=HERE.parent)
        _, _, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        said.seek(0)
        lines = said.read().strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall": wall, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024, "load": load, "said": lines[-1:]}


def steps(store: Path, options: dict) -> None:
    """Each step of one view, in this process."""
    import kg
    from kg.viz import evidence, fingerprint, network_of, select_within
    from kg.viz.model import build
    from kg.viz.palette import Palette

    marks = [("start", time.perf_counter(), time.process_time())]
    with kg.open_store(store, read_only=True) as g:
        G, words = select_within(g, **options)
        marks.append(("selection", time.perf_counter(), time.process_time()))
        people = {str(n) for n, kind in G.nodes(data="kind") if kind == "person"}
        quotes, urls = evidence(g, {str(n) for n in G.nodes}, people)
        marks.append(("quotes and links", time.perf_counter(), time.process_time()))
        key = fingerprint(g)
        marks.append(("fingerprint", time.perf_counter(), time.process_time()))
        palette = Palette.of(g)
        model = build(G, palette=palette)
        marks.append(("page model and layout", time.perf_counter(), time.process_time()))
        net = network_of(G, words=words, quotes=quotes, urls=urls, fingerprint=key, palette=palette, model=model)
        marks.append(("pyvis network", time.perf_counter(), time.process_time()))
        html = net.generate_html()
        marks.append(("HTML", time.perf_counter(), time.process_time()))
    print(f"  {json.dumps(options)}: {len(G)} nodes, {G.number_of_edges()} edges, {len(html) / 1e6:.1f} MB of HTML")
    for (_, t0, c0), (name, t1, c1) in zip(marks, marks[1:], strict=False):
        print(f"    {name:24}{t1 - t0:>7.2f} s  (CPU {c1 - c0:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (opened read-only)")
    parser.add_argument("--size", type=int, default=100000, help="synthetic events (without --store)")
    parser.add_argument("--workdir", type=Path, help="where to write the synthetic store (default: a temp dir)")
    parser.add_argument("--ego", help="the actor of the ego view (default: one with about 300 events)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each command; the best counts")
    parser.add_argument("--steps", action="store_true", help="time each step of the views in this process")
    args = parser.parse_args()
    store = args.store
    if store is None:
        from network import build

        store = build(args.size, (args.workdir or Path(tempfile.mkdtemp(prefix="kg-viz-"))) / f"n{args.size}")
    ego, large, busiest = actors(store)
    ego = args.ego or ego
    print(f"store {store}; load average {os.getloadavg()[0]:.1f}")
    commands = {
        f"--ego {ego!r}": ["--ego", ego],
        f"--ego {large!r}": ["--ego", large],
        f"--ego {ego!r} --from {WIDE[0]} --to {WIDE[1]}": ["--ego", ego, "--from", WIDE[0], "--to", WIDE[1]],
        f"--from {WEEK[0]} --to {WEEK[1]}": ["--from", WEEK[0], "--to", WEEK[1]],
        f"--ego {busiest!r} (the busiest)": ["--ego", busiest],
    }
    if args.steps:
        steps(store, {"ego": ego})
        steps(store, {"ego": large})  # the target's 2,000 nodes
        steps(store, {"start": WEEK[0], "end": WEEK[1]})
        return
    header = f"{'best (s)':>10}{'CPU (s)':>9}{'load':>6}{'peak MB':>9}{'ratio s':>9}{'ratio MB':>10}"
    print(f"{'kg --store … viz':44}{header}  output")
    for label, command in commands.items():
        runs = [run(store, command) for _ in range(max(args.runs, 1))]
        best = min(runs, key=lambda r: r["wall"])
        print(
            f"{label:44}{best['wall']:>10.2f}{best['cpu']:>9.2f}{best['load']:>6.1f}{best['peak_mb']:>9.0f}"
            f"{best['wall'] / TARGET_SECONDS:>9.2f}"
            f"{best['peak_mb'] / TARGET_MB:>10.2f}  {' '.join(best['said'])[:120]}",
            flush=True,
        )
    print(f"targets: {TARGET_SECONDS:.0f} s and {TARGET_MB} MB end to end (a ratio of at most 1.00 meets them)")


if __name__ == "__main__":
    main()
