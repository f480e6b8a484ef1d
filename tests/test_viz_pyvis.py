"""kg.viz.to_pyvis: a real pyvis network rendered through the project's page, and the pinned
JavaScript libraries the pages inline (version, SHA-256, licences)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import test_viz

from kg.viz import assets

browser, open_page, viz, hostile_data = test_viz.browser, test_viz.open_page, test_viz.viz, test_viz.hostile_data
VENDOR = Path(assets.__file__).parent / "static" / "vendor"


def test_to_pyvis_is_a_pyvis_network_a_user_can_customise(graph, tmp_path, open_page):
    from pyvis.network import Network

    from kg.viz import to_pyvis

    net = to_pyvis(graph, ego="Li Zhanshu", depth=2)
    assert isinstance(net, Network)
    assert len(net.get_nodes()) == len(net.nodes) == len(net.node_map) > 5
    net.toggle_physics(True)
    net.show_buttons(filter_=["physics"])
    net.add_node("urn:x-added", label="Added by hand", color="#ff0000")
    net.add_edge("urn:x-added", net.nodes[0]["id"], label="added")
    out = tmp_path / "custom.html"
    net.write_html(str(out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["custom.html"]  # no lib/ folder
    page = open_page(out)
    assert page.extra_requests == [] and page.errors == []
    assert page.eval("kgData.options.physics.enabled") is True
    assert page.eval("network.body.data.nodes.get('urn:x-added').color") == "#ff0000"
    assert page.eval("KG.labelText('urn:x-added')") == "Added by hand"  # drawn where it has room
    assert page.eval("document.querySelectorAll('#config .vis-configuration').length") > 0  # show_buttons()
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", text), "a resource outside the file"
    assert "bootstrap.min" not in text and "cdn.jsdelivr" not in text


def test_pyvis_and_kg_viz_draw_the_same_nodes_and_edges(graph, viz, open_page):
    from kg.viz import to_pyvis

    args = {"start": "2020-05-01", "end": "2020-07-31", "types": ["open letter"]}
    net = to_pyvis(graph, **args)
    path, nodes, edges = viz("--from", "2020-05-01", "--to", "2020-07-31", "--type", "open letter")
    page = open_page(path)
    drawn_nodes = page.eval("network.body.data.nodes.getIds().sort()")
    # vis-network's edges with their labels (given to it by level of detail, as they fit)
    drawn_edges = page.eval("network.body.data.edges.get().map(e => [e.from, e.to, KG.edgeById[e.id].label]).sort()")
    assert drawn_nodes == sorted(n["id"] for n in net.nodes) and len(drawn_nodes) == nodes
    assert drawn_edges == sorted([e["from"], e["to"], e["label"]] for e in net.edges) and len(drawn_edges) == edges


def test_pyvis_nodes_are_filled_in_one_pass(graph, monkeypatch):
    from pyvis.network import Network

    from kg.viz import to_pyvis

    def refuse(*args, **kwargs):
        raise AssertionError("add_node/add_edge scan lists: quadratic")

    monkeypatch.setattr(Network, "add_node", refuse)
    monkeypatch.setattr(Network, "add_edge", refuse)
    net = to_pyvis(graph)
    assert len(net.nodes) > 100 and net.node_map[net.nodes[0]["id"]] is net.nodes[0]


def test_hostile_strings_in_write_html(hostile_data, tmp_path, open_page):
    import kg
    from kg.viz import to_pyvis

    net = to_pyvis(kg.load(hostile_data), include_sources=True, ego=test_viz.XSS_IMG, depth=2)
    net.heading = test_viz.XSS_SCRIPT
    out = tmp_path / "hostile.html"
    net.write_html(out)
    page = open_page(out)
    assert page.dialogs == [] and page.errors == [] and page.extra_requests == []
    assert page.eval("document.querySelectorAll('img').length") == 0
    assert page.eval("document.scripts.length") == 4
    assert test_viz.XSS_IMG in page.eval("network.body.data.nodes.map(n => n.kgLabel)")


def test_vendored_libraries_are_the_pinned_npm_builds():
    manifest = json.loads((VENDOR / "vendor.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"vis-network", "vis-timeline"}
    for name, entry in manifest.items():
        data = (VENDOR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        banner = data[:600].decode("utf-8")
        assert f"@version {entry['version']}" in banner and entry["npm"] == f"{name}@{entry['version']}"
        for licence in entry["licences"]:
            assert (VENDOR / licence).read_text(encoding="utf-8").strip()
        assert assets.vendor(name).encode("utf-8") == data


def test_a_changed_library_is_refused(monkeypatch):
    from kg.errors import KGError

    entry = dict(assets.manifest()["vis-network"], sha256="0" * 64)
    monkeypatch.setitem(assets.manifest(), "vis-network", entry)
    assets.vendor.cache_clear()
    try:
        with pytest.raises(KGError, match="SHA-256"):
            assets.vendor("vis-network")
    finally:
        monkeypatch.undo()
        assets.vendor.cache_clear()


def test_page_scripts_parse():
    node = shutil.which("node")
    if node is None:
        pytest.fail("the page's scripts are checked with Node.js: apt-get install nodejs")
    app = Path(assets.__file__).parent / "static" / "app"
    for name in assets.APP:
        result = subprocess.run([node, "--check", str(app / name)], capture_output=True, text=True)
        assert result.returncode == 0, (name, result.stderr)
    assert not re.search(r"\.innerHTML\s*=", assets.app_js()), "data enters the page as text only"
