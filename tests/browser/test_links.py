"""Links across sources on the compare page (#19): made with the mouse and the keyboard, marked in
each column and joined by connectors, opened, deleted, and seen live by another member."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from readingroom.annotations.links import LinkTarget, link_create, relation_for
from readingroom.annotations.models import Annotation, AnnotationTarget
from readingroom.annotations.sessions import session_join, session_start
from tests.browser.conftest import select_text
from tests.browser.test_reading_room_fixes import console_problems, pages  # noqa: F401 (fixture)
from tests.factories import make_user

AFP_SENTENCE = "Vladimir Putin shook hands with North Korean leader Kim Jong Un"
GUARDIAN_SENTENCE = "We’ll talk about all the issues, without rushing. There is time"


@pytest.fixture
def relations(transactional_db):
    """The five relations a data migration adds (live-server tests flush them after each test)."""
    importlib.import_module("readingroom.annotations.migrations.0009_first_relations").add_relations(apps, None)


def make_link_with_the_mouse(page, first, second, relation: str = "Same claim") -> None:
    select_text(page, page.locator(f"#column-{first.pk} .column-body"), AFP_SENTENCE)
    popover = page.locator("#annotation-popover")
    expect(popover).to_be_visible()
    popover.get_by_role("button", name="Link to…").click()
    expect(popover).to_be_hidden()
    # The first passage stays marked while the next is picked.
    expect(page.locator(f"#column-{first.pk} .link-pending").first).to_be_visible()
    expect(page.locator("#reading-status")).to_contain_text("select the passage to link it to")

    select_text(page, page.locator(f"#column-{second.pk} .column-body"), GUARDIAN_SENTENCE)
    expect(popover).to_be_visible()
    expect(popover.locator(".popover-link-passages li")).to_have_count(2)
    popover.get_by_label("Relation").select_option(label=relation)
    popover.get_by_label("Comment").fill("Both report the **handshake**.")
    popover.get_by_role("button", name="Save link").click()
    expect(popover).to_be_hidden()


def expect_link_drawn(page, first, second) -> None:
    for document, sentence in ((first, AFP_SENTENCE), (second, GUARDIAN_SENTENCE)):
        marks = page.locator(f"#column-{document.pk} .link-passage")
        expect(marks.first).to_be_visible()
        assert "".join(marks.all_text_contents()) == sentence
    expect(page.locator("svg.link-connectors path.link-connector")).to_have_count(1)


def test_a_reader_links_two_passages_with_the_mouse_sees_them_after_reload_and_deletes_the_link(
    page, live_server, seeded, signed_in, relations
):
    afp, guardian = seeded[1], seeded[4]
    problems = console_problems(page)
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}")
    make_link_with_the_mouse(page, afp, guardian, relation="Adds detail")

    link = Annotation.objects.get()
    assert link.relation.slug == "adds-detail" and link.document == afp and link.exact == AFP_SENTENCE
    target = AnnotationTarget.objects.get(annotation=link)
    assert target.document == guardian and target.exact == GUARDIAN_SENTENCE
    expect_link_drawn(page, afp, guardian)
    expect(page.locator(".link-pending")).to_have_count(0)
    # A link is not filled as an annotation.
    expect(page.locator("mark.annotation")).to_have_count(0)

    # The connector stays in the gutter: between the text of the two columns, never over it.
    numbers = [
        float(n)
        for n in page.locator("path.link-connector").get_attribute("d").replace("M", "").replace("C", " ").split()
    ]
    left_text = page.locator(f"#column-{afp.pk} .column-body [data-start]").first.bounding_box()
    right_text = page.locator(f"#column-{guardian.pk} .column-body [data-start]").first.bounding_box()
    assert left_text["x"] + left_text["width"] < min(numbers[0::2])
    assert max(numbers[0::2]) < right_text["x"]

    page.reload()
    expect_link_drawn(page, afp, guardian)
    # It follows the scroll of its column.
    connector = page.locator("path.link-connector")
    expect(connector).to_have_class("link-connector link-connector--away")  # its far end is below
    page.locator(f"#column-{guardian.pk} .link-passage").first.evaluate(
        "(span) => span.scrollIntoView({block: 'center'})"
    )
    expect(connector).to_have_class("link-connector")
    before = connector.get_attribute("d")
    page.locator(f"#column-{guardian.pk} .column-body").evaluate("(body) => { body.scrollTop += 60; }")
    expect(connector).not_to_have_attribute("d", before)

    # A click on a passage opens the link's card: every passage, the relation, the comment.
    page.locator(f"#column-{guardian.pk} .link-passage").first.click()
    thread = page.locator("#annotation-threads")
    expect(thread.locator(".thread-relation")).to_contain_text("Adds detail")
    expect(thread.locator(".link-passage-card")).to_have_count(2)
    # Two sentences saying different things: read side by side, not as a diff of every word.
    expect(thread.locator(".link-diff")).to_have_count(0)
    expect(thread.locator(".comment strong")).to_have_text("handshake")

    # Its relation changes in the edit form.
    thread.get_by_text("Edit", exact=True).click()
    thread.get_by_label("Relation").select_option(label="Contradicts")
    thread.get_by_role("button", name="Save changes").click()
    expect(thread.locator(".thread-relation")).to_contain_text("Contradicts")
    link.refresh_from_db()
    assert link.relation.slug == "contradicts"

    page.once("dialog", lambda dialog: dialog.accept())
    thread.get_by_role("button", name="Delete link").click()
    expect(page.locator(".link-passage")).to_have_count(0)
    expect(page.locator("path.link-connector")).to_have_count(0)
    assert not Annotation.objects.exists() and not AnnotationTarget.objects.exists()
    assert problems == []


def test_a_reader_links_two_passages_with_the_keyboard(page, live_server, seeded, signed_in, relations):
    afp, guardian = seeded[1], seeded[4]
    problems = console_problems(page)
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}")
    popover = page.locator("#annotation-popover")
    for document in (afp, guardian):
        column = page.locator(f"#column-{document.pk} .column-body")
        column.focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("s")
        expect(page.locator("#reading-status")).to_contain_text("1 sentence selected")
        page.keyboard.press("a")
        expect(popover).to_be_visible()
        if document == afp:
            popover.get_by_role("button", name="Link to…").focus()
            page.keyboard.press("Enter")
            expect(popover).to_be_hidden()
    expect(popover.locator(".popover-link-passages li")).to_have_count(2)
    popover.get_by_label("Relation").focus()
    page.keyboard.press("Tab")  # on to the tags
    popover.get_by_role("button", name="Save link").focus()
    page.keyboard.press("Enter")
    expect(popover).to_be_hidden()
    link = Annotation.objects.get()
    assert link.relation is not None and AnnotationTarget.objects.get(annotation=link).document == guardian
    expect(page.locator("path.link-connector")).to_have_count(1)
    # A linked passage takes keyboard focus, and Enter opens the link.
    page.locator(f"#column-{guardian.pk} .link-passage[role=button]").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#annotation-threads .link-passage-card")).to_have_count(2)
    assert problems == []


def test_a_second_member_sees_a_new_link_live(pages, live_server, seeded, relations):  # noqa: F811
    alice = make_user("alice", first_name="Alice")
    bob = make_user("bob", first_name="Bob")
    afp, guardian = seeded[1], seeded[4]
    session = session_start(user=alice, title="Summit read", documents=[afp, guardian])
    session_join(session=session, user=bob)
    url = f"{live_server.url}/sessions/{session.pk}/"
    page_a = pages(alice)
    page_b = pages(bob)
    problems = console_problems(page_b)
    page_a.goto(url)
    page_b.goto(url)
    page_b.evaluate("window.notReloaded = true")

    make_link_with_the_mouse(page_a, afp, guardian)
    link = Annotation.objects.get()
    assert link.session == session and link.visibility == "session"

    # B sees both passages marked and the connector within seconds, without reloading.
    expect(page_b.locator("path.link-connector")).to_have_count(1, timeout=3_000)
    for document in (afp, guardian):
        expect(page_b.locator(f"#column-{document.pk} .link-passage").first).to_be_visible()
    assert page_b.evaluate("window.notReloaded") is True

    # A deletes it; it goes from B's page too.
    page_a.locator(f"#column-{afp.pk} .link-passage").first.click()
    page_a.once("dialog", lambda dialog: dialog.accept())
    page_a.locator("#annotation-threads").get_by_role("button", name="Delete link").click()
    expect(page_b.locator(".link-passage")).to_have_count(0, timeout=3_000)
    expect(page_b.locator("path.link-connector")).to_have_count(0)
    assert problems == []


BBC_SENTENCE = "the two leaders met at the Vostochny cosmodrome"


def test_a_reader_links_passages_in_three_columns_with_the_mouse_and_deletes_the_link(
    page, live_server, seeded, signed_in, relations
):
    afp, bbc, guardian = seeded[1], seeded[3], seeded[4]
    problems = console_problems(page)
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={bbc.pk}&doc={guardian.pk}")
    popover = page.locator("#annotation-popover")
    picks = ((afp, AFP_SENTENCE), (bbc, BBC_SENTENCE), (guardian, GUARDIAN_SENTENCE))
    for number, (document, sentence) in enumerate(picks, start=1):
        select_text(page, page.locator(f"#column-{document.pk} .column-body"), sentence)
        expect(popover).to_be_visible()
        if number == 3:
            break
        if number == 2:
            expect(popover.locator(".popover-link-passages li")).to_have_count(2)
        popover.get_by_role("button", name="Add another passage…" if number == 2 else "Link to…").click()
        expect(popover).to_be_hidden()
        expect(page.locator(".link-pending")).not_to_have_count(0)
    expect(popover.locator(".popover-link-passages li")).to_have_count(3)
    popover.get_by_label("Relation").select_option(label="Same claim")
    popover.get_by_role("button", name="Save link").click()
    expect(popover).to_be_hidden()

    link = Annotation.objects.get()
    assert link.document == afp and link.relation.slug == "same-claim"
    assert [(t.document, t.exact) for t in AnnotationTarget.objects.filter(annotation=link).order_by("pk")] == [
        (bbc, BBC_SENTENCE),
        (guardian, GUARDIAN_SENTENCE),
    ]

    def expect_three_passages() -> None:
        for document, sentence in picks:
            marks = page.locator(f"#column-{document.pk} .link-passage")
            expect(marks.first).to_be_attached()
            assert "".join(marks.all_text_contents()) == sentence
        # One connector in each gutter: AFP to BBC, BBC to the Guardian (none across a column).
        expect(page.locator("path.link-connector")).to_have_count(2)

    expect_three_passages()
    expect(page.locator(".link-pending")).to_have_count(0)
    page.reload()
    expect_three_passages()

    page.locator(f"#column-{afp.pk} .link-passage").first.click()
    thread = page.locator("#annotation-threads")
    expect(thread.locator(".link-passage-card")).to_have_count(3)
    page.once("dialog", lambda dialog: dialog.accept())
    thread.get_by_role("button", name="Delete link").click()
    expect(page.locator(".link-passage")).to_have_count(0)
    expect(page.locator("path.link-connector")).to_have_count(0)
    assert not Annotation.objects.exists() and not AnnotationTarget.objects.exists()
    assert problems == []


def _link(user, relation: str, *passages) -> Annotation:
    targets = []
    for document, sentence in passages:
        start = document.canonical_text.index(sentence)
        targets.append(LinkTarget(document=document, start=start, end=start + len(sentence), exact=sentence))
    return link_create(user=user, targets=targets, relation=relation_for(relation), visibility="public")


IN_VIEW = """(span) => {
    const column = span.closest(".column-body").getBoundingClientRect();
    const box = span.getBoundingClientRect();
    return box.top >= column.top && box.bottom <= column.bottom;
}"""


def expect_in_view(page, locator) -> None:
    """The passage comes to show inside its scrolling column."""
    page.wait_for_function(IN_VIEW, arg=locator.element_handle(), timeout=5_000)


def test_the_side_panel_filters_links_by_relation_and_walks_them(page, live_server, seeded, signed_in, relations):
    afp, bbc, guardian = seeded[1], seeded[3], seeded[4]
    afp_late = afp.canonical_text.strip().split("\n")[-1].strip()[:60]
    guardian_late = guardian.canonical_text.strip().split("\n")[-1].strip()[:60]
    early = _link(signed_in, "same-claim", (afp, AFP_SENTENCE), (bbc, BBC_SENTENCE), (guardian, GUARDIAN_SENTENCE))
    late = _link(signed_in, "contradicts", (afp, afp_late), (guardian, guardian_late))
    problems = console_problems(page)
    # The Guardian between the two others: the second link joins adjacent columns too.
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}&doc={bbc.pk}")
    nav = page.get_by_role("region", name="Links")
    expect(nav).to_be_visible()
    expect(page.locator("path.link-connector")).to_have_count(3)

    # Filtered by relation: only that relation's passages are marked and joined.
    relation = nav.get_by_label("Links")
    # (and, last, the suggested links among these columns that no link joins yet: suggestions.js's)
    expect(relation.locator("option")).to_have_text(
        ["All relations", "Contradicts", "Same claim", re.compile(r"^Suggested \(\d+\)$")]
    )
    relation.select_option(label="Contradicts")
    expect(page.locator("path.link-connector")).to_have_count(1)
    expect(page.locator(f".link-passage[data-link='{early.pk}']")).to_have_count(0)
    expect(page.locator(f"#column-{afp.pk} .link-passage").first).to_have_attribute("data-link", str(late.pk))
    relation.select_option(label="All relations")
    expect(page.locator("path.link-connector")).to_have_count(3)

    # Next link walks them in reading order, each passage scrolled into view in its column.
    nav.get_by_role("button", name="Next link").click()
    expect(nav.locator(".link-nav-status")).to_have_text("Link 1 of 2: Same claim, 3 passages")
    nav.get_by_role("button", name="Next link").click()
    expect(nav.locator(".link-nav-status")).to_have_text("Link 2 of 2: Contradicts, 2 passages")
    for document in (afp, guardian):
        passage = page.locator(f"#column-{document.pk} .link-passage[data-link='{late.pk}']").first
        expect(passage).to_have_class(re.compile(r"\bis-current\b"))
        expect_in_view(page, passage)
    # The first link's passage near the top of the AFP column went out of view.
    assert not page.locator(f"#column-{afp.pk} .link-passage[data-link='{early.pk}']").first.evaluate(IN_VIEW)
    # Previous link goes back, and so does [ from the keyboard; ] goes on.
    nav.get_by_role("button", name="Previous link").click()
    expect(nav.locator(".link-nav-status")).to_have_text("Link 1 of 2: Same claim, 3 passages")
    for document in (afp, bbc, guardian):
        passage = page.locator(f"#column-{document.pk} .link-passage[data-link='{early.pk}']").first
        expect(passage).to_have_class(re.compile(r"\bis-current\b"))
    page.locator(f"#column-{bbc.pk} .column-body").focus()
    page.keyboard.press("]")
    expect(nav.locator(".link-nav-status")).to_have_text("Link 2 of 2: Contradicts, 2 passages")
    page.keyboard.press("[")
    expect(nav.locator(".link-nav-status")).to_have_text("Link 1 of 2: Same claim, 3 passages")
    for document in (afp, bbc, guardian):
        expect_in_view(page, page.locator(f"#column-{document.pk} .link-passage[data-link='{early.pk}']").first)

    # Filtered, the walk goes only through that relation's links.
    relation.select_option(label="Contradicts")
    nav.get_by_role("button", name="Next link").click()
    expect(nav.locator(".link-nav-status")).to_have_text("Link 1 of 1: Contradicts, 2 passages")
    assert problems == []


def _paragraph(document, where: float) -> str:
    """The first words of the paragraph that far (0 to 1) into the document."""
    paragraphs = [line.strip() for line in document.canonical_text.split("\n") if len(line.strip()) > 60]
    return paragraphs[int(where * (len(paragraphs) - 1))][:60]


TOP = "(span) => span.getBoundingClientRect().top"
FRACTION = "(body) => body.scrollTop / (body.scrollHeight - body.clientHeight)"


def test_link_scrolling_aligns_the_partners_of_a_passage_scrolled_to(page, live_server, seeded, signed_in, relations):
    afp, bbc, guardian = seeded[1], seeded[3], seeded[4]
    # Far down the AFP, near the top of the Guardian: proportional scrolling would not line them up.
    link = _link(signed_in, "same-claim", (afp, _paragraph(afp, 0.6)), (guardian, _paragraph(guardian, 0.1)))
    problems = console_problems(page)
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}&doc={bbc.pk}")
    expect(page.locator("path.link-connector")).to_have_count(1)
    page.get_by_label("Link scrolling").click()
    expect(page.get_by_label("Link scrolling")).to_be_checked()

    afp_body = page.locator(f"#column-{afp.pk} .column-body")
    read = page.locator(f"#column-{afp.pk} .link-passage[data-link='{link.pk}']").first
    partner = page.locator(f"#column-{guardian.pk} .link-passage[data-link='{link.pk}']").first
    box = afp_body.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # The reader wheels the AFP column down until its passage is in the column's upper third.
    for _ in range(60):
        if read.evaluate(TOP) < box["y"] + box["height"] / 4:
            break
        page.mouse.wheel(0, 80)
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)  # the wheel's scroll settles
    read_top = read.evaluate(TOP)
    assert box["y"] <= read_top <= box["y"] + box["height"] / 3
    # The Guardian's passage sits at the same height...
    assert abs(partner.evaluate(TOP) - read_top) <= 3
    # ...the column without a passage of the link follows proportionally, as before...
    fraction = afp_body.evaluate(FRACTION)
    assert abs(page.locator(f"#column-{bbc.pk} .column-body").evaluate(FRACTION) - fraction) < 0.02
    # ...and nothing echoes back: the column being read stays where the reader put it.
    page.wait_for_timeout(300)
    assert read.evaluate(TOP) == read_top

    # Wheeled on a little, the partner keeps pace with the passage.
    page.mouse.wheel(0, 40)
    page.wait_for_timeout(400)
    read_top = read.evaluate(TOP)
    assert box["y"] <= read_top
    assert abs(partner.evaluate(TOP) - read_top) <= 3
    assert problems == []
