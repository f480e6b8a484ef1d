"""The Python API: ``kg.load()``, the build cache and its invalidation, rdflib interop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg
import kg.curate.bundle as bundle
from kg.backends.memory import MemoryBackend
from kg.graph import KnowledgeGraph

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def data_copy(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    return root


def cache_files(directory: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in directory.glob("graph-*.nq")}


def test_load_returns_a_knowledge_graph(graph):
    assert isinstance(graph, KnowledgeGraph) and isinstance(graph, MemoryBackend)
    assert kg.KnowledgeGraph is KnowledgeGraph
    assert len(graph) > 5000
    assert "quads" in repr(graph)


def test_the_api_exposes_the_operations(mini):
    assert [e["id"] for e in mini.timeline()] == ["nsl-takes-effect", "closure-announcement"]
    assert mini.query("ASK { ?e a sem:Event }") is True
    assert mini.select("SELECT (COUNT(?e) AS ?n) WHERE { ?e a sem:Event }") == [{"n": 2}]
    assert mini.show("Agnes Callamard")["posts"] == [
        {"title": "Secretary General", "organisation": "Amnesty International", "edtf": None}
    ]
    assert mini.stats()["event_types"] == {"announcement": 1, "entry into force": 1}
    assert mini.export("nt").count(b"\n") == len({(q.subject, q.predicate, q.object) for q in mini.store})


def test_errors_are_importable_from_kg():
    assert issubclass(kg.DataError, kg.KGError)
    assert issubclass(kg.QueryError, kg.KGError)
    assert issubclass(kg.NotFound, kg.KGError)
    with pytest.raises(AttributeError):
        kg.no_such_name  # noqa: B018


def test_every_graph_kg_opens_has_the_operations_and_no_back_end_does(mini, tmp_path):
    """The operations live above the back ends (kg.graph): a store opened by kg.open_store
    shows and exports like the bundled graph; the back ends alone only answer the protocol."""
    from kg.backends import Backend
    from kg.backends.endpoint import EndpointBackend
    from kg.backends.loading import load_files
    from kg.backends.store import StoreBackend

    for public, back_end in ((kg.StoreGraph, StoreBackend), (kg.RemoteGraph, EndpointBackend)):
        assert issubclass(public, kg.KnowledgeGraph) and issubclass(public, back_end)
    for back_end in (MemoryBackend, StoreBackend, EndpointBackend):
        assert not any(hasattr(back_end, op) for op in ("timeline", "show", "export", "validate", "stats"))
    (tmp_path / "mini.nq").write_bytes(mini.export("nq"))
    with kg.open_store(tmp_path / "store", create=True) as store:
        load_files(store, [tmp_path / "mini.nq"])
        assert isinstance(store, kg.StoreGraph) and isinstance(store, Backend)
        assert store.timeline() == mini.timeline()
        event = mini.timeline()[0]["id"]
        assert store.show(event)["label"] == mini.show(event)["label"]


def test_second_load_uses_the_cache(cache_dir, data_copy, monkeypatch):
    first = kg.load(data_copy)
    files = cache_files(cache_dir)
    assert len(files) == 1

    def no_build(*args, **kwargs):
        raise AssertionError("the graph was rebuilt although nothing changed")

    monkeypatch.setattr(bundle, "build_nquads", no_build)
    second = kg.load(data_copy)
    assert cache_files(cache_dir) == files  # same file, same mtime
    assert len(second) == len(first)
    assert set(second.quads()) == set(first.quads())


def test_editing_the_yaml_invalidates_the_cache(cache_dir, data_copy):
    kg.load(data_copy)
    before = cache_files(cache_dir)
    path = data_copy / "places.yaml"
    path.write_text(path.read_text().replace("label: Hong Kong", "label: Hong Kong SAR"), encoding="utf-8")
    g = kg.load(data_copy)
    after = cache_files(cache_dir)
    assert len(after) == 1 and set(after) != set(before)  # a new cache file; the old one is gone
    assert g.select("SELECT ?l WHERE { ?p a sem:Place ; rdfs:label ?l }") == [{"l": "Hong Kong SAR"}]


def test_adding_a_data_file_invalidates_the_cache(cache_dir, data_copy):
    before = len(kg.load(data_copy))
    (data_copy / "actors" / "more.yaml").write_text(
        "- id: amnesty-hong-kong\n  kind: organisation\n  label: Amnesty Hong Kong\n  part_of: amnesty-international\n"
        "  evidence:\n    - source: amnesty-closing-article\n"
        '      quote: "Amnesty International will close its Hong Kong office"\n',
        encoding="utf-8",
    )
    g = kg.load(data_copy)
    assert len(g) > before
    assert g.select('SELECT ?a WHERE { ?a rdfs:label "Amnesty Hong Kong"@en }')
    assert len(cache_files(cache_dir)) == 1


def test_removing_a_data_file_invalidates_the_cache(cache_dir, data_copy):
    kg.load(data_copy)
    (data_copy / "places.yaml").rename(data_copy / "places.yaml.bak")
    with pytest.raises(kg.DataError, match="unknown place id 'hong-kong'"):  # events now point at nothing
        kg.load(data_copy)


def test_two_data_directories_keep_separate_caches(cache_dir, data_copy):
    a = kg.load(data_copy)
    b = kg.load(MINI)
    assert len(cache_files(cache_dir)) == 2
    assert len(a) == len(b)


def test_load_without_cache(cache_dir, data_copy):
    g = kg.load(data_copy, cache=False)
    assert not cache_files(cache_dir)
    assert len(g) == len(kg.load(data_copy))


def test_kg_data_environment(cache_dir, monkeypatch):
    monkeypatch.setenv("KG_DATA", str(MINI))
    assert len(kg.load().timeline()) == 2


def test_to_rdflib_has_the_same_quads(mini):
    import rdflib

    ds = mini.to_rdflib()
    assert isinstance(ds, rdflib.Dataset)
    assert len(list(ds.quads((None, None, None, None)))) == len(mini)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert graphs == {"https://w3id.org/hk-timeline-kg/graph/ontology", "https://w3id.org/hk-timeline-kg/graph/data"}


def test_to_rdflib_on_the_bundled_graph(graph):
    ds = graph.to_rdflib()
    assert len(list(ds.quads((None, None, None, None)))) == len(graph)


def test_show_gives_the_quote_behind_each_role(graph):
    """Roles are hk:RoleStatement nodes with quotes of their own: kg show lists them."""
    about = {q["about"] for q in graph.show("Li Zhanshu")["quotes"]}
    assert (
        "Open letter of 86 organisations to Li Zhanshu on the proposed national security law —addressee→ Li Zhanshu"
        in about
    )
