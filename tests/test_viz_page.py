"""The linked page of kg viz as a reader meets it, in headless Chromium with every request
outside the file blocked: readable at the first view (label sizes and overlaps measured on the
live vis-network instance), the signatories' cluster, filters that re-fit, the vis-timeline,
selection linked both ways, the state in the URL fragment, and the page at 1024 px."""

from __future__ import annotations

import json

import pytest
import test_viz

pytestmark = pytest.mark.browser
# the browser fixtures of test_viz: one headless Chromium, pages opened offline, `kg viz` runs
browser, open_page, viz = test_viz.browser, test_viz.open_page, test_viz.viz
LETTER = "https://w3id.org/hk-timeline-kg/id/event/open-letter-to-li-zhanshu"
AMNESTY = "https://w3id.org/hk-timeline-kg/id/actor/amnesty-international"

#: Each drawn node's label as vis-network drew it: its size on screen, its box, its degree.
DRAWN_LABELS = """() => {
  const s = network.getScale(), box = document.getElementById('mynetwork').getBoundingClientRect();
  return network.body.nodeIndices.map(id => {
    const n = network.body.nodes[id];
    const degree = n.edges.filter(e => e.options.hidden !== true).length;
    const px = n.labelModule.fontOptions.size * s;
    const drawn = !n.options.hidden && !!n.options.label && px >= n.options.scaling.label.drawThreshold - 1;
    const b = n.labelModule.size, tl = network.canvasToDOM({x: b.left, y: b.top});
    return {id, degree, px, drawn, hidden: !!n.options.hidden, cluster: !!n.options.kgCluster,
            x0: tl.x, y0: tl.y, x1: tl.x + b.width * s, y1: tl.y + b.height * s, w: box.width, h: box.height};
  });
}"""


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]:
                pairs.append((a["id"], b["id"]))
    return pairs


def visible_nodes_in_view(page) -> tuple[int, int, float]:
    """(visible nodes, those inside the drawing, the share of the drawing's width or height they span)."""
    return tuple(
        page.eval(
            """() => { const box = document.getElementById('mynetwork').getBoundingClientRect();
            const ids = network.body.nodeIndices.filter(id => !network.body.nodes[id].options.hidden);
            const ps = ids.map(id => network.canvasToDOM(network.getPosition(id)));
            const inside = ps.filter(p => p.x >= 0 && p.x <= box.width && p.y >= 0 && p.y <= box.height);
            const xs = ps.map(p => p.x), ys = ps.map(p => p.y);
            const span = Math.max((Math.max(...xs) - Math.min(...xs)) / box.width,
                                  (Math.max(...ys) - Math.min(...ys)) / box.height);
            return [ids.length, inside.length, ids.length > 1 ? span : 1]; }"""
        )
    )


def test_first_view_labels_are_readable_and_do_not_overlap(viz, open_page):
    path, nodes, _ = viz()
    page = open_page(path)
    page.page.set_viewport_size({"width": 1400, "height": 900})
    page.page.reload()
    page.page.wait_for_selector("body[data-drawn]", state="attached")
    page.page.wait_for_timeout(300)
    labels = page.eval(DRAWN_LABELS)
    drawn = [lab for lab in labels if lab["drawn"]]
    ranked = sorted((lab for lab in labels if not lab["hidden"]), key=lambda lab: -lab["degree"])
    threshold = ranked[29]["degree"]
    must = [lab for lab in ranked if lab["degree"] > threshold]
    assert len(must) >= 10
    assert all(lab["drawn"] and lab["px"] >= 11 for lab in must), [lab["id"] for lab in must if not lab["drawn"]]
    assert sum(1 for lab in drawn if lab["px"] >= 11 and lab["degree"] >= threshold) >= 30
    assert overlapping(drawn) == []
    assert all(lab["x0"] >= 0 and lab["x1"] <= lab["w"] and lab["y0"] >= 0 and lab["y1"] <= lab["h"] for lab in drawn)
    assert len(drawn) < nodes  # the rest wait for the zoom
    # level of detail: zooming in shows more labels, still apart and readable
    page.eval("network.moveTo({scale: network.getScale() * 2.5}); KG.relabel(); network.redraw()")
    page.page.wait_for_timeout(200)
    zoomed = [lab for lab in page.eval(DRAWN_LABELS) if lab["drawn"]]
    inside = [
        lab for lab in zoomed if lab["x1"] > 0 and lab["x0"] < lab["w"] and lab["y1"] > 0 and lab["y0"] < lab["h"]
    ]
    assert overlapping(inside) == [] and all(lab["px"] >= 11 for lab in inside)
    assert page.eval("KG.edgeFont * network.getScale()") < 8  # edge labels: not yet
    page.eval("network.moveTo({scale: 1.2}); KG.relabel()")
    assert page.eval("KG.edgeFont * network.getScale()") >= 9


