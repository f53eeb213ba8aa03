"""Suggested links on the compare page (#19): the same quote, a shared passage and disagreements
between the columns, marked dotted and offered in the side panel; one is accepted with the mouse
and becomes a link, another is dismissed with the keyboard and stays gone after a reload, and in
a session an accepted suggestion reaches the other members as a link."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from readingroom.annotations.models import Annotation, AnnotationTarget, SuggestionDismissal
from readingroom.annotations.sessions import session_join, session_start
from tests.browser.test_reading_room_fixes import console_problems, pages  # noqa: F401 (fixture)
from tests.factories import make_user

TALK = "talk about all the issues"


@pytest.fixture
def relations(transactional_db):
    importlib.import_module("readingroom.annotations.migrations.0009_first_relations").add_relations(apps, None)


def suggested_keys(page) -> set[str]:
    return set(page.locator(".suggested-passage").evaluate_all("(spans) => spans.map((s) => s.dataset.suggestion)"))


def test_a_reader_accepts_a_suggestion_with_the_mouse_and_dismisses_one_with_the_keyboard(
    page, live_server, seeded, signed_in, relations
):
    afp, guardian = seeded[1], seeded[4]
    problems = console_problems(page)
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}")

    # The Putin quote both print, each in its own translation, is marked dotted in both columns.
    talk = page.locator(f"#column-{afp.pk} .suggested-passage", has_text=TALK).first
    expect(talk).to_be_visible()
    expect(page.locator(f"#column-{guardian.pk} .suggested-passage", has_text=TALK).first).to_be_attached()
    keys = suggested_keys(page)
    assert len(keys) >= 2
    expect(page.locator("svg.suggestion-connectors path.suggestion-connector")).to_have_count(len(keys))
    expect(page.locator("#link-relation").locator("option", has_text="Suggested")).to_have_text(
        f"Suggested ({len(keys)})"
    )

    # With the mouse: open it, read why, accept it.
    talk.click()
    card = page.locator("#suggestion-card")
    expect(card).to_be_visible()
    expect(card.locator(".suggestion-card-heading")).to_have_text("Suggested link: Different translation")
    expect(card.locator(".suggestion-passages li")).to_have_count(2)
    accepted_key = card.locator("input[name=key]").input_value()
    card.get_by_role("button", name="Accept").click()
    expect(card).to_be_hidden()
    expect(page.locator(f"#column-{afp.pk} .link-passage", has_text=TALK).first).to_be_visible()
    expect(page.locator("svg.link-connectors path.link-connector")).to_have_count(1)
    link = Annotation.objects.get()
    assert link.author == signed_in and link.relation.slug == "different-translation" and TALK in link.exact
    assert AnnotationTarget.objects.get(annotation=link).document == guardian
    expect(page.locator(f'.suggested-passage[data-suggestion="{accepted_key}"]')).to_have_count(0)

    # With the keyboard: the Links filter's Suggested entry, ] to the first suggestion, Tab to Dismiss.
    links_filter = page.locator("#link-relation")
    links_filter.focus()
    links_filter.select_option(label=f"Suggested ({len(keys) - 1})")
    page.locator("#columns").focus()
    page.keyboard.press("]")
    expect(card).to_be_visible()
    expect(card).to_be_focused()
    dismissed_key = card.locator("input[name=key]").input_value()
    assert dismissed_key != accepted_key
    dismiss = card.get_by_role("button", name="Dismiss")
    for _ in range(6):
        if dismiss.evaluate("(button) => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(dismiss).to_be_focused()
    page.keyboard.press("Enter")
    expect(card).to_be_hidden()
    expect(page.locator(f'.suggested-passage[data-suggestion="{dismissed_key}"]')).to_have_count(0)
    assert SuggestionDismissal.objects.filter(user=signed_in, key=dismissed_key, session=None).exists()

    # After a reload the dismissed suggestion stays gone, the accepted one is a link, the rest stay.
    page.reload()
    expect(page.locator(f"#column-{afp.pk} .link-passage", has_text=TALK).first).to_be_visible()
    expect(page.locator(".suggested-passage").first).to_be_attached()
    assert suggested_keys(page) == keys - {accepted_key, dismissed_key}
    assert problems == []


def test_a_suggestion_accepted_in_a_session_reaches_the_other_member_as_a_link(
    pages,  # noqa: F811
    live_server,
    seeded,
    relations,
):
    alice, bob = make_user("alice"), make_user("bob")
    afp, guardian = seeded[1], seeded[4]
    session = session_start(user=alice, title="Summit read", documents=[afp, guardian])
    session_join(session=session, user=bob)
    url = f"{live_server.url}/sessions/{session.pk}/"
    page_a, page_b = pages(alice), pages(bob)
    page_a.goto(url)
    page_b.goto(url)
    talk_b = page_b.locator(f"#column-{afp.pk} .suggested-passage", has_text=TALK).first
    expect(talk_b).to_be_visible()

    page_a.locator(f"#column-{afp.pk} .suggested-passage", has_text=TALK).first.click()
    page_a.locator("#suggestion-card").get_by_role("button", name="Accept").click()
    expect(page_a.locator(f"#column-{afp.pk} .link-passage", has_text=TALK).first).to_be_visible()
    link = Annotation.objects.get()
    assert link.session == session and link.visibility == "session" and link.author == alice

    # Bob sees it become a link, and no longer a suggestion, without reloading.
    expect(page_b.locator(f"#column-{afp.pk} .link-passage", has_text=TALK).first).to_be_visible(timeout=5_000)
    expect(page_b.locator(f"#column-{afp.pk} .suggested-passage", has_text=TALK)).to_have_count(0)


def test_edit_opens_the_link_popover_with_the_suggestion_s_passages_and_relation(
    page, live_server, seeded, signed_in, relations
):
    afp, guardian = seeded[1], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}")
    page.locator(f"#column-{afp.pk} .suggested-passage", has_text=TALK).first.click()
    page.locator("#suggestion-card").get_by_role("button", name="Edit…").click()
    popover = page.locator("#annotation-popover")
    expect(popover).to_be_visible()
    expect(popover.locator(".popover-link-passages li")).to_have_count(2)
    expect(popover.get_by_label("Relation")).to_have_value("different-translation")
    popover.get_by_label("Relation").select_option(label="Same claim")
    popover.get_by_label("Comment").fill("Two translations of one answer.")
    popover.get_by_role("button", name="Save link").click()
    expect(popover).to_be_hidden()
    expect(page.locator(f"#column-{guardian.pk} .link-passage", has_text=TALK).first).to_be_attached()
    link = Annotation.objects.get()
    assert link.relation.slug == "same-claim" and link.body == "Two translations of one answer." and TALK in link.exact
    expect(page.locator(".suggested-passage", has_text=TALK)).to_have_count(0)
