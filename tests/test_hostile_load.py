"""`kg load`: an XML entity bomb is refused, and Ctrl-C or kill -9 leaves the store as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import ROOT, appeared, clean_error, ctrl_c_default, kg

pytestmark = pytest.mark.hostile

RDF = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'


def rdfxml(tmp_path: Path, entities: str, body: str) -> Path:
    path = tmp_path / "in.rdf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{entities}\n]>\n{RDF}\n'
        f'<rdf:Description rdf:about="http://example.org/x">{body}</rdf:Description>\n</rdf:RDF>\n',
        encoding="utf-8",
    )
    return path


LAUGHS = '<!ENTITY a "aaaaaaaaaa">\n' + "\n".join(
    f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("entities", "body", "needle"),
    [
        (LAUGHS, "<ex:p>&i;</ex:p>", "refers to other entities"),
        ('<!ENTITY x SYSTEM "file:///etc/hostname">', "<ex:p>&x;</ex:p>", "external"),
        ('<!ENTITY % p "x">', "<ex:p>x</ex:p>", "parameter"),
        (f'<!ENTITY big "{"z" * 4000}">', "<ex:p>" + "&big;" * 5000 + "</ex:p>", "expand to over"),
        (f'<!ENTITY huge "{"z" * 5000}">', "<ex:p>&huge;</ex:p>", "over 4,096 characters"),
    ],
    ids=["billion-laughs", "external", "parameter", "many-references", "long-entity"],
)
def test_xml_entity_bombs_are_refused(tmp_path, entities, body, needle):
    result = kg("load", str(rdfxml(tmp_path, entities, body)), "--store", str(tmp_path / "s"), timeout=60)
    clean_error(result, 3, "in.rdf", needle)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.rdf"]


def test_namespace_entities_still_load(tmp_path):
    path = rdfxml(tmp_path, '<!ENTITY ex "http://example.org/">', '<ex:p rdf:resource="&ex;y"/>')
    assert kg("load", str(path), "--store", str(tmp_path / "s"), timeout=60).returncode == 0
    result = kg("--store", str(tmp_path / "s"), "query", "ASK { <http://example.org/x> ?p <http://example.org/y> }")
    assert result.stdout.strip() == b"true"


def _triples(store: Path) -> int:
    code = "import sys, pyoxigraph as ox; print(len(ox.Store.read_only(sys.argv[1])))"
    out = subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True, timeout=60)
    return int(out.stdout)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_an_interrupted_load_leaves_the_store_as_it_was(tmp_path, sig):
    small = tmp_path / "small.nt"
    small.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    store = tmp_path / "s"
    assert kg("load", str(small), "--store", str(store)).returncode == 0
    before = _triples(store)
    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as fh:
        for i in range(400_000):
            fh.write(f'<urn:x:s{i}> <urn:x:p{i % 7}> "value number {i}" .\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "load", str(big), "--store", str(store)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_default,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not appeared(tmp_path, ".s.kg-load-*/new/*.sst"):
        time.sleep(0.05)  # until it writes into its copy of the store
    assert proc.poll() is None, "the load ended before it could be interrupted"
    started = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert _triples(store) == before
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"interrupted" in err and b"Traceback" not in err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["big.nt", "s", "small.nt"]


def _indexers(tmp_path: Path) -> list[int]:
    """The pids of `kg load`'s indexing processes working under ``tmp_path``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"kg.backends.loading" in command and str(tmp_path).encode() in command:
            found.append(int(entry.name))
    return found


def test_a_killed_load_leaves_no_indexing_process_behind(tmp_path):
    big = tmp_path / "big.nt"  # above the size that is indexed in a process of its own
    with big.open("w", encoding="utf-8") as fh:
        for i in range(1_400_000):  # labels, which the indexer reads: seconds of work a killed load must not leave
            fh.write(f'<urn:x:s{i}> <http://www.w3.org/2000/01/rdf-schema#label> "label {i}" .\n')
    assert big.stat().st_size >= 64 * 1024 * 1024
    proc = subprocess.Popen([sys.executable, "-m", "kg", "load", str(big), "--store", str(tmp_path / "s")], cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _indexers(tmp_path):
        time.sleep(0.05)
    assert _indexers(tmp_path) and proc.poll() is None, "no indexing process seen while loading"
    proc.kill()  # SIGKILL: the parent cannot stop its child itself
    proc.wait(timeout=30)
    deadline = time.monotonic() + 2  # the kernel ends it at once; left alone it would index for seconds more
    while time.monotonic() < deadline and _indexers(tmp_path):
        time.sleep(0.05)
    assert _indexers(tmp_path) == []


def test_no_load_into_a_store_a_writable_server_holds(tmp_path):
    from hostile import free_port, wait_for_port

    small = tmp_path / "small.nt"
    small.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    store = tmp_path / "s"
    assert kg("load", str(small), "--store", str(store)).returncode == 0
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--store", str(store), "serve", "--writable", "--port", str(port)],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, proc)
        clean_error(kg("load", str(small), "--store", str(store)), 2, "cannot open the store")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["s", "small.nt"]
    finally:
        proc.terminate()
        proc.wait(60)
    assert kg("load", str(small), "--store", str(store)).returncode == 0