#: The edge labels drawn (vis-network's own measure of each, turned along its edge: the box
#: around it on screen) and the node labels drawn, as boxes.
DRAWN_EDGE_LABELS = """() => {
  const s = network.getScale(), boxes = [];
  network.body.edgeIndices.forEach(id => {
    const e = network.body.edges[id], m = e.labelModule;
    if (!e.options.label || m.fontOptions.size * s < e.options.scaling.label.drawThreshold) return;
    const a = Math.atan2(e.to.y - e.from.y, e.to.x - e.from.x), c = Math.abs(Math.cos(a)), n = Math.abs(Math.sin(a));
    const w = m.size.width * s, h = m.size.height * s;
    const p = network.canvasToDOM({x: (e.from.x + e.to.x) / 2, y: (e.from.y + e.to.y) / 2});
    const bw = (w * c + h * n) / 2, bh = (w * n + h * c) / 2;
    boxes.push({id, x0: p.x - bw, x1: p.x + bw, y0: p.y - bh, y1: p.y + bh});
  });
  return boxes;
}"""


def test_edge_labels_show_as_the_view_zooms_in_and_overlap_no_label(viz, open_page):
    """Every edge label at once covered each other and the nodes' in a small view (an ego
    view opens zoomed in): those that fit are drawn, and more as one zooms in."""
    path, _, _ = viz("--ego", "Amnesty International", "--depth", "2")
    page = open_page(path)
    page.page.set_viewport_size({"width": 1400, "height": 900})
    page.page.reload()
    page.page.wait_for_selector("body[data-drawn]", state="attached")
    counts = []
    for scale in (None, 1.6, 3.0):
        if scale:
            page.eval(f"network.moveTo({{position: network.getPosition({json.dumps(AMNESTY)}), scale: {scale}}})")
            page.page.wait_for_timeout(300)
        edges = page.eval(DRAWN_EDGE_LABELS)
        nodes = [lab for lab in page.eval(DRAWN_LABELS) if lab["drawn"]]
        assert overlapping(edges) == [] and overlapping(edges + nodes) == overlapping(nodes) == []
        counts.append(len(edges))
    assert page.eval("network.getScale()") == 3.0
    assert 0 < counts[0] < counts[1] or 0 < counts[0] < counts[2]


#: Each label drawn, as the page estimates its box (KG.labelBox, KG.edgeLabelBox: what it places
#: labels by) and as vis-network drew it (its label module's size, on screen).
ESTIMATED_AND_DRAWN = """() => {
  const s = network.getScale(), out = [];
  network.body.nodeIndices.forEach(id => {
    const n = network.body.nodes[id], m = n.labelModule, px = m.fontOptions.size * s;
    if (n.options.hidden || !n.options.label || px < n.options.scaling.label.drawThreshold - 1) return;
    const e = KG.labelBox(id, px, s), tl = network.canvasToDOM({x: m.size.left, y: m.size.top});
    out.push({id, text: KG.labelText(id), label: n.options.label, estimate: [e.x0, e.y0, e.x1, e.y1],
              drawn: [tl.x, tl.y, tl.x + m.size.width * s, tl.y + m.size.height * s]});
  });
  network.body.edgeIndices.forEach(id => {
    const e = network.body.edges[id], m = e.labelModule;
    if (e.options.hidden || !e.options.label || m.fontOptions.size * s < e.options.scaling.label.drawThreshold) return;
    const a = Math.atan2(e.to.y - e.from.y, e.to.x - e.from.x), c = Math.abs(Math.cos(a)), n = Math.abs(Math.sin(a));
    const w = m.size.width * s, h = m.size.height * s, b = KG.edgeLabelBox(id, e.options.label, s);
    const p = network.canvasToDOM({x: (e.from.x + e.to.x) / 2, y: (e.from.y + e.to.y) / 2});
    const bw = (w * c + h * n) / 2, bh = (w * n + h * c) / 2;
    out.push({id, edge: true, estimate: [b.x0, b.y0, b.x1, b.y1], drawn: [p.x - bw, p.y - bh, p.x + bw, p.y + bh]});
  });
  return out;
}"""


