"""The interactive views (kg viz, kg.viz) in a real headless browser, and kg timeline --plot.

Chromium (Debian's ``chromium`` package, or $KG_CHROMIUM) is driven through playwright; one
browser, with a new empty profile, serves the whole session. Every page is opened with all
network access blocked and every request counted. The tests do not skip when the browser is
missing: they fail and say how to install it.

The README's screenshots are made by ``python3 benchmarks/screenshots.py``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COUNTS = re.compile(r"(\d+) nodes, (\d+) edges")


def chromium_path() -> str:
    found = os.environ.get("KG_CHROMIUM") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome") if Path(p).exists()),
        None,
    )
    if not found:
        pytest.fail("the browser tests need Chromium: apt-get install chromium (or set $KG_CHROMIUM)")
    return found


def launch(playwright, profile: Path):
    """A persistent context on a new, empty profile directory: Chromium with nothing that phones home."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium_path(),
        headless=True,
        args=BROWSER_ARGS,
        viewport={"width": 1400, "height": 860},
        service_workers="block",
    )


@pytest.fixture(scope="session")
def browser(pw, tmp_path_factory):
    """One headless Chromium for the session (a persistent context on a fresh profile), shared
    by the test files that take this fixture."""
    context = launch(pw, tmp_path_factory.mktemp("chromium-profile"))
    context.set_offline(True)
    yield context
    context.close()


class Opened:
    """A page opened offline, with what it tried to fetch, the dialogs it opened and its errors."""

    def __init__(self, page, url: str):
        self.page, self.url = page, url
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def eval(self, js: str, arg=None):
        return self.page.evaluate(js, arg)

    @property
    def extra_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url]


@pytest.fixture
def open_page(browser):
    """``open_page(path)`` -> :class:`Opened`, drawn; every request but the file's own is aborted and counted."""
    pages = []

    def open_(
        path: Path | None = None, *, content: str | None = None, wait: bool = True, fragment: str | None = None
    ) -> Opened:
        page = browser.new_page()
        pages.append(page)
        url = path.resolve().as_uri() if path else "about:blank"
        opened = Opened(page, url)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        if content is not None:
            page.set_content(content)
        else:
            page.goto(url + (f"#{fragment}" if fragment else ""))
        if wait and path is not None:
            page.wait_for_selector("body[data-drawn]", state="attached", timeout=60_000)
        return opened

    yield open_
    for page in pages:
        page.close()


@pytest.fixture
def viz(invoke, tmp_path, monkeypatch):
    """``viz("--layout", "timeline")`` -> (path of the page, nodes, edges) as the CLI reports them."""
    cwd, pages = tmp_path / "cwd", tmp_path / "pages"
    cwd.mkdir()
    pages.mkdir()
    monkeypatch.chdir(cwd)  # a stray lib/ folder would land here
    made = []

    def run(*args: str, data: Path | None = None, name: str | None = None):
        out = pages / (name or f"view{len(made)}.html")
        pre = ["--data", str(data)] if data else []
        result = invoke(*pre, "viz", *args, "-o", str(out))
        assert result.exit_code == 0, result.output
        nodes, edges = map(int, COUNTS.search(result.output).groups())
        made.append(out)
        return out, nodes, edges

    yield run
    assert list(cwd.iterdir()) == [], "files written in the working directory"
    assert sorted(p.name for p in pages.iterdir()) == sorted(p.name for p in made), "files beside the pages"


def drawn_counts(opened: Opened) -> tuple[int, int]:
    return tuple(opened.eval("[network.body.data.nodes.length, network.body.data.edges.length]"))


def painted_pixels(opened: Opened) -> int:
    """Pixels of the network's canvas that are not background."""
    return opened.eval(
        """() => {
        const c = document.querySelector('#mynetwork canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++;
        }
        return n;
    }"""
    )


# ------------------------------------------------------------------------------ offline, correct


@pytest.mark.parametrize("layout", ["network", "timeline"])
def test_whole_graph_draws_offline_with_the_reported_counts(viz, open_page, graph, layout):
    path, nodes, edges = viz("--layout", layout)
    page = open_page(path)
    assert page.extra_requests == [], "the page tried to fetch something"
    assert page.errors == []
    assert drawn_counts(page) == (nodes, edges)
    assert painted_pixels(page) > 2000, "nothing was drawn"
    assert page.eval("typeof network.getPositions") == "function"  # the global vis-network instance
    assert nodes > 100 and edges > 100
    text = path.read_text(encoding="utf-8")
    assert "bootstrap" not in text.lower() and "cdn.jsdelivr" not in text and "cdnjs" not in text
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", text), "a resource outside the file"
    assert page.eval("document.title").startswith("Hong Kong 2019–2021 timeline")
    caption = page.eval("document.getElementById('kg-caption').textContent")
    assert f"{nodes} nodes and {edges} edges" in caption
    import kg

    assert f"hk-timeline-kg {kg.__version__}" in caption and "fingerprint" in caption


