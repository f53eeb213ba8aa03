"""Issue 17, item 3: reading and annotating with the keyboard alone."""

from __future__ import annotations

from playwright.sync_api import expect

from readingroom.annotations.models import Annotation
from readingroom.annotations.sessions import session_join, session_start
from tests.browser.conftest import NetworkQuiet
from tests.browser.test_reading_room_fixes import console_problems, pages  # noqa: F401 (fixture)
from tests.factories import make_annotation, make_user


def press_tab_until(page, locator, most: int) -> int:
    """Press Tab until ``locator`` has focus; the number of presses it took."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{locator} not reached in {most} presses of Tab")


def test_a_reader_annotates_a_passage_and_replies_with_the_keyboard_alone(page, live_server, seeded, signed_in):
    first, second = seeded[1], seeded[4]
    problems = console_problems(page)
    quiet = NetworkQuiet(page)
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    first_column = page.locator(f"#column-{first.pk} .column-body")
    second_column = page.locator(f"#column-{second.pk} .column-body")
    focused = page.locator(":focus")

    # The skip links: the second goes to the articles.
    page.keyboard.press("Tab")
    expect(focused).to_have_text("Skip to content")
    page.keyboard.press("Tab")
    expect(focused).to_have_text("Skip to articles")
    page.keyboard.press("Enter")
    assert press_tab_until(page, first_column, 3) <= 3
    # What the keys do there is on screen (and read out).
    expect(page.locator("#reading-status")).to_be_visible()
    expect(page.locator("#reading-status")).to_contain_text("arrow keys move between highlights")

    # Each article is one Tab stop, however many entities it has: its title, then its text.
    assert first_column.locator("mark.entity").count() > 20
    assert press_tab_until(page, second_column, 3) == 2
    # Then the side panel: the Links row first (its filter, Previous, Next: the seeds give
    # suggested links), then the annotations' search.
    assert press_tab_until(page, page.get_by_label("Search annotations"), 6) <= 6

    # Back into the first article (Shift+Tab back over the Links row); arrows go from highlight
    # to highlight.
    for _ in range(4):
        page.keyboard.press("Shift+Tab")
        if second_column.evaluate("(column) => column === document.activeElement"):
            break
    expect(focused).to_have_class("column-body document-body")
    expect(focused).to_have_attribute("data-document", str(second.pk))
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(focused).to_have_attribute("data-document", str(first.pk))
    page.keyboard.press("ArrowDown")
    first_mark = focused.text_content()
    expect(first_column.locator("mark.entity:focus")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    second_mark = focused.text_content()
    expect(first_column.locator("mark.entity:focus")).to_have_count(1)
    page.keyboard.press("ArrowUp")
    expect(focused).to_have_text(first_mark)
    assert second_mark

    # S selects the sentence at the highlight, Shift+Down adds the next one, A annotates.
    page.keyboard.press("s")
    expect(page.locator("#reading-status")).to_have_text(
        "1 sentence selected. Press A to annotate, Shift and the arrow keys to change it."
    )
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowUp")
    expect(page.locator("#reading-status")).to_contain_text("2 sentences selected")
    page.keyboard.press("a")
    popover = page.locator("#annotation-popover")
    expect(popover).to_be_visible()
    expect(popover.get_by_label("Tags", exact=True)).to_be_focused()
    quote = popover.locator(".popover-quote").text_content()
    assert first_mark in quote
    page.keyboard.type("claim")
    page.keyboard.press("Enter")
    expect(popover.locator(".tag-chip")).to_have_text(["claim×"])
    page.keyboard.press("Tab")
    expect(popover.get_by_label("Comment")).to_be_focused()
    page.keyboard.type("Two sentences, chosen from the keyboard.")
    press_tab_until(page, popover.get_by_role("button", name="Save"), 2)
    page.keyboard.press("Enter")
    expect(popover).to_be_hidden()

    annotation = Annotation.objects.get()
    assert annotation.document_id == first.pk and first_mark in annotation.exact
    assert quote.rstrip("…") in annotation.exact
    # Two sentences: the text ends a sentence, and one sentence end is inside it.
    assert annotation.exact.rstrip().endswith((".", "”", '"', "?", "!", ":")), annotation.exact

    # Focus is on the new highlight; Enter opens its thread; a reply from the keyboard.
    expect(focused).to_have_attribute("data-annotation", str(annotation.pk))
    page.keyboard.press("Enter")
    thread = page.locator("#annotation-threads")
    expect(thread.locator(".thread-header .tag-chip")).to_have_text(["claim"])
    expect(thread.locator(".comment")).to_have_text("Two sentences, chosen from the keyboard.")
    press_tab_until(page, thread.get_by_label("Reply"), 6)
    page.keyboard.type("Agreed: the **second** one matters.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(thread.locator(".reply .comment strong")).to_have_text("second")
    # Focus stays in the thread; Escape takes it back to the highlight in the article.
    assert thread.evaluate("element => element.contains(document.activeElement)")
    # Once the page has settled (the article's highlights come back after the reply), as a reader
    # reads the reply before going on.
    quiet.wait()
    page.keyboard.press("Escape")
    expect(focused).to_have_attribute("data-annotation", str(annotation.pk))
    assert problems == []


def test_a_reader_leaves_the_popover_with_escape_and_is_back_where_they_were(page, live_server, seeded, signed_in):
    document = seeded[4]
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to the article")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    mark = page.locator(":focus")
    text = mark.text_content()
    page.keyboard.press("s")
    page.keyboard.press("a")
    expect(page.locator("#annotation-popover")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#annotation-popover")).to_be_hidden()
    expect(page.locator(":focus")).to_have_text(text)
    assert page.locator(":focus").evaluate("element => element.matches('mark.entity')")

    # Everything selected is more than one article: A says what to do instead of nothing.
    page.keyboard.press("Control+a")
    page.keyboard.press("a")
    expect(page.locator("#annotation-popover")).to_be_hidden()
    expect(page.locator("#reading-status")).to_have_text(
        "Select text inside one article to annotate it (in an article, S selects a sentence)."
    )


def test_arrows_pass_over_entity_types_switched_off_and_skip_links_open_the_panel(page, live_server, seeded):
    first, second = seeded[1], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    page.get_by_role("button", name="Person", exact=True).click()
    page.get_by_role("button", name="Place", exact=True).click()
    column = page.locator(f"#column-{first.pk} .column-body")
    assert column.locator("mark.entity--person").count() > 5
    page.get_by_role("button", name="Hide annotations").click()
    expect(page.locator(".annotation-sidebar")).to_be_hidden()

    page.locator("main").click(position={"x": 2, "y": 2})
    page.keyboard.press("Shift+Tab")  # back up to the top of the page, then through the skip links
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        if page.locator(":focus").text_content() == "Skip to content":
            break
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    press_tab_until(page, column, 3)
    visited = []
    for _ in range(15):
        page.keyboard.press("ArrowDown")
        visited.append(page.locator(":focus").get_attribute("class"))
    assert visited and all("entity--person" not in c and "entity--place" not in c for c in visited), visited
    assert any("entity--" in c for c in visited)

    page.keyboard.press("Shift+Tab")
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if page.locator(":focus").text_content() == "Skip to annotations":
            break
    page.keyboard.press("Enter")
    expect(page.locator(".annotation-sidebar")).to_be_visible()
    expect(page.locator("#annotation-panel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Search annotations")).to_be_focused()


def test_a_live_update_leaves_keyboard_focus_on_the_same_highlight(pages, live_server, seeded):  # noqa: F811
    first, second = seeded[1], seeded[4]
    owner, member = make_user("owner"), make_user("member")
    session = session_start(user=owner, title="Summit read", documents=[first, second])
    session_join(session=session, user=member)
    page = pages(member)
    problems = console_problems(page)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Skip to articles
    press_tab_until(page, page.locator(f"#column-{first.pk} .column-body"), 3)
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    focused = page.locator(":focus")
    text = focused.text_content()
    entity = focused.get_attribute("data-entity")

    # Another member annotates the same article; the page shows it without moving the reader.
    make_annotation(user=owner, document=first, quote="shook hands", tag_names=["claim"], session=session)
    expect(page.locator(f"#column-{first.pk} mark.annotation")).to_have_text("shook hands", timeout=4_000)
    expect(focused).to_have_text(text)
    expect(focused).to_have_attribute("data-entity", entity)
    page.keyboard.press("ArrowDown")
    expect(focused).not_to_have_text(text)
    assert problems == []