def test_the_pages_label_boxes_are_those_vis_network_draws(viz, open_page):
    """The page places labels by its own estimate of their boxes (it cannot ask vis-network
    without giving every node its label): at the first view and zoomed in, the estimate of
    every node and edge label drawn is the box vis-network drew, to a tenth of a pixel."""
    path, _, _ = viz()
    page = open_page(path)
    page.page.set_viewport_size({"width": 1400, "height": 900})
    page.page.reload()
    page.page.wait_for_selector("body[data-drawn]", state="attached")
    seen = {"node": 0, "edge": 0}
    for scale in (None, 3.0):
        if scale:
            page.eval(f"network.moveTo({{position: network.getPosition({json.dumps(AMNESTY)}), scale: {scale}}})")
            page.page.wait_for_timeout(300)
        boxes = page.eval(ESTIMATED_AND_DRAWN)
        for box in boxes:
            seen["edge" if box.get("edge") else "node"] += 1
            assert box.get("text", "") == box.get("label", ""), box
            assert all(abs(a - b) < 0.1 for a, b in zip(box["estimate"], box["drawn"], strict=True)), box
    assert seen["node"] >= 30 and seen["edge"] >= 5, seen


def test_signatories_open_as_one_cluster_that_expands_on_click(viz, open_page, graph):
    path, _, _ = viz()
    page = open_page(path)
    signatories = graph.select(f"SELECT ?a WHERE {{ <{LETTER}> hk:signatory ?a }}")
    assert len(signatories) == 86
    cluster = page.eval("Object.keys(KG.clusters)[0]")
    assert page.eval(f"network.isCluster({json.dumps(cluster)})")
    assert page.eval(f"network.body.nodes[{json.dumps(cluster)}].options.label") == "86 signatories"
    members = page.eval(f"KG.clusters[{json.dumps(cluster)}].members")
    assert 80 <= len(members) <= 86 and set(members) <= {r["a"] for r in signatories}
    drawn = set(page.eval("network.body.nodeIndices"))
    assert not drawn & set(members)
    box = page.page.locator("#mynetwork").bounding_box()
    at = page.eval(f"network.canvasToDOM(network.getPosition({json.dumps(cluster)}))")
    page.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    page.page.wait_for_timeout(200)
    assert not page.eval(f"network.isCluster({json.dumps(cluster)})")
    assert set(members) <= set(page.eval("network.body.nodeIndices"))
    # they open where the layout put them (not stacked on the cluster's spot), zoomed in on, named
    spots = page.eval(
        f"""{json.dumps(members)}.map(m => network.canvasToDOM(network.getPosition(m)))
            .map(p => [Math.round(p.x), Math.round(p.y)])"""
    )
    assert len({tuple(s) for s in spots}) >= 0.9 * len(members)
    assert max(x for x, _ in spots) - min(x for x, _ in spots) > 300
    assert len(set(page.eval("KG.labelled")) & set(members)) >= 15
    assert "86 signatories" in page.page.text_content("#kg-details")
    names = page.eval("Array.from(document.querySelectorAll('#kg-details li button')).map(b => b.textContent)")
    assert len(names) == len(members) and "Article 19" in names
    assert "open=cluster" in page.eval("location.hash")


