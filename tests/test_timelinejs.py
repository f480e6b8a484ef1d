"""The timeline in Knight Lab's own TimelineJS (the pinned copy kg carries), in headless Chromium
with every request outside the page refused: what a reader of `kg publish`'s timelinejs.html sees."""

from __future__ import annotations

import json

import pytest

from kg.export.timelinejs import page

#: Pairs of time-navigation cards whose boxes overlap, and the number of cards.
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('.tl-timemarker-content-container')]
    .map(e => e.getBoundingClientRect()).filter(b => b.width > 0);
  let pairs = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) pairs++;
  }
  return [boxes.length, pairs];
}"""


@pytest.fixture(scope="module")
def chromium(pw):
    from test_viz import BROWSER_ARGS, chromium_path

    browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=BROWSER_ARGS)
    yield browser
    browser.close()


class Shown:
    """A page of kg's opened from a file, with what it tried to fetch and the errors it raised."""

    def __init__(self, chromium, path):
        self.url = path.as_uri()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page = chromium.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(self.url)
        self.page.wait_for_selector(".tl-timemarker", state="attached", timeout=20_000)
        self.page.wait_for_timeout(800)  # TimelineJS animates the first layout

    def _route(self, route):
        if route.request.url == self.url:
            return route.continue_()
        self.blocked.append(route.request.url)
        return route.abort()

    def go_to(self, event_id: str) -> None:
        self.page.evaluate(f"window.timeline.goToId({json.dumps(event_id)})")
        self.page.wait_for_timeout(1200)


@pytest.fixture(scope="module")
def shown(chromium, graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("timelinejs") / "timelinejs.html"
    path.write_bytes(page(graph))
    opened = Shown(chromium, path)
    yield opened
    opened.page.close()


def test_the_page_renders_every_event_offline(shown, graph):
    doc = json.loads(graph.export("timelinejs"))
    slides = shown.page.evaluate("document.querySelectorAll('.tl-slide').length")
    assert slides == len(doc["events"]) + 1  # and the title slide
    assert shown.page.evaluate("document.querySelectorAll('.tl-timemarker').length") == len(doc["events"])
    assert shown.blocked == [] and shown.errors == []


def test_the_page_opens_on_the_first_event_known_to_the_day(chromium, graph, tmp_path):
    """Not on the title slide, whose time navigation TimelineJS centres on the first, vague
    event ("2019") and so shows half a screen of the empty year before; the title slide is the start."""
    doc = json.loads(graph.export("timelinejs"))
    order = sorted(doc["events"], key=lambda e: [e["start_date"].get(k, 1) for k in ("year", "month", "day")])
    first = next(e for e in order if "day" in e["start_date"])
    path = tmp_path / "timelinejs.html"
    path.write_bytes(page(graph))
    opened = Shown(chromium, path)
    try:
        assert opened.page.evaluate("window.timeline.current_id") == first["unique_id"]
        headline = opened.page.locator(".tl-slide").filter(has_text=first["text"]["headline"]).first.bounding_box()
        assert headline and 0 <= headline["x"] < 1280  # on screen
        days = opened.page.evaluate("""() => [...document.querySelectorAll('.tl-timemarker')]
          .filter(m => { const b = m.getBoundingClientRect(); return b.right > 0 && b.left < innerWidth; }).length""")
        assert days >= 6  # the time navigation opens on events, not on an empty stretch
        opened.page.evaluate("window.timeline.goToStart()")
        opened.page.wait_for_timeout(1200)
        assert opened.page.evaluate("window.timeline.current_id") == opened.page.evaluate(
            "document.querySelector('.tl-slide-titleslide').id"
        )
        assert opened.blocked == [] and opened.errors == []
    finally:
        opened.page.close()


def test_background_events_leave_2019_2021_readable(shown):
    title = shown.page.inner_text(".tl-slide-titleslide")
    assert "Background:" in title and "Sino-British Joint Declaration" in title
    years = shown.page.inner_text(".tl-timeaxis")
    assert "1984" not in years and "1990" not in years


def test_no_card_overlaps_another_even_in_june_2020(shown):
    count, pairs = shown.page.evaluate(OVERLAPS)
    assert count > 20 and pairs == 0
    shown.go_to("open-letter-to-li-zhanshu")  # the densest weeks of the record
    assert shown.page.evaluate(OVERLAPS)[1] == 0


def test_the_86_names_are_folded_inside_their_slide(shown):
    shown.go_to("open-letter-to-li-zhanshu")
    slide = shown.page.locator(".tl-slide-content-container").filter(has_text="signatory (86)").first
    folded = slide.locator("details")
    assert folded.count() == 1 and folded.get_attribute("open") is None
    assert "and 78 more" in folded.locator("summary").inner_text()
    bottom = slide.bounding_box()
    timenav = shown.page.locator(".tl-timenav").bounding_box()
    assert bottom["y"] + bottom["height"] <= timenav["y"]


def test_the_measure_sees_overlaps_when_there_are_some(chromium, graph, tmp_path):
    """One row per event type stacks same-day events of a type on each other: the check notices."""
    path = tmp_path / "grouped.html"
    path.write_bytes(page(graph, group_by="type"))
    grouped = Shown(chromium, path)
    try:
        assert grouped.page.evaluate(OVERLAPS)[1] > 0
        assert grouped.blocked == [] and grouped.errors == []
    finally:
        grouped.page.close()
