"""The static site's targets (issue 11), on the bundled graph:

    python benchmarks/site.py            # 3 runs each

* ``kg publish --site``: wall time of the command in a fresh process (the graph cache warm, as
  after any earlier ``kg`` command); target 10 s.
* the SPARQL page's first answer: ``sparql.html`` opened from ``file://`` in headless Chromium
  with every request outside the site aborted, timed from navigation to the first result
  (``performance.now()`` when ``<body data-answered>`` is set: parsing the page, starting the
  WebAssembly engine, loading the graph and running the default query); target 2 s.
* the site's size, in all and by part.

Needs Chromium (Debian: ``apt-get install chromium``; or $KG_CHROMIUM) and playwright.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"publish": 10.0, "first answer": 2.0}


def publish(directory: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one ``kg publish --site``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "publish", "--site", str(directory)], check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def first_answer(site: Path, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
    allowed = site.resolve().as_uri() + "/"
    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            page = browser.new_page()  # a new page each time: nothing compiled or parsed is reused
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith((allowed, "blob:")) else r.abort())
            page.goto((site / "sparql.html").resolve().as_uri())
            page.wait_for_selector("body[data-answered]", state="attached", timeout=60_000)
            out.append(page.evaluate("({total_ms: performance.now(), ...window.kgTimings})"))
            page.close()
        browser.close()
    return out


def size(site: Path) -> dict[str, int]:
    parts = {"engine (assets/oxigraph.js)": 0, "graph for the browser (data/)": 0, "exports": 0, "resource pages": 0}
    parts.update({"views": 0, "other": 0})
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel, n = path.relative_to(site).as_posix(), path.stat().st_size
        key = (
            "engine (assets/oxigraph.js)"
            if rel == "assets/oxigraph.js"
            else "graph for the browser (data/)"
            if rel.startswith("data/")
            else "exports"
            if rel.startswith("export/")
            else "resource pages"
            if rel.startswith("id/")
            else "views"
            if rel.startswith("views/")
            else "other"
        )
        parts[key] += n
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        publish(Path(tmp) / "warm-up")  # builds the graph cache once
        runs = [publish(Path(tmp) / f"site{i}") for i in range(args.runs)]
        times = [wall for wall, _ in runs]
        site = Path(tmp) / "site0"
        answers = first_answer(site, args.runs)
        parts = size(site)
        files = sum(1 for p in site.rglob("*") if p.is_file())
    best = min(times)
    print(f"kg publish --site: best {best:.2f} s, median {statistics.median(times):.2f} s of {args.runs}")
    print(f"  CPU time (user + system): {min(cpu for _, cpu in runs):.2f} s; load average {os.getloadavg()[0]:.1f}")
    print(f"  target {TARGETS['publish']:.0f} s: ratio {best / TARGETS['publish']:.2f}")
    first = min(a["total_ms"] for a in answers) / 1000
    median = statistics.median(a["total_ms"] for a in answers) / 1000
    print(f"first answer of sparql.html (file://): best {first:.2f} s, median {median:.2f} s of {args.runs}")
    fastest = min(answers, key=lambda a: a["total_ms"])
    print(
        f"  of which WebAssembly start {fastest['engine_ms']:.0f} ms, graph load {fastest['graph_ms']:.0f} ms "
        f"({fastest['quads']} quads)"
    )
    print(f"  target {TARGETS['first answer']:.0f} s: ratio {first / TARGETS['first answer']:.2f}")
    total = sum(parts.values())
    print(f"site size: {total / 1e6:.1f} MB in {files} files")
    for name, n in parts.items():
        print(f"  {name}: {n / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
