"""Issue 17, item 8: reading two articles and annotating one on a 390×844 phone."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from playwright.sync_api import expect

from readingroom.annotations.models import Annotation
from tests.browser.test_reading_room_fixes import RANGE_OF_TEXT, console_problems, drag_over

WIDTH, HEIGHT = 390, 844


@pytest.fixture
def phone(browser, live_server, signed_in):
    """A phone-sized, touch-capable page, signed in as ``signed_in``."""
    client = Client()
    client.force_login(signed_in)
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, has_touch=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def fits_the_width(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_reader_on_a_phone_reads_two_articles_and_annotates_one(phone, live_server, seeded):
    page = phone
    problems = console_problems(page)
    first, second = seeded[1], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")

    # The header fits: search and sign out on screen, nothing to scroll sideways to.
    assert fits_the_width(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_in_viewport()
    expect(page.get_by_label("Search articles and annotations")).to_be_in_viewport()
    # The tools are folded away; the first article starts in the top half of the screen.
    expect(page.get_by_label("Add a column")).to_be_hidden()
    expect(page.locator(".legend")).to_be_hidden()
    first_column = page.locator(f"#column-{first.pk}")
    second_column = page.locator(f"#column-{second.pk}")
    assert first_column.bounding_box()["y"] < HEIGHT / 2
    expect(first_column).to_be_visible()
    expect(second_column).to_be_hidden()
    page.get_by_text("Tools: columns, entity colours, options").tap()
    expect(page.get_by_label("Add a column")).to_be_visible()
    page.get_by_text("Tools: columns, entity colours, options").tap()

    # One article at a time: a button per article switches.
    switcher = page.get_by_role("group", name="Article shown")
    switcher.get_by_role("button", name="2. The Guardian").tap()
    expect(second_column).to_be_visible()
    expect(first_column).to_be_hidden()
    expect(second_column.locator(".document-body")).to_contain_text("Kim Jong-un has offered Vladimir Putin")
    page.mouse.wheel(0, 1500)
    assert fits_the_width(page)
    switcher.get_by_role("button", name="1. Kyiv Post").tap()
    expect(first_column).to_be_visible()
    expect(second_column).to_be_hidden()
    expect(switcher).to_be_in_viewport()

    # Tapping a name opens its card, though the tools (with the entity colours) stay folded.
    first_column.locator("mark.entity", has_text="Putin").first.tap()
    card = page.locator("#entity-card")
    expect(card).to_be_visible()
    expect(card.locator(".entity-card-name")).to_contain_text("Putin")
    expect(card).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()

    # Annotate a passage of the first article: select it, tag it, save.
    sentence = "kicking off a meeting that could see the leaders forge an arms deal"
    drag_over(page, first_column.locator(".document-body"), sentence)
    popover = page.locator("#annotation-popover")
    expect(popover).to_be_visible()
    popover_box = popover.bounding_box()
    assert popover_box["x"] >= 0 and popover_box["x"] + popover_box["width"] <= WIDTH
    tags = popover.get_by_label("Tags", exact=True)
    tags.fill("arms")
    tags.press("Enter")
    popover.get_by_role("button", name="Save").tap()
    expect(popover).to_be_hidden()
    expect(first_column.locator("mark.annotation").first).to_be_visible()
    annotation = Annotation.objects.get()
    assert annotation.document_id == first.pk and annotation.exact == sentence

    # The annotations are in a drawer, opened and closed from a button.
    panel = page.locator(".annotation-sidebar")
    expect(panel).to_be_hidden()
    page.get_by_role("button", name="Annotations", exact=True).tap()
    expect(panel).to_be_visible()
    expect(panel.locator("#annotation-list")).to_contain_text("1 annotation")
    assert panel.bounding_box()["width"] <= WIDTH
    page.get_by_role("button", name="Hide annotations").tap()
    expect(panel).to_be_hidden()

    # Tapping the highlight opens its thread in the drawer.
    first_column.locator("mark.annotation").first.tap()
    expect(panel.locator("#annotation-threads .thread-header .tag-chip")).to_have_text(["arms"])
    expect(panel).to_be_in_viewport()
    assert fits_the_width(page)
    assert problems == []


def test_a_column_added_on_a_phone_is_the_one_shown(phone, live_server, seeded):
    page = phone
    problems = console_problems(page)
    first, second, third = seeded[1], seeded[4], seeded[2]
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    page.get_by_text("Tools: columns, entity colours, options").tap()
    page.get_by_label("Add a column").select_option(str(third.pk))
    page.get_by_role("button", name="Add", exact=True).tap()
    switcher = page.get_by_role("group", name="Article shown")
    expect(switcher.get_by_role("button")).to_have_count(3)
    expect(switcher.get_by_role("button").nth(2)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#column-{third.pk}")).to_be_visible()
    expect(page.locator(f"#column-{first.pk}")).to_be_hidden()
    expect(page.locator(f"#column-{third.pk} .column-header")).to_be_focused()
    assert fits_the_width(page)
    assert problems == []


def test_no_page_is_wider_than_a_phone(phone, live_server, seeded, signed_in):
    from readingroom.annotations.sessions import session_start
    from readingroom.entities.models import Entity
    from tests.factories import make_annotation

    first, second = seeded[1], seeded[4]
    session = session_start(user=signed_in, title="Summit read", documents=[first, second])
    make_annotation(user=signed_in, document=first, quote="shook hands", tag_names=["claim"], session=session)
    entity = Entity.objects.filter(mentions__document=first).order_by("name").first()
    too_wide = {}
    for path in (
        "/",
        f"/documents/{first.pk}/",
        f"/compare/?doc={first.pk}&doc={second.pk}",
        "/search/?q=Putin",
        "/entities/",
        f"/entities/{entity.pk}/",
        "/quotes/",
        f"/quotes/?doc={first.pk}&doc={second.pk}",
        "/sessions/",
        f"/sessions/{session.pk}/",
        f"/sessions/{session.pk}/members/",
        f"/sessions/{session.pk}/dashboard/",
    ):
        phone.goto(f"{live_server.url}{path}")
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide[path] = phone.evaluate(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-scroll'))"
                ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
            )
    assert too_wide == {}


def swipe(page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A one-finger swipe, as the touchscreen sends it (Chromium's input events, not page script)."""
    cdp = page.context.new_cdp_session(page)
    steps = 6
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_swipe_sideways_switches_articles_and_one_downwards_does_not(phone, live_server, seeded):
    page = phone
    first, second = seeded[1], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    first_column, second_column = page.locator(f"#column-{first.pk}"), page.locator(f"#column-{second.pk}")
    swipe(page, (200, 600), (200, 300))  # reading on: no switch
    expect(first_column).to_be_visible()
    swipe(page, (320, 500), (60, 520))
    expect(second_column).to_be_visible()
    expect(first_column).to_be_hidden()
    expect(page.get_by_role("button", name="2. The Guardian")).to_have_attribute("aria-pressed", "true")
    swipe(page, (60, 500), (330, 490))
    expect(first_column).to_be_visible()