def test_each_filter_refits_the_view(viz, open_page):
    path, _, _ = viz()
    page = open_page(path)
    steps = [
        lambda: page.page.uncheck("input[data-class=organisation]"),
        lambda: page.page.uncheck('input[data-type="open letter"]'),
        lambda: (page.page.fill("#kg-from", "2021-01-01"), page.page.dispatch_event("#kg-from", "change")),
        lambda: page.page.click("#kg-reset"),
    ]
    scales = []
    for step in steps:
        step()
        page.page.wait_for_timeout(100)
        shown, inside, span = visible_nodes_in_view(page)
        assert shown > 0 and inside == shown and span > 0.5, (shown, inside, span)
        scales.append(page.eval("network.getScale()"))
        labels = [lab for lab in page.eval(DRAWN_LABELS) if lab["drawn"]]
        assert labels and overlapping(labels) == []
    assert scales[2] > 1.5 * scales[3]  # a few events from 2021 are drawn larger than everything


def test_timeline_holds_the_events_of_kg_timeline(viz, open_page, invoke, graph):
    path, _, _ = viz("--layout", "timeline")
    page = open_page(path)
    expected = json.loads(invoke("timeline", "--format", "json").output)
    items = page.eval(
        """timeline.itemsData.get().map(i => Object.assign({}, i, {
             start: new Date(i.start).toISOString().slice(0, 10),
             end: i.end && new Date(i.end).toISOString().slice(0, 10)}))"""
    )
    assert sorted(i["id"] for i in items) == sorted(e["iri"] for e in expected)
    by_id = {i["id"]: i for i in items}
    for e in expected:
        item = by_id[e["iri"]]
        certain = e["earliest_begin"] == e["latest_begin"] and e["earliest_end"] == e["latest_end"]
        assert item["start"] == e["earliest_begin"]
        if certain and (e["latest_end"] or e["earliest_begin"]) == e["earliest_begin"]:
            assert item["type"] == "point"
        else:  # a range through the last day the date may fall on
            assert item["type"] == "range" and item["end"] > max(filter(None, (e["latest_begin"], e["latest_end"])))
        assert ("kg-uncertain" in item["className"]) == (not certain)
    # lanes by type, and the first view: the bulk of the events, labels as text, readable
    lanes = page.eval("timeline.groupsData.get().map(g => g.kgLabel)")
    assert set(lanes) == {e["type"] for e in expected}
    window = page.eval("[timeline.getWindow().start, timeline.getWindow().end].map(d => d.toISOString().slice(0, 10))")
    begins = sorted(e["earliest_begin"] for e in expected)
    tenth = begins[int(0.1 * (len(begins) - 1))]
    assert window[0] <= tenth and window[0] > begins[0]  # the bulk, not the few old events
    assert window[1] >= max(e["latest_end"] or e["latest_begin"] for e in expected)
    shown = page.eval(
        """Array.from(document.querySelectorAll('#kg-timeline .vis-item-content')).filter(e => {
             const r = e.getBoundingClientRect(); return r.width > 0 && r.right > 0 && r.left < innerWidth; })
           .map(e => [e.textContent, parseFloat(getComputedStyle(e).fontSize)])"""
    )
    assert len(shown) >= 12 and all(size >= 11 for _, size in shown)
    assert page.eval("typeof timeline.getWindow === 'function' && typeof network.getPositions === 'function'")
    assert page.eval("document.body.classList.contains('kg-layout-timeline')")


#: The timeline's axis labels shown (not hidden) that its edges cut, and the year labels shown.
CUT_AXIS_LABELS = """() => {
  const panel = timeline.dom.top.getBoundingClientRect();
  const shown = Array.from(timeline.dom.top.querySelectorAll('.vis-time-axis .vis-text'))
    .filter(e => e.style.visibility !== 'hidden' && e.getBoundingClientRect().width > 0);
  const cut = shown.filter(e => { const b = e.getBoundingClientRect();
    return b.right > panel.right + 1 || b.left < panel.left - 1; }).map(e => e.textContent);
  return [cut, shown.filter(e => /^\\d{4}$/.test(e.textContent)).length];
}"""


