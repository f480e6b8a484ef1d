"""The static site (`kg publish --site`) and `kg serve`'s pages, in a real headless Chromium.

Every page is opened with each request outside the site (or 127.0.0.1 for `kg serve`)
aborted and recorded: the site must fetch nothing from elsewhere. The SPARQL page answers
every named query as `kg query NAME --format json` does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
XSS = "<img src=x onerror=alert(1)>"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
BROWSER_ARGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]


def publish_site(directory: Path, *pre: str) -> Path:
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, [*pre, "publish", "--site", str(directory)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return publish_site(tmp_path_factory.mktemp("published") / "site")


# ------------------------------------------------------------------------------ the engine


def test_engine_is_the_pinned_oxigraph_release_with_its_licence():
    import pyoxigraph

    from kg.site import sparql

    package = json.loads((sparql.ENGINE / "package.json").read_text())
    assert package["name"] == "oxigraph" and package["version"] == sparql.ENGINE_VERSION == "0.5.11"
    # npm has no 0.5.12 or 0.5.13: the newest release of pyoxigraph's minor version
    assert pyoxigraph.__version__.split(".")[:2] == package["version"].split(".")[:2]
    expected = {
        "web.js": "2fcfdcadc79c9146cee98028a273aebc93df3282eb0299c248595bc529deca41",
        "web_bg.wasm": "b95b15accb6b789667b8d8b0b8f139d5de588e572499672ff37ce9ba01c4a428",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((sparql.ENGINE / name).read_bytes()).hexdigest() == digest == sparql.ENGINE_SHA256[name]
    sums = dict(line.split()[::-1] for line in (sparql.ENGINE / "SHA256SUMS").read_text().splitlines())
    assert sums == expected
    assert "MIT OR Apache-2.0" in package["license"]
    assert "Permission is hereby granted" in (sparql.ENGINE / "LICENSE-MIT").read_text()


def test_a_changed_engine_file_is_refused(tmp_path, monkeypatch):
    from kg.site import sparql

    fake = tmp_path / "oxigraph"
    shutil.copytree(sparql.ENGINE, fake)
    (fake / "web.js").write_text("export default 1;\n")
    monkeypatch.setattr(sparql, "ENGINE", fake)
    with pytest.raises(RuntimeError, match="not the pinned oxigraph"):
        sparql.engine_script()


# ------------------------------------------------------------------------------ files and links


class Links(HTMLParser):
    """Every URL a page refers to, and whether a tag would fetch it (src, stylesheet)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, name, value))


def test_every_link_of_the_site_resolves_and_nothing_is_fetched_from_outside(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 300
    checked = 0
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attr, url in parser.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                assert tag == "a" and attr == "href", f"{page}: {tag} {attr}={url} would be fetched from outside"
                continue
            assert not parts.scheme, f"{page}: {url}"
            if not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)}: broken link {url}"
            assert site.resolve() in target.parents, f"{page}: {url} leaves the site"
            checked += 1
    assert checked > 5000


def test_each_resource_has_its_page_turtle_and_jsonld_at_its_iri_path(site, graph):
    from kg.site.entity import resources

    iris = resources(graph)
    assert {"event", "actor", "place", "source", "claim"} <= {iri.split("/")[-2] for iri in iris}
    for iri in iris:
        base = str(site / iri.replace("https://w3id.org/hk-timeline-kg/", ""))
        assert Path(base + ".html").is_file()
        truth = {
            (q.predicate.value, q.object.value) for q in graph.store.quads_for_pattern(ox.NamedNode(iri), None, None)
        }
        for suffix, fmt in ((".ttl", ox.RdfFormat.TURTLE), (".jsonld", ox.RdfFormat.JSON_LD)):
            triples = ox.parse(Path(base + suffix).read_bytes(), format=fmt)
            assert {(t.predicate.value, t.object.value) for t in triples if t.subject.value == iri} == truth, (
                base + suffix
            )


