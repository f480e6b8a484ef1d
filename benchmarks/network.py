"""`kg network` on a large store: one month's ranking and the whole network's figures.

    python benchmarks/network.py --size 100000 [--workdir DIR] [--runs 3]
    python benchmarks/network.py --store PATH            # a store `kg load` already made

Without --store, a seeded synthetic graph (benchmarks/synth.py) of --size events is written
and loaded into a store as `kg load` does. Each command then runs end to end in a fresh
process (`python -m kg --store … network …`), best of --runs, with its CPU time, its peak
memory and the load average when it ran (the machine is shared: the CPU time is the figure
that load does not inflate). Printed: the figures, the targets of issue 13 and the ratio to
each (at most 1.0 meets the target).
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
sys.path[:0] = [str(HERE), str(HERE.parent)]  # synth, and the kg of this checkout

MONTH = ("2015-03-01", "2015-03-31")
#: command label -> (arguments after `kg --store PATH network`, target in seconds)
COMMANDS = {
    "central, one month (degree)": (["central", "--from", MONTH[0], "--to", MONTH[1]], 3.0),
    "central, one month, signatories only": (
        ["central", "--from", MONTH[0], "--to", MONTH[1], "--roles", "signatory"],
        3.0,
    ),
    "central, one month in weekly windows": (
        ["central", "--from", MONTH[0], "--to", MONTH[1], "--window", "1W", "--top", "3"],
        None,
    ),
    "stats, the whole network": (["stats"], 30.0),
}


def child(args: list[str]) -> None:
    """Run one `kg` command in this process and print its time and peak memory as JSON."""
    import contextlib
    import io
    import resource

    from kg.cli import cli

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            cli.main(args, prog_name="kg", standalone_mode=False)
        except SystemExit as exc:  # pragma: no cover - a failing command
            if exc.code:
                raise
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime  # imports included
    result = {"seconds": seconds, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024, "lines": out.getvalue().count("\n")}
    print(json.dumps(result))


def run(store: Path, args: list[str]) -> dict:
    """One run end to end: the process's wall time (imports included) and its peak memory."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--", "--store", str(store), "network", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    result["load"] = os.getloadavg()[0]
    return result


def build(size: int, workdir: Path) -> Path:
    """A store of ``size`` synthetic events, loaded as `kg load` does."""
    from synth import generate

    from kg.backends.loading import load_files
    from kg.backends.store import open_store

    workdir.mkdir(parents=True, exist_ok=True)
    nt = workdir / "graph.nt"
    with nt.open("w", encoding="utf-8") as fh:
        generate(size, fh)
    store = workdir / "store"
    graph = open_store(store, create=True)
    load_files(graph, [nt])
    graph.close()
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000, help="synthetic events (without --store)")
    parser.add_argument("--store", type=Path, help="an existing store instead of a synthetic one")
    parser.add_argument("--workdir", type=Path, help="where to write the synthetic store (default: a temp dir)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the best counts")
    parser.add_argument("--only", help="run only the commands whose label contains this")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child:
        child([a for a in rest if a != "--"])
        return
    store = args.store or build(args.size, (args.workdir or Path(tempfile.mkdtemp(prefix="kg-net-"))) / f"n{args.size}")
    print(f"store {store}")
    heads = [("best (s)", 10), ("in kg (s)", 11), ("CPU (s)", 9), ("peak MB", 9), ("load", 6)]
    heads += [("target", 8), ("ratio", 7)]
    print(f"{'command':42}" + "".join(f"{h:>{w}}" for h, w in heads))
    for label, (command, target) in COMMANDS.items():
        if args.only and args.only not in label:
            continue
        runs = [run(store, command) for _ in range(max(args.runs, 1))]
        best = min(runs, key=lambda r: r["wall"])
        ratio = f"{best['wall'] / target:.2f}" if target else "-"
        print(
            f"{label:42}{best['wall']:>10.2f}{best['seconds']:>11.2f}{best['cpu']:>9.2f}{best['peak_mb']:>9.0f}"
            f"{best['load']:>6.1f}"
            f"{(f'{target:.0f} s' if target else '-'):>8}{ratio:>7}",
            flush=True,
        )
    print(
        "best: wall time of `python -m kg --store … network …` (start-up included); in kg: the command itself;"
        " CPU: user + system time of the process; load: the 1-minute load average after the run"
    )


if __name__ == "__main__":
    main()