def test_no_axis_label_is_cut_by_the_timelines_edge(viz, open_page):
    """The first view ended on a sliver of the next year: its label was drawn as "2"."""
    path, _, _ = viz("--layout", "timeline")
    page = open_page(path)
    for width, height in ((1400, 900), (1024, 768)):
        page.page.set_viewport_size({"width": width, "height": height})
        page.page.reload()
        page.page.wait_for_selector("body[data-drawn]", state="attached")
        page.page.wait_for_timeout(300)
        cut, years = page.eval(CUT_AXIS_LABELS)
        assert cut == [] and years >= 2
    for window in (("2019-11-20", "2020-01-03"), ("2020-05-03", "2020-08-01"), ("2017-06-01", "2022-01-05")):
        page.eval(f"timeline.setWindow({json.dumps(window[0])}, {json.dumps(window[1])}, {{animation: false}})")
        page.page.wait_for_timeout(300)
        assert page.eval(CUT_AXIS_LABELS)[0] == []


def test_the_bar_counts_the_events_outside_the_window_and_moves_to_them(viz, open_page, invoke):
    """The first view leaves the few old events (1984) out: the timeline's bar says so, and a
    click moves the timeline (and the network, which follows it) to the nearest of them."""
    path, _, _ = viz("--layout", "timeline")
    page = open_page(path)
    expected = json.loads(invoke("timeline", "--format", "json").output)
    start = page.eval("timeline.getWindow().start.toISOString().slice(0, 10)")
    before = [e for e in expected if (e["latest_end"] or e["latest_begin"]) < start]
    assert before and page.page.locator("#kg-later").is_hidden()
    nearest = max(before, key=lambda e: e["latest_end"] or e["latest_begin"])
    earlier = page.page.locator("#kg-earlier")
    count = f"{len(before)} earlier event{'s' if len(before) > 1 else ''}"
    assert (
        earlier.is_visible() and count in earlier.inner_text() and nearest["earliest_begin"][:4] in earlier.inner_text()
    )
    earlier.click()
    page.page.wait_for_timeout(300)
    window = page.eval("[timeline.getWindow().start, timeline.getWindow().end].map(d => d.toISOString().slice(0, 10))")
    assert window[0] <= nearest["earliest_begin"] <= window[1]
    assert page.page.locator("#kg-timeline .vis-item", has_text=nearest["label"][:30]).count() == 1
    later = page.page.locator("#kg-later")
    assert later.is_visible() and f"{len(expected) - len(before)} later events" in later.inner_text()
    shown = page.eval("network.body.data.nodes.get({filter: n => n.kgCat === 'event' && !n.hidden}).map(n => n.id)")
    assert nearest["iri"] in shown and len(shown) < len(expected)  # the network follows the window
    assert page.eval("document.getElementById('kg-from').value") == window[0]


def test_selection_is_linked_both_ways(viz, open_page, graph):
    path, _, _ = viz()
    page = open_page(path)
    page.eval(f"timeline.focus({json.dumps(LETTER)}, {{animation: false}})")
    page.page.wait_for_timeout(300)
    page.page.locator(".vis-item", has_text="Open letter of 86 organisations").first.click()
    page.page.wait_for_timeout(300)
    selected = set(page.eval("network.getSelectedNodes()"))
    li = "https://w3id.org/hk-timeline-kg/id/actor/li-zhanshu"
    assert {LETTER, li} <= selected and any(s.startswith("cluster:") for s in selected)
    assert "Open letter of 86 organisations" in page.page.text_content("#kg-details")
    # and from the network: an actor selects its events in the timeline
    page.eval("network.unselectAll(); timeline.setSelection([])")
    box = page.page.locator("#mynetwork").bounding_box()
    page.eval(f"network.focus({json.dumps(AMNESTY)}, {{scale: 1.2}})")
    at = page.eval(f"network.canvasToDOM(network.getPosition({json.dumps(AMNESTY)}))")
    page.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    page.page.wait_for_timeout(300)
    events = {e["iri"] for e in graph.timeline(actor="Amnesty International")}
    assert set(page.eval("timeline.getSelection()")) == events
    assert f"sel={AMNESTY}".replace(":", "%3A").replace("/", "%2F") in page.eval("location.hash")


