"""`kg viz --layout map` as a reader meets it, in headless Chromium with every request outside
the file blocked: the world outline drawn from the package's TopoJSON, one marker per event
whose place has coordinates (counted independently with SPARQL), the views' details panel on a
click, zoom and pan, the same selection options, hostile labels shown as text; and the same map
from an on-disk store and a SPARQL endpoint."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
import test_viz
import yaml
from servers import start_oxigraph, stop

import kg
from kg.backends.endpoint import push
from kg.backends.loading import load_files
from kg.graph import open_store
from kg.viz import map as kgmap

pytestmark = pytest.mark.browser
open_page, viz = test_viz.open_page, test_viz.viz
ROOT = Path(__file__).resolve().parent.parent
XSS_IMG = test_viz.XSS_IMG
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
#: Events with a place that has coordinates, or lies in a place that has: what the map draws.
PLACED = f"""
SELECT DISTINCT ?e WHERE {{
  ?e a sem:Event ; sem:hasPlace/schema:containedInPlace? ?p .
  {{ ?p schema:geo/schema:latitude ?lat }} UNION {{ ?p <{GEO}lat> ?lat }}
}}"""
EVENTS = "SELECT DISTINCT ?e WHERE { ?e a sem:Event }"
QUOTED = f"""
SELECT ?e ?exact WHERE {{
  {{ {PLACED} }}
  ?ann oa:hasBody ?e ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
}} ORDER BY ?e ?exact LIMIT 1"""


@pytest.fixture(scope="module")
def browser(pw, tmp_path_factory):
    """Headless Chromium for this module (test_viz's launch), on the session's Playwright."""
    context = test_viz.launch(pw, tmp_path_factory.mktemp("chromium-map"))
    context.set_offline(True)
    yield context
    context.close()


def placed(graph) -> set[str]:
    return {r["e"] for r in graph.select(PLACED)}


def page_data(html: str, block: str = "kg-data") -> dict:
    text = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S).group(1)
    return json.loads(text)


def markers_of(opened) -> list[str]:
    return opened.eval("Array.from(document.querySelectorAll('circle.kg-marker')).map(c => c.getAttribute('data-id'))")


def test_the_map_draws_the_world_and_one_marker_per_placed_event(viz, open_page, graph):
    path, nodes, _ = viz("--layout", "map")
    opened = open_page(path)
    expected = placed(graph)
    everything = {r["e"] for r in graph.select(EVENTS)}
    assert 0 < len(expected) < len(everything)  # the bundled graph has events on and off the map
    drawn = markers_of(opened)
    assert sorted(drawn) == sorted(expected)  # one marker each, no other
    # the outline: a land path spanning the world's width, and the borders and coast
    box = opened.eval(
        """() => { const shown = document.querySelectorAll('#kg-world-layer > g[display=inline]');
        const l = shown[0].querySelector('path.kg-land'), b = l.getBBox();
        return {shown: shown.length, w: b.width, h: b.height, d: l.getAttribute('d').length,
                borders: shown[0].querySelector('path.kg-borders').getAttribute('d').length}; }"""
    )
    assert box["shown"] == 1 and box["w"] >= 355 and box["h"] > 150 and box["d"] > 50_000 and box["borders"] > 10_000
    # the events without coordinates: counted in the caption, listed beside the map
    missing = len(everything) - len(expected)
    caption = opened.eval("document.getElementById('kg-caption').textContent")
    assert f"Map of {len(expected)} of {len(everything)} events" in caption
    assert f"{missing} events without coordinates" in caption
    assert opened.eval("document.querySelectorAll('#kg-unplaced li').length") == missing
    # every marker inside the first view, with the shared palette's colour of its type
    inside = opened.eval(
        """() => { const b = document.getElementById('kg-map').getBoundingClientRect();
        return Array.from(document.querySelectorAll('circle.kg-marker')).every(c => {
            const r = c.getBoundingClientRect();
            return r.left >= b.left && r.right <= b.right && r.top >= b.top && r.bottom <= b.bottom; }); }"""
    )
    assert inside
    html = path.read_text(encoding="utf-8")
    csp = opened.eval("document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "script-src 'sha256-" in csp
    assert "<script src" not in html and "http" not in csp
    data = page_data(html)
    colours = {t["label"]: t["color"] for t in data["eventTypes"]}
    types = {n["id"]: n.get("kgType", "no type") for n in data["nodes"]}
    fills = opened.eval(
        "Object.fromEntries(Array.from(document.querySelectorAll('circle.kg-marker'))"
        ".map(c => [c.dataset.id, c.getAttribute('fill')]))"
    )
    assert all(fills[e] == colours[types[e]] for e in fills)
    assert opened.extra_requests == [] and opened.errors == []


def test_a_click_opens_the_panel_with_type_date_and_quote(viz, open_page, graph):
    event, exact = next((r["e"], r["exact"]) for r in graph.select(QUOTED))
    path, _, _ = viz("--layout", "map")
    opened = open_page(path)
    opened.page.locator(f'circle.kg-marker[data-id="{event}"]').click()
    panel = opened.eval("document.getElementById('kg-details').textContent")
    assert exact in panel
    label = graph.labels([event])[event]
    assert opened.eval("document.querySelector('#kg-details h2').textContent") == label
    facts = graph.select(f"SELECT ?d ?t WHERE {{ <{event}> hk:edtf ?d ; sem:eventType/skos:prefLabel ?t }}")
    assert facts and str(facts[0]["d"]) in panel and str(facts[0]["t"]) in panel
    assert "Actors and relations" in panel
    selected = opened.eval("Array.from(document.querySelectorAll('circle.kg-selected')).map(c => c.dataset.id)")
    assert selected == [event]
    assert opened.extra_requests == []


#: Where a list item's bullet stands: an empty inline probe put first in each item of the panel
#: sits on the line the bullet does; its distance from the item's top, and the item's height.
BULLETS = """() => Array.from(document.querySelectorAll('#kg-details li')).map(li => {
  const probe = document.createElement('span'); probe.textContent = '\u200b';
  li.insertBefore(probe, li.firstChild);
  const r = [probe.getBoundingClientRect().top - li.getBoundingClientRect().top, li.getBoundingClientRect().height];
  probe.remove();
  return r;
})"""


def test_at_1024_px_the_panel_leaves_the_clicked_event_and_the_zoom_in_sight(viz, open_page, graph):
    """Below 1200 px the details float over the map's right side, where Hong Kong lies: the map
    moves the clicked marker out from under them, and the zoom buttons stand clear of them."""
    path, _, _ = viz("--layout", "map")
    opened = open_page(path)
    opened.page.set_viewport_size({"width": 1024, "height": 768})
    opened.eval("kgMap.fit()")
    counts = {}
    for event in sorted(placed(graph)):
        place = opened.eval(f"document.querySelector('circle.kg-marker[data-id=\"{event}\"]').getAttribute('cx')")
        counts[place] = counts.get(place, []) + [event]
    event = max(counts.values(), key=len)[0]  # one of Hong Kong's events, the same in every run
    opened.page.locator(f'circle.kg-marker[data-id="{event}"]').click()
    boxes = opened.eval(
        f"""() => {{ const r = e => {{ const b = e.getBoundingClientRect();
        return [b.left, b.top, b.right, b.bottom]; }};
        return {{panel: r(document.getElementById('kg-panel')), map: r(document.getElementById('kg-map')),
        marker: r(document.querySelector('circle.kg-marker[data-id="{event}"]')),
        zoom: r(document.getElementById('kg-zoom'))}}; }}"""
    )
    panel, area, marker, zoom = boxes["panel"], boxes["map"], boxes["marker"], boxes["zoom"]
    assert panel[0] < area[2] - 200  # the panel is open and floats over the map
    assert area[0] <= marker[0] and marker[2] <= panel[0] and area[1] <= marker[1] and marker[3] <= area[3]
    assert zoom[2] <= panel[0]
    # each bullet of the panel's lists on its item's first line, long names wrapping below
    bullets = opened.eval(BULLETS)
    assert bullets and any(height > 30 for _, height in bullets), (event, bullets)
    assert all(top < 12 for top, _ in bullets)


def test_zoom_and_pan(viz, open_page):
    path, _, _ = viz("--layout", "map")
    opened = open_page(path)
    page = opened.page
    box = page.locator("#kg-map").bounding_box()
    before = opened.eval("({...kgMap.view})")
    # the world drawn whole is thinned
    layers = (
        "() => [...document.querySelectorAll('#kg-world-layer > g')]"
        ".map(g => [g.className.baseVal, g.getAttribute('display')])"
    )
    assert sorted(opened.eval(layers)) == [["kg-coarse", "inline"], ["kg-detail", "none"]]
    first = opened.eval("document.querySelector('circle.kg-marker').getAttribute('cx')")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_timeout(100)
    zoomed = opened.eval("({...kgMap.view})")
    assert zoomed["k"] > before["k"] * 1.5
    assert opened.eval("document.querySelector('circle.kg-marker').getAttribute('cx')") != first
    # a drag pans by the pointer's move and opens nothing
    x, y = box["x"] + 40, box["y"] + box["height"] - 40
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y - 60, steps=5)
    page.mouse.up()
    panned = opened.eval("({...kgMap.view})")
    assert round(panned["tx"] - zoomed["tx"]) == 120 and round(panned["ty"] - zoomed["ty"]) == -60
    # zoomed in to a place, every point of the 1:50m outline
    page.locator("#kg-places button").first.click()
    assert sorted(opened.eval(layers)) == [["kg-coarse", "none"], ["kg-detail", "inline"]]
    page.locator("#kg-zoom-fit").click()
    assert opened.eval("kgMap.view.k") == pytest.approx(before["k"])


def test_the_same_selection_options_as_the_other_views(viz, open_page, graph):
    coords = placed(graph)
    path, _, _ = viz("--layout", "map", "--from", "2020-06-01", "--to", "2021-12-31")
    window = {e.iri for e in graph.events(start="2020-06-01", end="2021-12-31")}
    assert sorted(markers_of(open_page(path))) == sorted(window & coords)
    path, _, _ = viz("--layout", "map", "--type", "protest")
    protests = {e.iri for e in graph.events(type="protest")}
    assert protests and sorted(markers_of(open_page(path))) == sorted(protests & coords)
    # --ego: the events of the network view of the same ego, those with coordinates
    net, _, _ = viz("--ego", "Amnesty International")
    net_data = page_data(net.read_text(encoding="utf-8"))
    ego_events = {n["id"] for n in net_data["nodes"] if n["kgCat"] == "event"}
    path, _, _ = viz("--layout", "map", "--ego", "Amnesty International")
    assert sorted(markers_of(open_page(path))) == sorted(ego_events & coords) != []
    # and the panel has the same facts and quotes to show as the network's
    map_data = page_data(path.read_text(encoding="utf-8"))
    assert map_data["quotes"] == net_data["quotes"] and map_data["edges"] == net_data["edges"]


@pytest.fixture
def hostile_data(tmp_path) -> Path:
    """The bundled data with a script injection as the label of an event in Hong Kong and of Hong Kong itself."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    events = data / "events" / "2019-extradition-bill.yaml"
    records = yaml.safe_load(events.read_text(encoding="utf-8"))
    next(r for r in records if r.get("place") == "hong-kong")["label"] = XSS_IMG
    events.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    places = data / "places.yaml"
    records = yaml.safe_load(places.read_text(encoding="utf-8"))
    next(r for r in records if r["id"] == "hong-kong")["label"] = XSS_IMG + " HK"
    places.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


def test_hostile_labels_stay_text(viz, open_page, hostile_data):
    path, _, _ = viz("--layout", "map", data=hostile_data)
    html = path.read_text(encoding="utf-8")
    assert "<img" not in html.lower()
    opened = open_page(path)
    hit = opened.eval(
        f"""() => Array.from(document.querySelectorAll('circle.kg-marker'))
            .filter(c => c.querySelector('title').textContent.startsWith({json.dumps(XSS_IMG)}))
            .map(c => c.dataset.id)"""
    )
    assert len(hit) == 1
    opened.page.locator(f'circle.kg-marker[data-id="{hit[0]}"]').click()
    assert opened.eval("document.querySelector('#kg-details h2').textContent") == XSS_IMG
    texts = opened.eval("Array.from(document.querySelectorAll('.kg-place-label')).map(t => t.textContent)")
    assert any(t.startswith(XSS_IMG[:20]) for t in texts)  # shortened on the map, whole in the list
    places = opened.eval("Array.from(document.querySelectorAll('#kg-places button')).map(b => b.textContent)")
    assert XSS_IMG + " HK" in places
    assert opened.eval("document.querySelectorAll('img').length") == 0
    assert opened.dialogs == [] and opened.extra_requests == [] and opened.errors == []


def test_store_and_endpoint_draw_the_same_map(graph, tmp_path):
    memory = kgmap.map_view(graph, start="2019-01-01")
    (tmp_path / "g.nq").write_bytes(graph.export("nq"))
    with open_store(tmp_path / "store", create=True) as store:
        load_files(store, [tmp_path / "g.nq"])
    with kg.open_store(tmp_path / "store") as store:
        stored = kgmap.map_view(store, start="2019-01-01")
    proc, base = start_oxigraph(tmp_path / "oxigraph")
    try:
        push(graph, f"{base}/store")
        remote = kgmap.map_view(kg.open_graph(endpoint=f"{base}/query"), start="2019-01-01")
    finally:
        stop(proc)
    want = page_data(memory.html)["markers"]
    assert want and page_data(stored.html)["markers"] == want == page_data(remote.html)["markers"]
    assert memory.extra == stored.extra == remote.extra
    assert kgmap.map_view(graph, start="2019-01-01").html == memory.html  # byte for byte


def test_the_world_is_the_pinned_package_data():
    folder = ROOT / "kg" / "viz" / "static" / "map"
    for name, entry in kgmap.manifest().items():
        assert hashlib.sha256((folder / entry["file"]).read_bytes()).hexdigest() == entry["sha256"], name
        assert entry["npm"] == f"{name}@{entry['version']}"
        assert all((folder / lic).read_text(encoding="utf-8").startswith("Copyright") for lic in entry["licences"])
    world = json.loads(kgmap.package_file("world-atlas"))
    assert world["type"] == "Topology" and len(world["objects"]["countries"]["geometries"]) > 200
    assert kgmap.package_file("topojson-client").startswith("// https://github.com/topojson/topojson-client v3.1.0")


def test_nearby_places_are_drawn_as_one_until_zoomed_in(invoke, open_page, tmp_path):
    """The ACLED and GDELT samples imported into a store: three places in Hong Kong a few km
    apart share one sunflower at the first view and part when zoomed in; one marker per event
    throughout."""
    store = tmp_path / "store"
    for table, mapping in (("acled-hong-kong.csv", "acled"), ("gdelt-sample.export.CSV", "gdelt")):
        result = invoke("import", str(ROOT / "examples" / table), "--mapping", mapping, "--store", str(store))
        assert result.exit_code == 0, result.output
    page_path = tmp_path / "map.html"
    result = invoke("--store", str(store), "viz", "--layout", "map", "-o", str(page_path))
    assert result.exit_code == 0, result.output
    with kg.open_store(store) as g:
        expected = placed(g)
        places = {r["p"] for r in g.select(PLACED.replace("?e WHERE", "?e ?p WHERE"))}
    opened = open_page(page_path)
    labels = "() => Array.from(document.querySelectorAll('.kg-place-label')).map(t => t.textContent)"
    assert sorted(markers_of(opened)) == sorted(expected) and len(expected) >= 6
    first = opened.eval(labels)
    merged = [t for t in first if " + 2 places \u00b7 " in t]
    assert len(merged) == 1 and len(first) < len(places)
    button = opened.page.locator("#kg-places button", has_text="Admiralty")
    button.click()
    zoomed = opened.eval(labels)
    assert "Admiralty \u00b7 2" in zoomed and "Kowloon \u00b7 1" in zoomed and not any(" + " in t for t in zoomed)
    assert sorted(markers_of(opened)) == sorted(expected)
    assert opened.extra_requests == [] and opened.errors == []


def test_the_selection_is_in_the_url_and_the_keyboard_selects(viz, open_page, graph):
    event, exact = next((r["e"], r["exact"]) for r in graph.select(QUOTED))
    path, _, _ = viz("--layout", "map")
    opened = open_page(path, fragment="sel=" + quote(event, safe=""))
    assert exact in opened.eval("document.getElementById('kg-details').textContent")
    assert opened.eval("document.querySelector('circle.kg-selected').dataset.id") == event
    other = next(e for e in markers_of(opened) if e != event)
    opened.page.locator(f'circle.kg-marker[data-id="{other}"]').focus()
    opened.page.keyboard.press("Enter")
    assert opened.eval("document.querySelector('#kg-details h2').textContent") == graph.labels([other])[other]
    assert opened.eval("new URLSearchParams(location.hash.slice(1)).get('sel')") == other
    assert opened.extra_requests == [] and opened.errors == []