@pytest.mark.parametrize(
    "args",
    [
        ("--ego", "Amnesty International", "--depth", "2"),
        ("--from", "2020-05-01", "--to", "2020-07-31", "--type", "open letter"),
        ("--type", "statement", "--type", "legislation", "--layout", "timeline"),
        ("--sources", "--ego", "Li Zhanshu"),
        ("--layout", "timeline", "--lanes", "actor"),
    ],
    ids=["ego", "dates-and-type", "two-types-timeline", "sources", "lanes-by-actor"],
)
def test_filtered_views_draw_what_the_cli_reports(viz, open_page, args):
    path, nodes, edges = viz(*args)
    page = open_page(path)
    assert page.extra_requests == [] and page.errors == []
    assert drawn_counts(page) == (nodes, edges)
    assert 0 < nodes <= 174  # events, actors and places of the whole graph


def test_type_and_date_filters_select_the_right_events(graph):
    from kg import viz

    G, words = viz.select(graph, start="2020-05-01", end="2020-07-31", types=["open letter"])
    events = [d for _, d in G.nodes(data=True) if d["kind"] == "event"]
    assert events and all(d["type"] == "open letter" for d in events)
    assert all(d["latest_begin"] >= "2020-05-01" and d["earliest_begin"] <= "2020-07-31" for d in events)
    expected = {e["iri"] for e in graph.timeline(start="2020-05-01", end="2020-07-31", type="open letter")}
    assert {d["iri"] for d in events} == expected
    assert any("open letter" in w for w in words)
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert "organisation" in kinds  # the signatories stay with their letter


@pytest.mark.parametrize(
    "selection",
    [
        {"start": "2020-05-01", "end": "2020-07-31", "types": ["open letter"]},
        {"start": "2021-01-01"},
        {"types": ["statement", "legislation"]},
        {"ego": "Amnesty International", "depth": 2},
        {"ego": "Li Zhanshu", "include_sources": True},
        {"ego": "Sophie Richardson", "depth": 2},
    ],
    ids=["dates-and-type", "from", "types", "ego-2", "ego-sources", "ego-post"],
)
def test_views_read_only_their_selection_and_equal_the_whole_projection(graph, selection):
    """The selection reads events and neighbourhoods through the graph's interface; it draws
    what filtering the projection of the whole graph would."""
    import networkx as nx

    from kg import viz
    from kg.backends.lookup import find
    from kg.network import project

    expected = project(
        graph,
        start=selection.get("start"),
        end=selection.get("end"),
        include_sources=selection.get("include_sources", False),
    ).copy()
    if selection.get("types"):
        wanted = {e.iri for t in selection["types"] for e in graph.events(type=t)}
        expected.remove_nodes_from(
            [n for n, d in list(expected.nodes(data=True)) if d["kind"] == "event" and n not in wanted]
        )
        linked = {m for e in wanted if e in expected for m in nx.all_neighbors(expected, e)}
        expected.remove_nodes_from([n for n in list(expected) if n not in wanted and n not in linked])
    if selection.get("ego"):
        center = next(h for h in find(graph, selection["ego"]) if h in expected)
        expected = nx.ego_graph(expected, center, radius=selection.get("depth", 1), undirected=True)
    G, _ = viz.select(graph, **selection)

    def edges(g):
        return sorted((u, v, k, d["label"], d["role"] or "") for u, v, k, d in g.edges(keys=True, data=True))

    def nodes(g):
        return {n: {k: v for k, v in d.items() if k not in ("start", "end")} for n, d in g.nodes(data=True)}

    assert nodes(G) == nodes(expected) and len(G) > 3
    assert edges(G) == edges(expected)


def test_statements_read_at_once_are_those_looked_up_node_by_node(graph):
    """A view's reified statements (relations, roles) are read all at once when the graph has
    no more of them than nodes are drawn, else node by node: both give the same rows."""
    import sys

    from kg import viz

    statements = sys.modules["kg.viz.evidence"]._statements
    G, _ = viz.select(graph, include_sources=True)
    whole = statements(graph, set(G.nodes))  # all the graph's statements, kept for the nodes
    few = set(sorted({row[0] for row in whole})[:12])  # fewer nodes than statements: one by one
    assert len(whole) > len(few) > 3
    assert sorted(statements(graph, few)) == sorted(row for row in whole if row[0] in few)