def test_dragging_the_timeline_window_filters_the_network(viz, pw):
    """A real mouse drag, in a browser of its own: pointer input goes to the one page it shows."""
    from test_viz import BROWSER_ARGS, chromium_path

    path, nodes, _ = viz()
    chromium = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=BROWSER_ARGS)
    try:
        shown = chromium.new_page(viewport={"width": 1400, "height": 900})
        shown.route("**/*", lambda r: r.continue_() if r.request.url == path.resolve().as_uri() else r.abort())
        shown.goto(path.resolve().as_uri())
        shown.wait_for_selector("body[data-drawn]", state="attached", timeout=60_000)
        page = test_viz.Opened(shown, path.resolve().as_uri())
        _drag_and_check(page)
    finally:
        chromium.close()


def _drag_and_check(page) -> None:
    page.page.wait_for_timeout(1500)  # the first view settles (the network's fit animation) before the hand moves
    before = page.eval("timeline.getWindow().start.toISOString().slice(0, 10)")
    box = page.page.locator("#kg-timeline .vis-center").bounding_box()
    y = box["y"] + 40
    page.page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.page.mouse.down()
    page.page.wait_for_timeout(100)
    for k in range(1, 11):  # a hand's drag, to the right: earlier dates come into the window
        page.page.mouse.move(box["x"] + box["width"] * (0.3 + 0.05 * k), y)
        page.page.wait_for_timeout(30)
    page.page.mouse.up()
    page.page.wait_for_timeout(500)
    start, end = page.eval(
        "[timeline.getWindow().start, timeline.getWindow().end].map(d => d.toISOString().slice(0, 10))"
    )
    assert start < before  # it moved to earlier dates
    assert page.eval("document.getElementById('kg-from').value") == start
    assert page.eval("document.getElementById('kg-to').value") == end
    events = page.eval(
        "network.body.data.nodes.get({filter: n => n.kgCat === 'event' && !n.hidden})"
        ".map(n => [n.kgEb, n.kgLb || n.kgEb])"
    )
    assert events and all(lb >= start and eb <= end for eb, lb in events)
    assert page.eval("network.body.data.nodes.get({filter: n => n.hidden}).length") > 0
    assert f"from={start}" in page.eval("location.hash")


def test_state_in_the_fragment_reopens_the_same_view(viz, open_page):
    path, _, _ = viz()
    page = open_page(path)
    page.page.uncheck("input[data-class=person]")
    page.page.uncheck('input[data-type="statement"]')
    page.page.fill("#kg-to", "2020-12-31")
    page.page.dispatch_event("#kg-to", "change")
    page.eval(f"KG.select({json.dumps(AMNESTY)}, 'test')")
    state = page.eval(
        """() => [location.hash, network.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id).sort(),
                  document.getElementById('kg-to').value, network.getSelectedNodes().sort(),
                  document.getElementById('kg-details').textContent]"""
    )
    assert state[0].startswith("#") and "hide=person" in state[0] and "notype=statement" in state[0]
    again = open_page(path, fragment=state[0][1:])
    reopened = again.eval(
        """() => [location.hash, network.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id).sort(),
                  document.getElementById('kg-to').value, network.getSelectedNodes().sort(),
                  document.getElementById('kg-details').textContent]"""
    )
    assert reopened == state
    assert not again.eval("document.querySelector('input[data-class=person]').checked")


