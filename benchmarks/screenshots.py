"""Regenerate the README's screenshots (docs/network.png, docs/timeline.png, docs/map.png): the
default first view of `kg viz`, `kg viz --layout timeline` and `kg viz --layout map` (with one
event clicked, its details open) of the bundled graph, as a reader opens them, in headless
Chromium at 1400x900 with every request outside the page blocked.

    python3 benchmarks/screenshots.py            # writes docs/network.png, timeline.png and map.png
    python3 benchmarks/screenshots.py OUT_DIR    # elsewhere

Needs Chromium (Debian: ``apt-get install chromium``; or $KG_CHROMIUM) and playwright.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' browser flags
VIEWPORT = {"width": 1400, "height": 900}
#: The event clicked on the map, so that its picture shows the details panel too.
MAP_EVENT = "https://w3id.org/hk-timeline-kg/id/event/national-security-law-takes-effect"


def only(url: str):
    """A route handler that lets the page itself load and aborts every other request."""
    return lambda route: route.continue_() if route.request.url == url else route.abort()


def take(directory: Path) -> list[Path]:
    """Write ``network.png``, ``timeline.png`` and ``map.png`` of the first views into ``directory``."""
    from playwright.sync_api import sync_playwright
    from test_viz import BROWSER_ARGS, chromium_path

    import kg
    from kg import viz

    graph = kg.load()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=BROWSER_ARGS)
        for layout in ("network", "timeline", "map"):
            page_path = Path(tmp) / f"{layout}.html"
            viz.view(graph, layout=layout).write(page_path)
            context = browser.new_context(viewport=VIEWPORT, service_workers="block")
            page = context.new_page()
            url = page_path.resolve().as_uri()
            page.route("**/*", only(url))
            page.goto(url)
            page.wait_for_selector("body[data-drawn]", state="attached", timeout=60_000)
            if layout == "map":
                page.locator(f'circle.kg-marker[data-id="{MAP_EVENT}"]').click()
            else:
                page.wait_for_selector("#kg-timeline .vis-item", timeout=60_000)
            page.wait_for_timeout(800)
            out = directory / f"{layout}.png"
            page.screenshot(path=str(out))
            written.append(out)
            context.close()
        browser.close()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"):
        print(f"wrote {path}")