def test_a_store_and_an_endpoint_draw_what_the_bundled_graph_draws(graph, tmp_path):
    """The same selections, quotes and links from an on-disk store and a SPARQL endpoint (a
    stock Oxigraph server) as from the bundled graph; a store's page names its data by the
    event index's token; a busy actor or a type with too many events is refused above the
    node limit before its events are read (from the engine's counts), with the same message."""
    from servers import start_oxigraph, stop

    import kg
    from kg import site, viz
    from kg.backends.endpoint import push
    from kg.backends.loading import load_files
    from kg.errors import UsageError

    selections = [
        {"start": "2020-05-01", "end": "2020-07-31", "types": ["open letter"]},
        {"ego": "Amnesty International", "depth": 2, "include_sources": True},
        {"ego": "Sophie Richardson", "depth": 2},
        {"ego": "Li Zhanshu", "include_sources": True},
    ]

    def drawn(g) -> list:
        out = []
        for selection in selections:
            G, words = viz.select(g, **selection)
            people = {n for n, kind in G.nodes(data="kind") if kind == "person"}
            edges = sorted((u, v, d["label"]) for u, v, d in G.edges(data=True))
            out.append((sorted(G.nodes), edges, words, viz.evidence(g, set(G.nodes), people)))
        with pytest.raises(UsageError, match=r"at least 10 nodes, more than the limit of 5 nodes") as refused:
            viz.select_within(g, ego="Amnesty International", node_limit=5)
        with pytest.raises(UsageError, match=r"at least 10 events, more than the limit of 3 nodes") as by_type:
            viz.select_within(g, types=["statement"], node_limit=3)
        return [out, str(refused.value), str(by_type.value)]

    want = drawn(graph)
    assert all(quotes for *_, (quotes, _) in want[0]) and any(urls for *_, (_, urls) in want[0])
    assert any(quote[2] and quote[3] for *_, (quotes, _) in want[0] for qs in quotes.values() for quote in qs)
    (tmp_path / "g.nq").write_bytes(graph.export("nq"))
    with kg.open_store(tmp_path / "store", create=True) as store:
        load_files(store, [tmp_path / "g.nq"])
    with kg.open_store(tmp_path / "store", read_only=True) as store:
        assert drawn(store) == want
        key = viz.fingerprint(store)
        assert re.fullmatch(r"[0-9a-f]{16}", key) and key == viz.fingerprint(store) != viz.fingerprint(graph)
    # the bundled graph's pages cite the data fingerprint the site and its CITATION give
    assert viz.fingerprint(graph) == site.meta_of(site.nquads_of(graph))["fingerprint"][:16]
    proc, base = start_oxigraph(tmp_path / "oxigraph")
    try:
        push(graph, f"{base}/store")
        with kg.open_graph(endpoint=f"{base}/query") as remote:
            assert drawn(remote) == want
    finally:
        stop(proc)


def test_query_construct_and_select(viz, open_page, tmp_path, graph):
    construct = tmp_path / "signatories.rq"
    construct.write_text("CONSTRUCT { ?e hk:signatory ?a } WHERE { ?e hk:signatory ?a }\n", encoding="utf-8")
    select = tmp_path / "addressees.rq"
    select.write_text("SELECT ?e ?a WHERE { ?e hk:addressee ?a }\n", encoding="utf-8")
    signatories = graph.select("SELECT ?e ?a WHERE { ?e hk:signatory ?a }")
    path, nodes, edges = viz("--query", str(construct))
    assert edges == len({(r["e"], r["a"]) for r in signatories})
    assert nodes == len({r["e"] for r in signatories} | {r["a"] for r in signatories})
    page = open_page(path)
    assert drawn_counts(page) == (nodes, edges)
    labels = set(page.eval("kgData.edges.map(e => e.label)"))
    assert labels == {"signatory"}
    assert "Human Rights Watch" in page.eval("kgData.nodes.map(n => n.label)")
    path, nodes, edges = viz("--query", str(select))
    rows = graph.select("SELECT ?e ?a WHERE { ?e hk:addressee ?a }")
    assert nodes == len({r["e"] for r in rows} | {r["a"] for r in rows})
    page = open_page(path)
    assert drawn_counts(page) == (nodes, edges)
    assert "addressee" in set(page.eval("kgData.edges.map(e => e.label)"))