def test_the_timeline_layout_draws_the_timeline_first_and_reads_the_fragment(viz, open_page, invoke, graph):
    """On --layout timeline the timeline is drawn before the network is built (the network is
    most of the time of a big page); the state in the fragment still applies to both views."""
    path, _, _ = viz("--layout", "timeline")
    fragment = f"notype=statement&sel={AMNESTY}".replace(":", "%3A").replace("/", "%2F")
    page = open_page(path, fragment=fragment)
    timings = page.eval("KG.timings")
    assert timings["timeline"] <= timings["timelineDrawn"] <= timings["network"] <= timings["drawn"]
    expected = json.loads(invoke("timeline", "--format", "json").output)
    kept = {e["iri"] for e in expected if e["type"] != "statement"}
    assert len(kept) < len(expected)
    assert set(page.eval("timeline.itemsData.getIds()")) == kept
    events = {e["iri"] for e in graph.timeline(actor="Amnesty International")}
    assert set(page.eval("timeline.getSelection()")) == events & kept
    assert AMNESTY in page.eval("network.getSelectedNodes()")
    assert "Amnesty International" in page.page.text_content("#kg-details h2")
    assert page.eval("location.hash")[1:] == fragment
    assert page.errors == [] and page.extra_requests == []


def test_a_cited_date_window_reopens_the_timeline_on_it(viz, open_page):
    """The window dragged on the timeline is kept as the fragment's dates: reopened, the
    timeline shows that window (it opened on the whole record) and the network is filtered."""
    for layout in ("network", "timeline"):
        path, _, _ = viz("--layout", layout)
        page = open_page(path, fragment="from=2020-05-01&to=2020-07-31")
        window = page.eval(
            "[timeline.getWindow().start, timeline.getWindow().end].map(d => d.toISOString().slice(0, 10))"
        )
        assert window == ["2020-05-01", "2020-07-31"]
        events = page.eval(
            "network.body.data.nodes.get({filter: n => n.kgCat === 'event' && !n.hidden})"
            ".map(n => [n.kgEb, n.kgLb || n.kgEb])"
        )
        assert events and all(lb >= "2020-05-01" and eb <= "2020-07-31" for eb, lb in events)
        assert page.eval("document.getElementById('kg-from').value") == "2020-05-01"
        assert page.eval("location.hash") == "#from=2020-05-01&to=2020-07-31"


def test_page_at_1024_and_quotes_on_the_first_screen(viz, open_page):
    path, _, _ = viz()
    page = open_page(path)
    page.page.set_viewport_size({"width": 1024, "height": 768})
    page.page.reload()
    page.page.wait_for_selector("body[data-drawn]", state="attached")
    assert page.page.locator("#mynetwork").bounding_box()["width"] >= 800
    assert not page.page.locator("#kg-panel").is_visible()  # opens over the drawing when needed
    span = page.eval("timeline.getWindow().end - timeline.getWindow().start")
    page.eval(f"KG.select({json.dumps(LETTER)}, 'test')")
    assert page.page.locator("#kg-panel").is_visible()
    page.page.wait_for_timeout(600)  # the network's focus animation
    # the selected node and timeline item stay in sight, left of the panel; the timeline's zoom is kept
    panel = page.page.locator("#kg-panel").bounding_box()
    drawing = page.page.locator("#mynetwork").bounding_box()
    at = page.eval(f"network.canvasToDOM(network.getPosition({json.dumps(LETTER)}))")
    assert abs(drawing["x"] + at["x"] - (drawing["x"] + panel["x"]) / 2) < 40 and 0 < at["y"] < drawing["height"]
    item = page.page.locator("#kg-timeline .vis-item.vis-selected").first.bounding_box()
    assert item["x"] < panel["x"] - 20 and item["x"] > page.page.locator("#kg-timeline .vis-center").bounding_box()["x"]
    assert page.eval("timeline.getWindow().end - timeline.getWindow().start") == span
    quote = page.page.locator("#kg-details blockquote").first.bounding_box()
    assert quote["y"] + 20 < 768
    folded = page.eval("Array.from(document.querySelectorAll('#kg-details details')).map(d => [d.open, d.textContent])")
    assert any("signatory" in text and not opened for opened, text in folded)
    page.page.click("#kg-panel-close")
    assert not page.page.locator("#kg-panel").is_visible()
    page.page.click("#kg-controls-toggle")
    assert page.page.locator("#kg-controls").is_visible()
    page.page.click("#kg-timeline-toggle")
    assert not page.page.locator("#kg-timeline").is_visible()
    assert page.errors == [] and page.extra_requests == []