def test_an_event_page_gives_facts_with_quotes_dates_with_reasoning_and_links_both_ways(site, graph):
    import html

    row = graph.select(
        "SELECT ?e ?edtf ?note ?a ?b WHERE { ?e a sem:Event ; hk:edtf ?edtf ; hk:dateNote ?note ;"
        " sem:hasEarliestBeginTimeStamp ?a ; sem:hasLatestBeginTimeStamp ?b FILTER(?a != ?b) } ORDER BY ?e LIMIT 1"
    )[0]
    name = row["e"].rsplit("/", 1)[1]
    page = (site / f"id/event/{name}.html").read_text(encoding="utf-8")
    assert html.escape(row["edtf"]) in page and html.escape(row["note"]) in page  # the date, its reasoning
    assert f"no earlier than {row['a']} and no later than {row['b']}" in page
    quotes = graph.select(
        "SELECT ?exact ?source ?e WHERE { ?x oa:hasBody ?e ; oa:hasTarget ?t . ?t oa:hasSource ?source ;"
        " oa:hasSelector/oa:exact ?exact }",
        {"e": f"<{row['e']}>"},
    )
    assert quotes
    for quote in quotes:  # each quote, with its source linked
        assert html.escape(quote["exact"]) in page
        assert f'href="../../id/source/{quote["source"].rsplit("/", 1)[1]}.html"' in page
    actor = graph.select("SELECT ?a ?e WHERE { ?e sem:hasActor ?a } ORDER BY ?a LIMIT 1", {"e": f"<{row['e']}>"})[0]
    actor_name = actor["a"].rsplit("/", 1)[1]
    assert f'href="../../id/actor/{actor_name}.html"' in page
    back = (site / f"id/actor/{actor_name}.html").read_text(encoding="utf-8")
    assert f'href="../../id/event/{name}.html"' in back  # the link back
    assert '<svg class="hood"' in page and '<svg class="hood"' in back


def test_metadata_rewrite_rules_and_404(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', index, re.S)
    dataset = json.loads(found.group(1))
    assert dataset["@type"] == "Dataset" and dataset["license"] and dataset["distribution"]
    assert (
        dataset["identifier"] == "sha256:" + hashlib.sha256((site / "export/hk-timeline.nq").read_bytes()).hexdigest()
    )
    void = list(ox.parse((site / "export/void.ttl").read_bytes(), format=ox.RdfFormat.TURTLE))
    dumps = [t.object.value for t in void if t.predicate.value == "http://rdfs.org/ns/void#dataDump"]
    assert sorted(u.rsplit("/", 1)[1] for u in dumps) == ["hk-timeline.nq", "hk-timeline.ttl"]
    assert all((site / "export" / u.rsplit("/", 1)[1]).is_file() for u in dumps)
    rules = (site / "w3id.htaccess").read_text()
    assert "RewriteEngine on" in rules
    from kg.site.record import SITE_URL

    # Each rule, applied as Apache would to the path of an IRI, names a file of the site.
    targets = []
    for pattern, target in re.findall(r"^RewriteRule (\S+) (\S+) \[", rules, re.M):
        if re.search(pattern, "id/event/open-letter-to-li-zhanshu"):
            url = re.sub(pattern, target.replace("$", "\\"), "id/event/open-letter-to-li-zhanshu")
            targets.append(url.removeprefix(SITE_URL))
    # (by Accept: Turtle, JSON-LD, else the page, which ends the rules for such paths)
    assert targets[:3] == [f"id/event/open-letter-to-li-zhanshu.{s}" for s in ("ttl", "jsonld", "html")]
    assert all((site / t).is_file() for t in targets[:3])
    assert "No page at this address" in (site / "404.html").read_text()


def test_publishing_again_gives_the_same_bytes_and_never_overwrites_other_directories(site, tmp_path):
    again = publish_site(tmp_path / "again")
    for path in site.rglob("*"):
        if path.is_file():
            assert (again / path.relative_to(site)).read_bytes() == path.read_bytes(), path.relative_to(site)
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["publish", "--site", str(other)])
    assert result.exit_code == 2 and "not a site written by kg publish" in result.output
    assert (other / "notes.txt").read_text() == "keep me"
    for url in ("javascript:alert(1)", "https://host/\nRewriteRule ^ https://elsewhere/"):
        result = CliRunner().invoke(cli, ["publish", "--site", str(tmp_path / "bad"), "--site-url", url])
        assert result.exit_code == 2 and "--site-url expects an http(s) URL" in result.output
        assert not (tmp_path / "bad").exists()