def test_ask_query_and_bad_names_are_refused(invoke, tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    result = invoke("viz", "--query", str(ask), "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2 and "CONSTRUCT or a SELECT" in result.output
    result = invoke("viz", "--ego", "Nobody at all", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 5
    result = invoke("viz", "--from", "2020-13-01", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert not (tmp_path / "x.html").exists()


def test_node_limit_refuses_with_advice(invoke, tmp_path):
    result = invoke("viz", "--node-limit", "50", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    for hint in ("--ego", "--from/--to", "--type"):
        assert hint in result.output
    assert not (tmp_path / "x.html").exists()
    result = invoke("viz", "--node-limit", "50", "--ego", "Li Zhanshu", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 0


# ------------------------------------------------------------------------------ in-page filters


def test_in_page_filters_hide_and_show_nodes(viz, open_page):
    path, nodes, edges = viz()
    page = open_page(path)
    visible = "network.body.data.nodes.get({filter: n => !n.hidden}).length"
    orgs = page.eval("network.body.data.nodes.get({filter: n => n.kgCat === 'organisation'}).length")
    page.page.uncheck("input[data-class=organisation]")
    assert page.eval(visible) == nodes - orgs
    assert page.eval("network.body.data.nodes.get({filter: n => n.hidden && n.kgCat !== 'organisation'}).length") == 0
    assert f"Showing {nodes - orgs} of {nodes} nodes" in page.page.text_content("#kg-status")
    # edges to hidden nodes are hidden too
    assert page.eval(
        """network.body.data.edges.get({filter: e => !e.hidden}).every(e =>
           !network.body.data.nodes.get(e.from).hidden && !network.body.data.nodes.get(e.to).hidden)"""
    )
    page.page.click("#kg-reset")
    assert page.eval(visible) == nodes
    # an event type: its events go, and the actors only they involve
    letters = page.eval("network.body.data.nodes.get({filter: n => n.kgType === 'open letter'}).map(n => n.id)")
    page.page.uncheck('input[data-type="open letter"]')
    hidden = set(page.eval("network.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id)"))
    assert set(letters) <= hidden and len(hidden) > len(letters)
    # what stays hidden is linked to no visible event
    assert page.eval(
        """network.body.data.nodes.get({filter: n => n.hidden && n.kgCat !== 'event'}).every(n =>
           network.getConnectedNodes(n.id).every(m => network.body.data.nodes.get(m).kgCat !== 'event'
                                                     || network.body.data.nodes.get(m).hidden))"""
    )
    page.page.click("#kg-reset")
    # a date range, without a reload
    page.page.fill("#kg-from", "2021-01-01")
    page.page.dispatch_event("#kg-from", "change")
    shown = page.eval(
        "network.body.data.nodes.get({filter: n => !n.hidden && n.kgCat === 'event'}).map(n => n.kgLb || n.kgEb)"
    )
    assert shown and all(d >= "2021-01-01" for d in shown)
    assert page.eval("network.body.data.nodes.get({filter: n => n.hidden && n.kgCat === 'event'}).length") > 20
    assert page.eval("network.body.data.nodes.length") == nodes  # nothing was reloaded or removed
    assert page.requests == [page.url]


def test_click_shows_details_quotes_and_actors(viz, open_page, graph):
    path, _, _ = viz()
    page = open_page(path)
    letter = "https://w3id.org/hk-timeline-kg/id/event/open-letter-to-li-zhanshu"
    if not page.eval(f"network.body.data.nodes.get({json.dumps(letter)}) !== null"):
        letter = page.eval("network.body.data.nodes.get({filter: n => n.kgType === 'open letter'})[0].id")
    at = page.eval(f"network.canvasToDOM(network.getPosition({json.dumps(letter)}))")
    network_box = page.page.locator("#mynetwork").bounding_box()
    page.eval(f"network.focus({json.dumps(letter)}, {{scale: 1.2}})")
    at = page.eval(f"network.canvasToDOM(network.getPosition({json.dumps(letter)}))")
    page.page.mouse.click(network_box["x"] + at["x"], network_box["y"] + at["y"])
    panel = page.page.text_content("#kg-panel")
    info = graph.show(letter)
    assert info["label"] in panel
    assert "open letter" in panel and "signatory" in panel and "addressee" in panel
    assert "Li Zhanshu" in panel
    edtf = page.eval(f"network.body.data.nodes.get({json.dumps(letter)}).kgEdtf")
    assert edtf and edtf in panel
    quote = next(q for q in info["quotes"] if q["about"] == "itself")
    assert quote["quote"] in panel and quote["source_title"] in panel
    hrefs = page.eval("Array.from(document.querySelectorAll('#kg-panel a')).map(a => a.getAttribute('href'))")
    assert all(h.startswith(("http://", "https://")) for h in hrefs)


# ------------------------------------------------------------------------------ safe


@pytest.fixture
def hostile_data(tmp_path) -> Path:
    """The mini fixture with script injections in an actor's label, an event's label, a quote
    and a source title."""
    data = tmp_path / "hostile-data"
    shutil.copytree(MINI, data)

    def edit(name: str, change) -> None:
        path = data / name
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(records)
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def actors(records):
        next(r for r in records if r["id"] == "amnesty-international")["label"] = XSS_IMG

    def events(records):
        ev = next(r for r in records if r["id"] == "closure-announcement")
        ev["label"] = f"{XSS_SCRIPT} closes"
        ev["evidence"][0]["quote"] = f"{XSS_IMG} said {XSS_SCRIPT}"

    def sources(records):
        next(r for r in records if r["id"] == "amnesty-closing-article")["title"] = f"{XSS_SCRIPT}{XSS_IMG}"

    edit("actors/main.yaml", actors)
    edit("events/closure.yaml", events)
    edit("sources.yaml", sources)
    return data


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_hostile_strings_are_shown_literally_and_run_nothing(viz, open_page, hostile_data, tmp_path, csp):
    path, nodes, edges = viz("--sources", "--ego", XSS_IMG, "--depth", "2", data=hostile_data)
    if not csp:  # the Content-Security-Policy is a second wall: the escaping must hold without it
        text = path.read_text(encoding="utf-8")
        text, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
        assert n == 1
        path.write_text(text, encoding="utf-8")
    page = open_page(path)
    assert page.dialogs == [] and page.errors == [] and page.extra_requests == []
    assert drawn_counts(page) == (nodes, edges)
    assert page.eval("document.querySelectorAll('img').length") == 0
    assert page.eval("document.scripts.length") == 4  # data, vis-network, vis-timeline, the page's own
    labels = page.eval("network.body.data.nodes.map(n => n.kgLabel)")
    assert XSS_IMG in labels and f"{XSS_SCRIPT} closes" in labels and f"{XSS_SCRIPT}{XSS_IMG}" in labels
    caption = page.page.text_content("#kg-caption")
    assert XSS_IMG in caption  # the ego's name, as text
    event = "https://w3id.org/hk-timeline-kg/id/event/closure-announcement"
    page.eval(f"kgShowNode({json.dumps(event)})")
    panel = page.page.text_content("#kg-panel")
    assert f"{XSS_SCRIPT} closes" in panel
    assert f"{XSS_IMG} said {XSS_SCRIPT}" in panel  # the quote
    assert f"{XSS_SCRIPT}{XSS_IMG}" in panel  # its source's title
    assert page.eval("document.querySelectorAll('#kg-panel img, #kg-panel script').length") == 0
    # the timeline's items and lanes are text too
    items = page.eval("Array.from(document.querySelectorAll('#kg-timeline .vis-item-content')).map(e => e.textContent)")
    assert any(t.startswith(XSS_SCRIPT) for t in items)
    assert page.eval("document.querySelectorAll('#kg-timeline img, #kg-timeline script').length") == 0
    # the tooltip is text too
    box = page.page.locator("#mynetwork").bounding_box()
    page.eval(f"network.focus({json.dumps(event)}, {{scale: 1.5}})")
    at = page.eval(f"network.canvasToDOM(network.getPosition({json.dumps(event)}))")
    page.page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tip = page.eval("document.querySelector('div.vis-tooltip').textContent")
    assert f"{XSS_SCRIPT} closes" in tip
    assert page.eval("document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0  # innerText: line breaks
    page.page.wait_for_timeout(200)
    assert page.dialogs == []


def test_links_only_for_http_urls(open_page, tmp_path):
    import networkx as nx

    from kg import viz

    G = nx.MultiDiGraph()
    G.add_node("urn:a", label="A", kind="organisation")
    G.add_node("urn:b", label="B", kind="event", earliest_begin="2020-01-01", latest_begin="2020-01-01")
    G.add_edge("urn:b", "urn:a", label="organiser")
    quotes = {
        "urn:b": [["quoted", "a source", "javascript:alert(1)", ""], ["again", "web", "https://example.org/", ""]]
    }
    page_path = tmp_path / "links.html"
    viz.render(G, quotes=quotes, urls={"urn:a": "javascript:alert(1)", "urn:b": "https://example.org/b"}).write(
        page_path
    )
    page = open_page(page_path)
    for node in ("urn:a", "urn:b"):
        page.eval(f"kgShowNode({json.dumps(node)})")
        hrefs = page.eval("Array.from(document.querySelectorAll('#kg-panel a')).map(a => a.href)")
        assert all(h.startswith("https://") for h in hrefs)
    assert page.eval("Array.from(document.querySelectorAll('#kg-panel a')).length") == 2
    assert "a source" in page.page.text_content("#kg-panel")
    assert page.dialogs == []


def test_json_block_cannot_end_its_script():
    from kg.viz import _json_for_html

    text = _json_for_html({"x": "</script><!-- <script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><!-- <script> & \u2028"}


# ------------------------------------------------------------------------------ scale


def synthetic(n: int):
    """A projection-shaped graph of ``n`` nodes: events with dates and actors, about 1.2 edges a node."""
    import datetime as dt
    import random

    import networkx as nx

    rng = random.Random(3)
    G = nx.MultiDiGraph()
    events = [f"urn:e{i}" for i in range(n // 3)]
    actors = [f"urn:a{i}" for i in range(n - len(events))]
    for i, a in enumerate(actors):
        G.add_node(a, label=f"Actor {i}", kind="person" if i % 3 else "organisation")
    for i, e in enumerate(events):
        day = (dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1000))).isoformat()
        G.add_node(
            e,
            label=f"Event {i}",
            kind="event",
            type=rng.choice(["protest", "statement"]),
            earliest_begin=day,
            latest_begin=day,
            edtf=day,
        )
        for a in rng.sample(actors, 3):
            G.add_edge(e, a, label="participant")
    return G


def test_large_graph_draws_laid_out_without_physics(open_page, tmp_path):
    from kg import viz

    G = synthetic(2400)
    view = viz.render(G)
    assert view.nodes == 2400
    path = tmp_path / "large.html"
    view.write(path)
    page = open_page(path)
    assert drawn_counts(page) == (view.nodes, view.edges)
    options = page.eval("kgData.options")
    assert options["physics"]["enabled"] is False and options["edges"]["smooth"]["enabled"] is False
    assert options["interaction"]["hideEdgesOnDrag"] is True
    assert page.eval("network.body.data.nodes.get({filter: n => n.x === undefined}).length") == 0
    assert 0 < len(page.eval("KG.labelled")) < 400  # labels where they fit, the rest on zoom
    assert page.eval("window.kgFirstDraw") < 15_000


def test_node_limit_in_the_library(graph, monkeypatch):
    """Views above the limit are refused before the nodes they would draw are described."""
    from kg import viz
    from kg.errors import UsageError

    described: list[str] = []
    fact_values = graph.fact_values

    def counted(subjects, *args):
        described.extend(subjects)
        return fact_values(subjects, *args)

    monkeypatch.setattr(graph, "fact_values", counted)
    with pytest.raises(UsageError, match="--ego"):
        viz.view(graph, node_limit=20)
    signatories = "CONSTRUCT { ?e hk:signatory ?a } WHERE { ?e hk:signatory ?a }"
    drawn, _ = viz.select(graph, query=signatories)
    described.clear()
    with pytest.raises(UsageError, match=f"up to {len(drawn)} nodes, more than the limit of {len(drawn) - 1} nodes"):
        viz.select_within(graph, query=signatories, node_limit=len(drawn) - 1)
    assert described == []
    assert len(viz.select_within(graph, query=signatories, node_limit=len(drawn))[0]) == len(drawn)
    amnesty = "https://w3id.org/hk-timeline-kg/id/actor/amnesty-international"
    described.clear()
    with pytest.raises(UsageError, match="at least 10 nodes"):
        viz.select_within(graph, ego="Amnesty International", node_limit=5)
    assert set(described) == {amnesty}  # the centre alone, not the events that name it


def test_a_view_leaves_the_cycle_collector_as_it_found_it(graph):
    """A view pauses Python's cycle collector while it reads and builds, and turns it back
    on when done, refused or not; a collector paused by the caller stays paused."""
    import gc

    from kg import viz
    from kg.errors import UsageError

    assert gc.isenabled()
    assert viz.view(graph, ego="Amnesty International").html and gc.isenabled()
    with pytest.raises(UsageError):
        viz.select_within(graph, ego="Amnesty International", node_limit=5)
    assert gc.isenabled()
    gc.disable()
    try:
        viz.select_within(graph, ego="Amnesty International")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_force_layout_is_fast_and_deterministic():
    import time

    from kg.viz import force_layout

    def edges(n):
        return [(i, (i * 7 + 1) % n) for i in range(n)] + [(i, i // 10) for i in range(1, n)]

    t = time.perf_counter()
    a = force_layout(20000, edges(20000))
    assert time.perf_counter() - t < 60
    assert a.shape == (20000, 2) and abs(a).max() > 10
    b = force_layout(500, edges(500))
    assert (b == force_layout(500, edges(500))).all()


def test_force_layout_of_a_large_view_keeps_groups_apart():
    """Above 5,000 nodes the layout takes fewer steps on a coarser grid: groups of linked
    nodes still come out as groups, each far from the next for its size."""
    import numpy as np

    from kg.viz import force_layout

    size, groups = 50, 120  # 6,000 nodes: each linked to two others of its group
    rng = np.random.default_rng(1)
    edges = [
        (g * size + i, g * size + int(j)) for g in range(groups) for i in range(size) for j in rng.integers(0, size, 2)
    ]
    pos = force_layout(size * groups, [(u, v) for u, v in edges if u != v])
    centres = pos.reshape(groups, size, 2).mean(axis=1)
    spread = np.median([np.hypot(*(pos[g * size : (g + 1) * size] - centres[g]).T).mean() for g in range(groups)])
    apart = np.median([np.delete(np.hypot(*(centres - c).T), g).min() for g, c in enumerate(centres)])
    assert apart > 4 * spread, (apart, spread)


def test_published_views_are_deterministic(graph):
    from kg import viz

    first = viz.network_html(graph, layout="timeline")
    assert first == viz.network_html(graph, layout="timeline")
    assert "lib/" not in first.replace("vis-network/", "")


@pytest.mark.parametrize("options", [{}, {"include_sources": True}, {"ego": "Amnesty International", "depth": 2}])
def test_different_nodes_are_drawn_with_different_labels(graph, options):
    """A label cut short ("Amnesty International…" stood for five nodes, "Session of the NPC…"
    for both June 2020 sessions) is cut past the word that tells it apart; every drawn label is
    its node's whole label or its start, cut at a word's end, and the tooltip holds it whole."""
    from kg.viz.model import build, short
    from kg.viz.select import select_within

    nodes = build(select_within(graph, **options)[0]).nodes
    full: dict[str, set[str]] = {}
    shared: dict[str, set[str]] = {}  # what short() alone would draw, and for which labels
    for n in nodes:
        full.setdefault(n["label"], set()).add(n["kgLabel"])
        shared.setdefault(short(n["kgLabel"]), set()).add(n["kgLabel"])
    for n in nodes:
        label, whole = n["label"], n["kgLabel"]
        assert n["title"].startswith(whole + "\n")
        assert label == whole or (label.endswith("\u2026") and whole.startswith(label[:-1])), n
        if len(shared[short(whole)]) == 1:  # cut as before where that told it apart
            assert label == short(whole), n
        else:  # else longer, up to a word's end
            assert len(label) > len(short(whole)) and (label == whole or whole[len(label) - 1] in " ,;:-"), n
    assert {text: labels for text, labels in full.items() if len(labels) > 1} == {}
    drawn = {n["kgLabel"]: n["label"] for n in nodes}
    assert drawn["Amnesty International regional office in Hong Kong"] == "Amnesty International regional\u2026"
    if not options.get("ego"):
        sessions = [drawn[f"Session of the NPC Standing Committee, {d} June 2020"] for d in ("18-20", "28-30")]
        assert sessions == [f"Session of the NPC Standing Committee, {d}\u2026" for d in ("18-20", "28-30")]


# ------------------------------------------------------------------------------ Jupyter


def test_show_displays_in_a_notebook_iframe(open_page, graph):
    from kg import viz

    shown = viz.show(graph, ego="Li Zhanshu", height=500)
    markup = shown._repr_html_()
    assert markup.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in markup and "500px" in markup
    assert "<script" not in markup  # escaped inside the attribute
    page = open_page(content=f"<!DOCTYPE html><html><body>{markup}</body></html>")
    frame = page.page.frames[1]
    frame.wait_for_selector("body[data-drawn]", state="attached", timeout=60_000)
    assert frame.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]") == [
        shown.nodes,
        shown.edges,
    ]
    assert page.extra_requests == [] and page.dialogs == []
    assert html.unescape(markup.split('srcdoc="', 1)[1].split('"', 1)[0]) == shown.html


# ------------------------------------------------------------------------------ kg timeline --plot


@pytest.mark.parametrize("ext", ["svg", "pdf", "png"])
def test_timeline_plot(invoke, tmp_path, ext):
    out = tmp_path / f"timeline.{ext}"
    result = invoke("timeline", "--from", "2020-01-01", "--to", "2020-12-31", "--plot", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    magic = {"svg": b"<?xml", "pdf": b"%PDF", "png": b"\x89PNG"}[ext]
    assert data.startswith(magic) and len(data) > 5000
    again = tmp_path / f"again.{ext}"
    invoke("timeline", "--from", "2020-01-01", "--to", "2020-12-31", "--plot", str(again))
    assert again.read_bytes() == data  # byte-stable
    if ext == "svg":
        text = data.decode()
        assert "Entry into force of the Hong Kong national security law" in text
        assert "Withdrawal of the Hong Kong extradition bill" not in text  # 2019: filtered out


def test_plot_follows_the_range_and_the_shared_palette(invoke, tmp_path, graph, open_page, viz):
    from kg.viz.palette import Palette

    colour = Palette.of(graph)["open letter"].lower()
    texts = []
    for args in (("--from", "2020-06-01", "--to", "2020-07-31"), ("--type", "open letter"), ()):
        out = tmp_path / f"plot{len(texts)}.svg"
        assert invoke("timeline", *args, "--plot", str(out)).exit_code == 0
        texts.append(out.read_text(encoding="utf-8"))
    assert all(colour in t.lower() for t in texts)  # one colour for "open letter" in every figure
    short = texts[0]
    assert ">08 Jun<" in short and ">27 Jul<" in short  # week ticks for two months
    assert re.search(r"\d+ events?, 2020<", short) and ">03 Aug<" not in short  # the axis ends with the range
    path, _, _ = viz()
    page = open_page(path)
    types = {t["label"]: t["color"].lower() for t in page.eval("kgData.eventTypes")}
    assert types["open letter"] == colour  # and the same in the page's legend


def test_each_stretch_of_a_broken_plot_axis_names_its_year(invoke, tmp_path):
    """The whole record breaks the axis after 1984: that stretch's week ticks say 1984."""
    out = tmp_path / "all.svg"
    assert invoke("timeline", "--plot", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert ">17 Dec<" in text  # the 1984 stretch has week ticks (Mondays)
    assert re.search(r">1984<", text) and ">2020<" in text


def test_timeline_plot_errors(invoke, tmp_path, monkeypatch):
    result = invoke("timeline", "--plot", str(tmp_path / "t.txt"))
    assert result.exit_code == 2 and ".svg, .pdf or .png" in result.output
    result = invoke("timeline", "--from", "2030-01-01", "--plot", str(tmp_path / "t.svg"))
    assert result.exit_code == 2 and "nothing to draw" in result.output
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the extra were not installed
    result = invoke("timeline", "--plot", str(tmp_path / "t.svg"))
    assert result.exit_code == 2 and "pip install" in result.output and "plot" in result.output
    assert not (tmp_path / "t.svg").exists()


def test_a_month_stands_for_its_days_as_in_kg_timeline(viz, graph):
    """kg viz reads --from/--to with kg timeline's one date-range check."""
    path, _, _ = viz("--from", "2020-06", "--to", "2020-06")
    html = path.read_text(encoding="utf-8")
    june = graph.events(start="2020-06-01", end="2020-06-30")
    assert june and all(e.iri in html for e in june)


def test_own_data_is_titled_by_its_own_name(tmp_path):
    """A researcher's own data is never titled "Hong Kong": pages and captions name the data
    directory (or store, or endpoint) they were drawn from; the bundled data keeps its title."""
    import kg
    from kg import viz

    data = tmp_path / "my-protest-data"
    shutil.copytree(MINI, data)
    net = viz.to_pyvis(kg.load(data))
    assert net.title.startswith("my-protest-data timeline") and "Hong Kong" not in net.caption
    assert "Data: my-protest-data" in net.caption
    bundled = viz.to_pyvis(kg.load(), ego="Li Zhanshu")
    assert bundled.title.startswith("Hong Kong 2019\u20132021 timeline")
