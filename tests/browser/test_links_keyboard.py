"""A link across three columns made, opened, edited and deleted with the keyboard alone (#19):
Tab moves between the articles and the controls, the reading keys pick the passages."""

from __future__ import annotations

from playwright.sync_api import expect

from readingroom.annotations.models import Annotation, AnnotationTarget
from tests.browser.test_links import relations  # noqa: F401 (fixture)
from tests.browser.test_reading_room_fixes import console_problems

FOCUSED = "(element) => element === document.activeElement"


def tab_to(page, target, *, limit: int = 60, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus, as a keyboard user does."""
    target.first.wait_for()
    for _ in range(limit):
        if target.first.evaluate(FOCUSED):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def test_a_link_across_three_columns_is_made_edited_and_deleted_with_the_keyboard(
    page,
    live_server,
    seeded,
    signed_in,
    relations,  # noqa: F811
):
    afp, bbc, guardian = seeded[1], seeded[3], seeded[4]
    problems = console_problems(page)
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={bbc.pk}&doc={guardian.pk}")
    popover = page.locator("#annotation-popover")

    # In each article: Tab to it, ↓ to its first sentence, s selects it, a opens the popover.
    for number, document in enumerate((afp, bbc, guardian), start=1):
        tab_to(page, page.locator(f"#column-{document.pk} .column-body"))
        page.keyboard.press("ArrowDown")
        page.keyboard.press("s")
        expect(page.locator("#reading-status")).to_contain_text("1 sentence selected")
        page.keyboard.press("a")
        expect(popover).to_be_visible()
        if number < 3:
            tab_to(page, popover.get_by_role("button", name="Link to…" if number == 1 else "Add another passage…"))
            page.keyboard.press("Enter")
            expect(popover).to_be_hidden()
            expect(page.locator(f"#column-{document.pk} .link-pending").first).to_be_attached()

    expect(popover.locator(".popover-link-passages li")).to_have_count(3)
    relation = popover.get_by_label("Relation")
    tab_to(page, relation)
    page.keyboard.press("ArrowDown")  # the next relation in the list
    chosen = relation.evaluate("(select) => select.selectedOptions[0].textContent")
    tab_to(page, popover.get_by_role("button", name="Save link"))
    page.keyboard.press("Enter")
    expect(popover).to_be_hidden()

    link = Annotation.objects.get()
    assert link.document == afp and link.relation.name == chosen
    assert [t.document for t in AnnotationTarget.objects.filter(annotation=link).order_by("pk")] == [bbc, guardian]
    expect(page.locator("path.link-connector")).to_have_count(2)

    # The middle column's linked passage is one of its highlights: Tab to the article, the arrow
    # keys to the passage, Enter opens the link's card.
    tab_to(page, page.locator(f"#column-{bbc.pk} .column-body"))
    passage = page.locator(f"#column-{bbc.pk} .link-passage[role=button]")
    for _ in range(40):
        if passage.first.evaluate(FOCUSED):
            break
        page.keyboard.press("ArrowDown")
    expect(passage.first).to_be_focused()
    page.keyboard.press("Enter")
    thread = page.locator("#annotation-threads")
    expect(thread.locator(".link-passage-card")).to_have_count(3)
    expect(thread.locator(".thread-relation")).to_contain_text(chosen)

    # Edit: open the form, change the relation, save.
    tab_to(page, thread.locator("summary", has_text="Edit"))
    page.keyboard.press("Enter")
    edit_relation = thread.get_by_label("Relation")
    tab_to(page, edit_relation)
    page.keyboard.press("ArrowDown")
    edited = edit_relation.evaluate("(select) => select.selectedOptions[0].textContent")
    assert edited != chosen
    tab_to(page, thread.get_by_role("button", name="Save changes"))
    page.keyboard.press("Enter")
    expect(thread.locator(".thread-relation")).to_contain_text(edited)
    link.refresh_from_db()
    assert link.relation.name == edited

    # Delete, confirming the browser's question.
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, thread.get_by_role("button", name="Delete link"))
    page.keyboard.press("Enter")
    expect(page.locator(".link-passage")).to_have_count(0)
    expect(page.locator("path.link-connector")).to_have_count(0)
    assert not Annotation.objects.exists() and not AnnotationTarget.objects.exists()
    assert problems == []
