"""Real SPARQL servers for the tests: Oxigraph's server and Virtuoso, each on a free port of
127.0.0.1, started in a temporary directory and stopped at the end."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = {http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def start_virtuoso(directory: Path) -> tuple[subprocess.Popen, str]:
    """Virtuoso (Debian's virtuoso-opensource) with SPARQL updates and the Graph Store
    Protocol open to anonymous users; returns the process and its base URL."""
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=directory, sql_port=sql_port, http_port=http_port))
    proc = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{http_port}"
    wait_for(f"{base}/sparql?query=ASK%7B%7D", proc, seconds=90)
    grants = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
    subprocess.run(["isql-vt", str(sql_port), "dba", "dba", f"exec={grants}"], check=True, capture_output=True)
    return proc, base


def start_oxigraph(directory: Path) -> tuple[subprocess.Popen, str]:
    """A stock, writable Oxigraph server (no --union-default-graph: queries see the default
    graph only, as most deployments run it); returns the process and its base URL."""
    import shutil
    import sys

    binary = Path(sys.executable).parent / "oxigraph"
    port = free_port()
    proc = subprocess.Popen(
        [str(binary) if binary.exists() else shutil.which("oxigraph") or "oxigraph", "serve"]
        + ["--location", str(directory), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/query?query=ASK%7B%7D", proc)
    return proc, base


def start_kg_serve(*global_options: str) -> tuple[subprocess.Popen, str]:
    """`kg [GLOBAL_OPTIONS] serve` on a free port of 127.0.0.1, read-only, as a user starts it;
    returns the process and its base URL once it answers."""
    import sys

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", *global_options, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/query?query=ASK%7B%7D", proc, seconds=60)
    return proc, base
