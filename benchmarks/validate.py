"""``kg validate`` against issue 13's targets: the bundled graph in ≤ 1 s, a store of a million
events in ≤ 5 min with ≤ 2 GB, printed as ratios.

Run: ``python benchmarks/validate.py [--store PATH]`` (a store made by ``kg load`` of
``benchmarks/synth.py N FILE --blank-evidence``, which holds to the contract: a store whose
report lists violations measures the listing too). Each run is a process of its own; its wall
time, CPU time and peak memory come from the operating system (``wait4``), beside the load
average, since other processes on a shared machine stretch the wall time, and the numbers of
violations and quote problems it found.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def measure(args: list[str]) -> tuple[float, float, float, dict]:
    """Wall seconds, CPU seconds and peak resident MB of ``python -m kg ARGS validate --format
    json``, and its report."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "kg", *args, "validate", "--format", "json"], stdout=out)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: violations found, a report all the same
            raise SystemExit(f"kg {' '.join(args)} validate failed")
        out.seek(0)
        report = json.load(out)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an on-disk store to validate (e.g. 1M synthetic events)")
    parser.add_argument("--runs", type=int, default=5, help="runs on the bundled graph (median)")
    options = parser.parse_args()
    measure([])  # builds the cache of the bundled graph
    runs = sorted(measure([])[:3] for _ in range(options.runs))
    wall, cpu, peak = runs[len(runs) // 2]
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'figure':<34} {'measured':>12} {'target':>10} {'ratio':>7}")
    print(f"{'kg validate (bundled graph)':<34} {wall:>10.2f} s {1:>8} s {wall:>7.2f}   cpu {cpu:.2f} s")
    if options.store:
        wall, cpu, peak, report = measure(["--store", options.store])
        print(f"{'kg --store … validate':<34} {wall:>10.1f} s {300:>8} s {wall / 300:>7.2f}   cpu {cpu:.1f} s")
        print(f"{'same, peak memory':<34} {peak:>9.0f} MB {2000:>7} MB {peak / 2000:>7.2f}")
        print(
            f"found: {report['shacl_total']:,} violation(s), {report['quotes_total']:,} quote problem(s) "
            f"({report['checked_quotes']:,} quotes checked, {report['unchecked_quotes']:,} not)"
        )
        print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
