"""Time to first paint of a page in headless Chromium (Debian's, driven by Playwright), for `make bench`.

Each run opens a fresh browser context with the reader's session cookie, loads the page and reads
the browser's own Paint Timing entries (first-paint, first-contentful-paint) and navigation timing
(response end, DOMContentLoaded, load). Nothing is downloaded: Playwright's driver ships in its
wheel and Chromium comes from Debian (`make browser`).
"""

from __future__ import annotations

import statistics
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

TIMINGS = """() => {
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const nav = performance.getEntriesByType('navigation')[0];
  return {first_paint: paint['first-paint'], first_contentful_paint: paint['first-contentful-paint'],
          response_end: nav.responseEnd, dom_content_loaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          transfer_bytes: nav.transferSize, html_bytes: nav.decodedBodySize, elements: document.getElementsByTagName('*').length,
          marks: document.querySelectorAll('mark').length};
}"""


class PaintUnavailable(Exception):
    pass


def page_paint(url: str, cookies: dict[str, str], *, runs: int = 5) -> dict:
    """Medians over ``runs`` cold loads (new context each time) of the page's timings, in ms."""
    if not Path(CHROMIUM).exists():
        raise PaintUnavailable(f"no Chromium at {CHROMIUM} (`make browser` installs Debian's)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise PaintUnavailable(f"Playwright is not installed ({error}); `make install-test` installs it") from None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for _ in range(runs + 1):  # the first load warms the server's caches and is not counted
                context = browser.new_context()
                context.add_cookies([{"name": k, "value": v, "domain": host, "path": "/"} for k, v in cookies.items()])
                page = context.new_page()
                response = page.goto(url, wait_until="load")
                if response is None or response.status != 200:
                    raise PaintUnavailable(f"{url} answered {response.status if response else 'nothing'}")
                page.wait_for_timeout(100)  # paint entries are recorded just after the frame
                results.append(page.evaluate(TIMINGS))
                context.close()
        finally:
            browser.close()
    counted = results[1:]
    summary = {
        key: statistics.median(r[key] for r in counted if r[key] is not None)
        for key in counted[0]
        if all(r[key] is not None for r in counted)
    }
    summary["runs"] = len(counted)
    return summary
