"""Wall time of ``kg`` commands against importing rdflib and click, as ratios.

Run: ``python benchmarks/cli.py [--runs N]``. Each command runs N times (after one warm-up
run that also builds the cache); the medians are printed with their ratio to
``python -c "import rdflib"``. Every command is started as ``python -m kg`` with this
interpreter, so launcher shims (pyenv) add nothing to either side.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c 'import rdflib'": ["-c", "import rdflib"],
    "python -c 'import click'": ["-c", "import click"],
    "kg --help": ["-m", "kg", "--help"],
    "kg timeline": ["-m", "kg", "timeline"],
    "kg timeline --actor 'Amnesty International'": ["-m", "kg", "timeline", "--actor", "Amnesty International"],
    "kg query signatories": ["-m", "kg", "query", "signatories"],
}


def median_seconds(args: list[str], runs: int) -> float:
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    results = {name: median_seconds(args, runs) for name, args in COMMANDS.items()}
    base = results["python -c 'import rdflib'"]
    print(f"median of {runs} runs, {sys.executable}")
    print(f"{'command':<48} {'ms':>8} {'/ import rdflib':>16}")
    for name, secs in results.items():
        print(f"{name:<48} {secs * 1000:>8.1f} {secs / base:>16.2f}")


if __name__ == "__main__":
    main()
