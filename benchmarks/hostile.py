"""What the defences against hostile input cost: the SERVICE guard on a query, and `kg serve`'s
front (a check and a worker process per query) against Oxigraph's own server.

Run: ``python benchmarks/hostile.py [--runs N]``. Prints medians and ratios. Both servers run
on 127.0.0.1 over the same on-disk copy of the bundled graph.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

PLAIN = "SELECT ?e ?l WHERE { ?e a sem:Event ; rdfs:label ?l } LIMIT 10"
WORD = "SELECT ?e ?l WHERE { ?e a sem:Event ; rdfs:label ?l FILTER(!CONTAINS(?l, 'service')) } LIMIT 10"
SERVED = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def guard(runs: int) -> None:
    code = "import time; t = time.perf_counter(); from kg.sparql.guard import check_offline; check_offline({!r}); "
    code += "print(time.perf_counter() - t)"
    for name, query in (("no 'service' in the text", PLAIN), ("'service' in the text (rdflib parses)", WORD)):
        first = [float(subprocess.check_output([sys.executable, "-c", code.format(query)])) for _ in range(3)]
        from kg.sparql.guard import check_offline

        check_offline(query)
        warm = median(lambda q=query: check_offline(q), runs)
        print(f"guard, {name}: first call {statistics.median(first) * 1000:.1f} ms, then {warm * 1000:.2f} ms")
    for name, query in (("plain", PLAIN), ("with 'service'", WORD)):
        wall = median(
            lambda q=query: subprocess.run([sys.executable, "-m", "kg", "query", q], check=True, capture_output=True), 5
        )
        print(f"kg query, {name}: {wall:.2f} s")


def _wait(port: int) -> None:
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing on port {port}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def servers(runs: int) -> None:
    import kg
    from kg import serve

    location = serve.materialise(kg.load())
    ports = {"kg serve": _free_port(), "oxigraph serve-read-only": _free_port()}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--port", str(ports["kg serve"])], stderr=subprocess.DEVNULL
        ),
        subprocess.Popen(
            [
                serve.oxigraph_binary(),
                "serve-read-only",
                "--location",
                str(location),
                "--union-default-graph",
                "--bind",
                f"127.0.0.1:{ports['oxigraph serve-read-only']}",
            ],
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        medians = {}
        for name, port in ports.items():
            _wait(port)
            url = f"http://127.0.0.1:{port}/query?query={urllib.parse.quote(SERVED)}"
            request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            medians[name] = median(lambda r=request: urllib.request.urlopen(r).read(), runs)
        base = medians["oxigraph serve-read-only"]
        for name, value in medians.items():
            print(f"{name}: COUNT(*) over HTTP {value * 1000:.1f} ms ({value / base:.2f}x)")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    guard(args.runs)
    servers(args.runs)


if __name__ == "__main__":
    main()
