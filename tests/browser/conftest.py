"""Playwright in Debian's Chromium against pytest-django's live server.

No browser is downloaded: the tests use /usr/bin/chromium (README: `make test` installs it).
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import seed_curation_load
from tests.snapshots import Snapshot

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (installs Debian's chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def restore_migration_data() -> None:
    """Live-server tests flush the database after each test, taking with them the rows that
    migrations put there (known sources): put them back, as migrations do."""
    from django.apps import apps

    importlib.import_module("readingroom.library.migrations.0002_known_sources").add_known_sources(apps, None)


def _seeds_compared():
    from readingroom.coverage.services import coverage_update
    from readingroom.entities.extraction import documents_extract_entities
    from readingroom.library.importing import documents_import_paths

    restore_migration_data()
    seed_curation_load()
    results = documents_import_paths(paths=[SEEDS])
    assert all(result.status == "imported" for result in results), [r.message for r in results]
    documents = [result.document for result in results]
    documents_extract_entities(documents=documents)
    coverage_update(documents=documents)
    return documents


def _documents_in_order(ids):
    from readingroom.library.models import Document

    found = Document.objects.in_bulk(list(ids))
    return [found[pk] for pk in ids]


# Live-server tests start from an emptied database: the migrations' rows and the seeds, with their
# entities, quotes and shared passages, built once per test process and then written back.
seeds_compared = Snapshot(
    build=_seeds_compared,
    keep=lambda documents: tuple(document.pk for document in documents),
    again=_documents_in_order,
    from_empty=True,
)


@pytest.fixture
def seeded(transactional_db, remembered_spans):
    return seeds_compared()


@pytest.fixture
def signed_in(page, live_server, transactional_db):
    """The page's browser signed in as a new user (a real session cookie, as after logging in)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_user("annotator", password="a-long-passphrase")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return user


def select_text(page, locator, text: str, through: str | None = None) -> None:
    """Select ``text`` inside the element (or from ``text`` to the end of the next ``through``), as
    a reader dragging the mouse would: a DOM Range over the text nodes, across any marks."""
    locator.evaluate(
        """(element, [wanted, through]) => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            let full = "", nodes = [];
            while (walker.nextNode()) { nodes.push([walker.currentNode, full.length]); full += walker.currentNode.data; }
            const at = full.indexOf(wanted);
            if (at < 0) throw new Error("text not found: " + wanted);
            let stop = at + wanted.length;
            if (through) {
                const next = full.indexOf(through, at);
                if (next < 0) throw new Error("text not found: " + through);
                stop = next + through.length;
            }
            const find = (offset) => {
                for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
            };
            const range = document.createRange();
            range.setStart(...find(at));
            range.setEnd(...find(stop));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [text, through],
    )
    # The popover opens when the mouse button comes up after selecting.
    page.dispatch_event("body", "mouseup")


class NetworkQuiet:
    """Waits until a page has had no request in flight for ``QUIET_SECONDS``: the page and what
    its scripts load on arrival are in (htmx panels, the first live poll), so their errors would
    have been logged. Playwright's "networkidle" does the same with half a second of quiet, which
    a test visiting twenty pages pays twenty times."""

    QUIET_SECONDS = 0.15

    def __init__(self, page) -> None:
        import time

        self._clock = time.monotonic
        self.page = page
        self.in_flight: set = set()
        self.last = self._clock()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request) -> None:
        self.in_flight.add(request)
        self.last = self._clock()

    def _ended(self, request) -> None:
        self.in_flight.discard(request)
        self.last = self._clock()

    def wait(self, timeout: float = 10.0) -> None:
        self.page.wait_for_load_state("load")
        deadline = self._clock() + timeout
        while self.in_flight or self._clock() - self.last < self.QUIET_SECONDS:
            if self._clock() > deadline:
                raise TimeoutError(f"requests still in flight: {[r.url for r in self.in_flight]}")
            self.page.wait_for_timeout(20)  # Playwright hands over the page's events meanwhile