# ------------------------------------------------------------------------------ in the browser


def chromium_path() -> str:
    found = os.environ.get("KG_CHROMIUM") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None
    )
    if not found:
        pytest.fail("the browser tests need Chromium: apt-get install chromium (or set $KG_CHROMIUM)")
    return found


@pytest.fixture(scope="module")
def browser(pw, tmp_path_factory):
    context = pw.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=chromium_path(),
        headless=True,
        args=BROWSER_ARGS,
        viewport={"width": 1300, "height": 900},
        service_workers="block",
    )
    yield context
    context.close()


class Opened:
    def __init__(self, page, allowed: str):
        self.page, self.allowed = page, allowed
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def route(self, route):
        url = route.request.url
        if url.startswith((self.allowed, "blob:", "data:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture
def open_page(browser):
    """``open_page(url, allowed_prefix)``: every request not under the prefix is aborted and recorded."""
    opened_pages = []

    def open_(url: str, allowed: str, wait: str | None = None) -> Opened:
        page = browser.new_page()
        opened = Opened(page, allowed)
        opened_pages.append(opened)
        page.route("**/*", opened.route)
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.goto(url)
        if wait:
            page.wait_for_selector(wait, state="attached", timeout=60_000)
        return opened

    yield open_
    for opened in opened_pages:
        assert opened.outside == [], f"requests outside the site: {opened.outside}"
        opened.page.close()


def site_url(site: Path, path: str) -> tuple[str, str]:
    return (site / path).resolve().as_uri(), site.resolve().as_uri() + "/"


def kg_query_json(name: str, params: dict[str, str], *pre: str) -> dict:
    from click.testing import CliRunner

    from kg.cli import cli

    args = [*pre, "query", name, "--format", "json"]
    for k, v in params.items():
        args += ["--param", f"{k}={v}"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def example_params(name: str) -> dict[str, str]:
    """The values the .rq header gives as examples, for the parameters the query needs."""
    from kg.site.sparql import examples

    example = next(e for e in examples() if e["name"] == name)
    return {p["name"]: p["example"] for p in example["params"] if p["required"]}


def run_in_page(opened: Opened, name: str, params: dict[str, str]) -> dict:
    opened.page.evaluate("document.body.removeAttribute('data-answered')")
    opened.page.evaluate("([n, v]) => { kgSparql.choose(n, v); return kgSparql.run(); }", [name, params])
    opened.page.wait_for_selector("body[data-answered]", state="attached", timeout=60_000)
    last = opened.page.evaluate("kgSparql.last()")
    assert last is not None, opened.page.evaluate("document.getElementById('kg-status').textContent")
    return {"head": {"vars": last["vars"]}, "results": {"bindings": last["rows"]}}


@pytest.fixture(scope="module")
def sparql_page(site, browser):
    page = browser.new_page()
    opened = Opened(page, site.resolve().as_uri() + "/")
    page.route("**/*", opened.route)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.goto((site / "sparql.html").resolve().as_uri())
    page.wait_for_selector("body[data-answered]", state="attached", timeout=60_000)
    yield opened
    assert opened.outside == [] and opened.errors == []
    page.close()


def _library() -> list[str]:
    from kg.sparql import library

    return sorted(library())


@pytest.mark.parametrize("name", _library())
def test_the_sparql_page_answers_each_named_query_as_kg_query_does(sparql_page, name):
    params = example_params(name)
    from kg.sparql import library

    browser, cli = run_in_page(sparql_page, name, params), kg_query_json(name, params)
    assert browser["head"] == cli["head"]
    # The same solutions. SPARQL leaves two orders open, which two releases of Oxigraph fill
    # differently: rows that tie on the query's ORDER BY, and the parts of a GROUP_CONCAT.
    separators = re.findall(r'SEPARATOR\s*=\s*"([^"]+)"', library()[name].text)

    def canonical(row: dict) -> str:
        for binding in row.values():
            for sep in separators:
                if sep in binding["value"]:
                    binding["value"] = sep.join(sorted(binding["value"].split(sep)))
        return json.dumps(row, sort_keys=True)

    assert sorted(map(canonical, browser["results"]["bindings"])) == sorted(map(canonical, cli["results"]["bindings"]))
    assert len(cli["results"]["bindings"]) > 0


def test_the_sparql_page_looks_a_name_up_as_kg_query_does(sparql_page, graph):
    for actor in ("hrw", "human-rights-watch", "HUMAN RIGHTS WATCH", "Amnesty"):
        expected = kg_query_json("actor-timeline", {"actor": actor})
        assert (
            run_in_page(sparql_page, "actor-timeline", {"actor": actor}) == expected and expected["results"]["bindings"]
        )
    page = sparql_page.page
    for name, message in (
        ("Li Zhanshuu", "no event, actor, place, law, claim or post named 'Li Zhanshuu'"),
        ("BEIJING", "'BEIJING' names 2 resources (actor/chinese-government, place/beijing): give one of these ids"),
    ):
        page.evaluate("document.body.removeAttribute('data-answered')")
        page.evaluate("([n, v]) => { kgSparql.choose(n, v); return kgSparql.run(); }", ["quotes", {"name": name}])
        page.wait_for_selector("body[data-answered]", state="attached")
        status = page.text_content("#kg-status")
        assert status == f"The query cannot run: {message}"
        from kg.errors import NotFound

        with pytest.raises(NotFound, match=re.escape(message)):  # what kg query says
            graph.query("quotes", {"name": name})


def test_the_sparql_page_draws_a_result_as_a_graph_and_a_timeline_and_keeps_it_in_the_url(sparql_page):
    page = sparql_page.page
    people = run_in_page(sparql_page, "people-posts", {})["results"]["bindings"]  # #defaultView:Graph
    assert page.locator("button[data-view=graph][aria-pressed=true]").count() == 1
    iris = {row[v]["value"] for row in people for v in ("person", "organisation")}
    assert page.locator("svg.kg-graph circle").count() == len(iris) > 5
    assert page.locator("svg.kg-graph line").count() == len(people)
    run_in_page(sparql_page, "timeline-between", {})  # #defaultView:Timeline
    assert page.locator("button[data-view=timeline][aria-pressed=true]").count() == 1
    marks = page.locator("svg.kg-timeline rect.bar, svg.kg-timeline circle.dot").count()
    assert marks == len(kg_query_json("timeline-between", {})["results"]["bindings"])
    assert "example=timeline-between" in page.url and "query=" in page.url
    # 1984's Joint Declaration stands in a margin of its own: 2019-2021 get the axis, and the
    # labels are drawn at the page's 12 px (the drawing is as wide as the page gives it)
    spread, label_px = page.evaluate(
        """() => { const svg = document.querySelector('svg.kg-timeline'), box = svg.getBoundingClientRect();
        const xs = Array.from(svg.querySelectorAll('rect.bar, circle.dot')).map(m => m.getBoundingClientRect())
          .map(b => [b.left, b.right]).sort((a, b) => a[0] - b[0]);
        const bulk = xs.slice(1), texts = Array.from(svg.querySelectorAll('text:not(.year)'));
        const scale = box.width / svg.viewBox.baseVal.width;
        return [(Math.max(...bulk.map(b => b[1])) - bulk[0][0]) / box.width,
                Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale))]; }"""
    )
    assert spread > 0.3 and label_px >= 11


def test_a_shared_link_reopens_the_query_with_its_parameters(site, open_page):
    url, allowed = site_url(site, "sparql.html")
    from urllib.parse import urlencode

    from kg.sparql import library

    text = library()["actor-timeline"].text
    opened = open_page(
        url + "#" + urlencode({"query": text, "param.actor": "HRW", "example": "actor-timeline"}),
        allowed,
        "body[data-answered]",
    )
    rows = opened.page.evaluate("kgSparql.last().rows")
    assert rows == kg_query_json("actor-timeline", {"actor": "HRW"})["results"]["bindings"] and rows
    opened.page.fill("#kg-query", "SELECT * WHERE {\n ?s a sem:Event\n\n ?x")  # the error is at line 4
    opened.page.evaluate("document.body.removeAttribute('data-answered')")
    opened.page.press("#kg-query", "Control+Enter")
    opened.page.wait_for_selector("body[data-answered]", state="attached")
    status = opened.page.text_content("#kg-status")
    assert status.startswith("The query cannot run") and "at 4:4:" in status  # not counting the prefixes


def test_the_views_page_leads_back_to_the_record(site, open_page):
    """The site's timeline and network is kg viz's page with, in its header, a link home."""
    url, allowed = site_url(site, "views/index.html")
    opened = open_page(url, allowed, "body[data-drawn]")
    assert opened.page.evaluate("network.body.data.nodes.length") > 100  # the drawn page
    home = opened.page.locator("#kg-header a#kg-home")
    assert home.is_visible() and home.inner_text() == "Record"
    home.click()
    opened.page.wait_for_load_state()
    assert opened.page.url == site_url(site, "index.html")[0]
    assert opened.page.locator("h1").first.inner_text().startswith("Hong Kong 2019")
    assert opened.errors == []


def test_the_index_searches_labels_names_and_quotes_offline(site, open_page, graph):
    url, allowed = site_url(site, "index.html")
    opened = open_page(url, allowed, "body[data-ready]")
    opened.page.fill("#kg-search", "npcsc")
    hits = opened.page.locator("#kg-hits a")
    assert hits.count() >= 1
    opened.page.click("#kg-hits a[href='id/actor/npcsc.html']")  # found by its alternative name
    opened.page.wait_for_load_state()
    assert opened.page.url.endswith("/id/actor/npcsc.html")
    assert opened.errors == []
    quote = graph.select(
        "SELECT ?q ?e WHERE { ?a oa:hasBody ?e ; oa:hasTarget/oa:hasSelector/oa:exact ?q } ORDER BY ?q LIMIT 1",
        {"e": "<https://w3id.org/hk-timeline-kg/id/event/open-letter-to-li-zhanshu>"},
    )[0]["q"]
    opened = open_page(url, allowed, "body[data-ready]")
    opened.page.fill("#kg-search", " ".join(quote.split()[:6]))  # words of a quote find what it backs
    assert opened.page.locator("#kg-hits a[href='id/event/open-letter-to-li-zhanshu.html']").count() == 1
    # a snippet is a piece of one name or quote, marked "…" where it is cut, never a join of two
    texts = {r["t"] for r in graph.select("SELECT DISTINCT ?t WHERE { { ?s oa:exact ?t } UNION { ?s rdfs:label ?t } }")}
    long = max(texts, key=lambda t: (len(t), t))
    words = long.split()
    at = next(i for i in range(len(words) // 2, len(words)) if len(words[i]) >= 8)  # a word no label has
    middle = words[at : at + 3]
    opened.page.fill("#kg-search", " ".join(middle))  # the middle of the longest quote
    snippets = opened.page.locator("#kg-hits q").all_text_contents()
    assert snippets
    for snippet in snippets:
        core = snippet.removeprefix("…").removesuffix("…")
        holders = [t for t in texts if core in t]
        assert holders, snippet
        assert any(
            (snippet.startswith("…") or t.startswith(core)) and (snippet.endswith("…") or t.endswith(core))
            for t in holders
        ), snippet


# ------------------------------------------------------------------------------ hostile data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The bundled data with one actor's label replaced by markup that would run if parsed."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "actors" / "organisations.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(r for r in records if r["id"] == "amnesty-international")["label"] = XSS
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return publish_site(data.parent / "site", "--data", str(data))


def test_a_hostile_label_is_shown_as_text_everywhere_and_runs_nothing(hostile_site, open_page):
    url, allowed = site_url(hostile_site, "id/actor/amnesty-international.html")
    for path, wait in (
        ("id/actor/amnesty-international.html", None),
        ("id/event/open-letter-to-li-zhanshu.html", None),
        ("index.html?q=onerror", "body[data-ready]"),
    ):
        url = (hostile_site / path.split("?")[0]).resolve().as_uri() + ("?q=onerror" if "?" in path else "")
        opened = open_page(url, allowed, wait)
        assert opened.dialogs == [] and opened.errors == []
        assert opened.page.locator("img").count() == 0
        assert XSS in opened.page.inner_text("main")
    from urllib.parse import urlencode

    query = 'SELECT ?a ?label WHERE { ?a rdfs:label ?label FILTER(CONTAINS(?label, "onerror")) }'
    opened = open_page(
        site_url(hostile_site, "sparql.html")[0] + "#" + urlencode({"query": query}), allowed, "body[data-answered]"
    )
    for view in ("table", "graph", "timeline"):
        opened.page.click(f"button[data-view={view}]")
        assert opened.page.locator("img").count() == 0
    opened.page.click("button[data-view=table]")
    assert XSS in opened.page.inner_text("#kg-results")
    assert opened.dialogs == [] and opened.errors == []


# ------------------------------------------------------------------------------ kg serve


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`kg serve` on a free port of 127.0.0.1, as a user starts it."""
    from servers import free_port, stop, wait_for

    port = free_port()
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path_factory.mktemp("serve-cache"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/query?query=ASK%7B%7D", proc, seconds=120)
    yield base
    stop(proc)


def test_kg_serve_gives_the_query_page_against_its_own_endpoint(served, open_page):
    opened = open_page(served + "/", served + "/", "body[data-answered]")
    assert opened.page.evaluate("document.body.dataset.endpoint") == "/query"
    assert opened.page.locator("#kg-examples button").count() == len(_library())
    for name in ("actor-timeline", "people-posts", "timeline-between"):
        params = example_params(name)
        assert run_in_page(opened, name, params) == kg_query_json(name, params)
    opened.page.fill("#kg-query", "SELECT ?l WHERE { ?e a sem:Event ; rdfs:label ?l } LIMIT 3")  # prefixes predeclared
    opened.page.evaluate("document.body.removeAttribute('data-answered')")
    opened.page.click("#kg-run")
    opened.page.wait_for_selector("body[data-answered]", state="attached")
    assert opened.page.text_content("#kg-status").startswith("3 rows")
    assert opened.errors == []


def label_of(graph, path: str) -> str:
    return graph.labels([f"https://w3id.org/hk-timeline-kg/{path}"])[f"https://w3id.org/hk-timeline-kg/{path}"]


def test_kg_serve_opens_each_resource_at_its_iri_path(served, open_page, graph):
    import urllib.error
    import urllib.request

    opened = open_page(served + "/id/event/open-letter-to-li-zhanshu", served + "/")
    assert opened.page.text_content("h1") == label_of(graph, "id/event/open-letter-to-li-zhanshu")
    opened.page.click("a[href$='id/actor/li-zhanshu.html']")
    opened.page.wait_for_load_state()
    assert opened.page.text_content("h1") == label_of(graph, "id/actor/li-zhanshu")
    request = urllib.request.Request(served + "/id/actor/li-zhanshu", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"].startswith("text/turtle")
        triples = list(ox.parse(response.read(), format=ox.RdfFormat.TURTLE))
    assert any(t.object.value == label_of(graph, "id/actor/li-zhanshu") for t in triples)
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(served + "/id/event/no-such-event")
    assert missing.value.code == 404


def test_kg_serve_without_the_server_program_says_what_to_install_before_any_address(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import cli

    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))  # no oxigraph beside it
    monkeypatch.setenv("PATH", str(tmp_path))  # nor on the PATH
    result = CliRunner().invoke(cli, ["serve", "--port", "1"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "pip install" in result.output and "http://" not in result.output


def test_citation_file_names_this_version():
    import kg

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["version"] == kg.__version__
    assert {"message", "title", "authors", "license", "url"} <= set(citation)
    assert citation["title"].strip() == kg.TITLE


def test_the_sparql_page_downloads_the_answer_as_csv_and_json(sparql_page):
    from click.testing import CliRunner

    from kg.cli import cli

    run_in_page(sparql_page, "signatories", {})
    files = {}
    for kind in ("csv", "json"):
        with sparql_page.page.expect_download() as download:
            sparql_page.page.click(f"#kg-{kind}")
        files[kind] = Path(download.value.path()).read_text(encoding="utf-8")
    expected = CliRunner().invoke(cli, ["query", "signatories", "--format", "csv"], catch_exceptions=False).output
    assert files["csv"].replace("\r\n", "\n") == expected.replace("\r\n", "\n")
    assert json.loads(files["json"]) == kg_query_json("signatories", {})


def test_kg_serve_draws_the_pages_of_an_on_disk_store(graph, tmp_path, open_page):
    from servers import free_port, stop, wait_for

    dump = tmp_path / "graph.nt"
    dump.write_bytes(graph.export("nt"))
    store = tmp_path / "store"
    load = [sys.executable, "-m", "kg", "load", str(dump), "--store", str(store)]
    subprocess.run(load, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--store", str(store), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query?query=ASK%7B%7D", proc, seconds=120)
        opened = open_page(base + "/id/actor/amnesty-international", base + "/")
        assert opened.page.text_content("h1") == label_of(graph, "id/actor/amnesty-international")
        assert opened.page.locator("a[href$='id/event/open-letter-to-li-zhanshu.html']").count() >= 1
        from kg.site.entity import describe

        quotes = describe(graph, "https://w3id.org/hk-timeline-kg/id/actor/amnesty-international").quotes
        shown = opened.page.locator("blockquote").all_inner_texts()
        assert quotes and all(q.exact in shown for q in quotes)  # the same evidence as in memory
    finally:
        stop(proc)


def test_the_site_works_the_same_from_a_plain_static_server(site, open_page, graph):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        opened = open_page(base + "sparql.html", base, "body[data-answered]")
        params = example_params("actor-timeline")
        assert run_in_page(opened, "actor-timeline", params) == kg_query_json("actor-timeline", params)
        page = open_page(base + "id/event/open-letter-to-li-zhanshu.html", base)
        assert page.page.text_content("h1") == label_of(graph, "id/event/open-letter-to-li-zhanshu")
    finally:
        server.shutdown()
        server.server_close()


def test_kg_serve_pages_escape_a_hostile_label_too(hostile_site):
    import kg
    from kg.site.server import respond

    hostile = kg.load(hostile_site.parent / "data")
    for path in ("/id/actor/amnesty-international", "/id/event/open-letter-to-li-zhanshu"):
        reply = respond(path, "text/html", hostile)
        assert reply.status == 200
        assert XSS not in reply.body.decode() and "&lt;img src=x onerror=alert(1)&gt;" in reply.body.decode()