# What a long press and the selection's handles leave behind: the phone's own gesture, which
# headless Chromium does not perform (a long touch there selects nothing), so the test makes the
# selection it would make. Everything else is done with the finger and the on-screen keyboard.
SELECT_AS_THE_HANDLES_DO = f"""(element, wanted) => {{
    const range = ({RANGE_OF_TEXT})(element, wanted);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    const rect = range.getBoundingClientRect();
    return [rect.left, rect.top, rect.right, rect.bottom];
}}"""


def test_a_reader_selects_with_a_finger_and_annotates(phone, live_server, seeded):
    page = phone
    problems = console_problems(page)
    first, second = seeded[1], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    body = page.locator(f"#column-{first.pk} .document-body")
    words = "could see the leaders forge an arms deal"
    paragraph = body.locator("p", has_text=words).first
    paragraph.scroll_into_view_if_needed()
    # The finger comes down on the paragraph (its left edge, away from any name), and the long press
    # selects the words; no mouse button is ever let go.
    box = paragraph.bounding_box()
    page.touchscreen.tap(box["x"] + 2, box["y"] + box["height"] - 4)
    body.evaluate(SELECT_AS_THE_HANDLES_DO, "the leaders forge")

    popover = page.locator("#annotation-popover")
    expect(popover).to_be_visible()
    expect(popover.locator(".popover-quote")).to_have_text("the leaders forge")
    # The popover leaves the focus (and so the phone's keyboard) alone until the reader taps into it.
    assert not page.evaluate("document.getElementById('annotation-popover').contains(document.activeElement)")

    # The reader drags a handle to take in more words: the popover follows the selection.
    _, words_top, _, words_bottom = body.evaluate(SELECT_AS_THE_HANDLES_DO, words)
    expect(popover.locator(".popover-quote")).to_have_text(words)
    popover_box = popover.bounding_box()
    assert popover_box["x"] >= 0 and popover_box["x"] + popover_box["width"] <= WIDTH
    # Beside the words, not over them.
    assert popover_box["y"] >= words_bottom or popover_box["y"] + popover_box["height"] <= words_top

    tags = popover.get_by_label("Tags", exact=True)
    tags.tap()
    expect(tags).to_be_focused()
    page.keyboard.type("arms")
    page.keyboard.press("Enter")
    popover.get_by_role("button", name="Save").tap()
    expect(popover).to_be_hidden()
    expect(body.locator("mark.annotation", has_text="forge")).to_be_visible()
    annotation = Annotation.objects.get()
    assert annotation.document_id == first.pk and annotation.exact == words
    assert list(annotation.tags.values_list("name", flat=True)) == ["arms"]
    assert problems == []


def test_next_link_on_a_phone_shows_the_passage_above_the_open_drawer(phone, live_server, seeded, signed_in):
    from tests.browser.test_links import _link

    importlib.import_module("readingroom.annotations.migrations.0009_first_relations").add_relations(apps, None)
    page = phone
    problems = console_problems(page)
    afp, guardian = seeded[1], seeded[4]
    # A passage near the foot of each article: the drawer would cover it if it were centred.
    late = [document.canonical_text.strip().split("\n")[-1].strip()[:60] for document in (afp, guardian)]
    _link(signed_in, "contradicts", (afp, late[0]), (guardian, late[1]))
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}")
    page.get_by_role("button", name="Annotations", exact=True).tap()
    drawer = page.locator(".annotation-sidebar")
    expect(drawer).to_be_visible()
    nav = page.get_by_role("region", name="Links")
    nav.get_by_role("button", name="Next link").tap()
    expect(nav.locator(".link-nav-status")).to_have_text("Link 1 of 1: Contradicts, 2 passages")
    passage = page.locator(f"#column-{afp.pk} .link-passage").first
    expect(passage).to_be_in_viewport()
    page.wait_for_timeout(300)  # the scroll has settled
    drawer_top = drawer.bounding_box()["y"]
    box = passage.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= drawer_top
    assert problems == []
