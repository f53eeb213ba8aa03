"""A curator corrects entities where they see them: on the card of a mark in the compare view,
by mouse and by keyboard; every column's marks follow each decision."""

import re

import pytest
from playwright.sync_api import expect

from readingroom.entities.models import Entity, Mention, normalise_name
from tests.browser.test_axe import axe_page, severe_violations  # noqa: F401, F811  (axe_page: the fixture)
from tests.entity_curation_helpers import entity_written


def entity_named(name: str) -> Entity:
    return Entity.objects.get(aliases__normalised=normalise_name(name))


@pytest.fixture
def curator_page(page, live_server, seeded):
    """The page signed in as a curator (a user allowed to change entities), on the compare view
    of the five seed articles."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    from tests.factories import make_user

    curator = make_user("curator")
    curator.user_permissions.add(Permission.objects.get(codename="change_entity", content_type__app_label="entities"))
    client = Client()
    client.force_login(curator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    # The writings the tests merge, each an entity of its own as extraction may leave them.
    entity_written("North")
    entity_written("America")
    page.goto(f"{live_server.url}/compare/?" + "&".join(f"doc={document.pk}" for document in seeded))
    return page


def marks_of(page, entity: Entity):
    return page.locator(f'mark.entity[data-entity="{entity.pk}"]')


def expect_marks_reading(page, seeded, text: str, entity: Entity) -> None:
    """In every column, each mark that reads ``text`` is a mark of ``entity``, as many as the
    database holds."""
    for document in seeded:
        expected = Mention.objects.shown().filter(document=document, surface=text).count()
        column = page.locator(f"#column-{document.pk} .column-body")
        reading = column.locator("mark.entity", has_text=re.compile(rf"^{re.escape(text)}$"))
        expect(reading).to_have_count(expected)
        expect(
            column.locator(f'mark.entity[data-entity="{entity.pk}"]', has_text=re.compile(rf"^{re.escape(text)}$"))
        ).to_have_count(expected)


def test_a_curator_merges_and_splits_by_mouse_and_every_column_follows(curator_page, seeded):
    page = curator_page
    north, korea = entity_named("North"), entity_named("North Korea")
    columns_with_north = {m.document_id for m in north.mentions.all()}
    assert len(columns_with_north) >= 2

    page.get_by_label("Tint shared and unique passages").check()
    passages = page.locator("mark.passage").count()
    assert passages > 0
    marks_of(page, north).first.click()
    card = page.locator("#entity-card")
    expect(card.locator(".entity-card-name")).to_have_text("North")
    card.get_by_text("Correct this entity").click()
    card.get_by_label("Merge North into:").press_sequentially("North Kor")
    card.get_by_role("button", name=re.compile("^Merge into North Korea Place")).click()

    expect(card.locator(".entity-card-message")).to_contain_text("Merged North into North Korea.")
    expect(card.locator(".entity-card-name")).to_have_text("North Korea")
    expect(marks_of(page, north)).to_have_count(0)
    expect_marks_reading(page, seeded, "North", korea)
    # The columns keep what the compare page draws beside the entities: the shared passages.
    expect(page.locator("mark.passage")).to_have_count(passages)
    # The merged entity's marks are selected with the rest of North Korea's.
    expect(page.locator(f'mark.entity.is-selected[data-entity="{korea.pk}"]', has_text="North").first).to_be_visible()

    # The card still knows the mark clicked, which now reads as North Korea: split it off again.
    card.get_by_text("Correct this entity").click()
    card.get_by_role("button", name="Split “North” into its own entity").click()
    expect(card.locator(".entity-card-name")).to_have_text("North")
    expect(card.locator(".entity-card-message")).to_contain_text("Split “North” off North Korea into North.")
    split = Entity.objects.get(name="North")
    expect_marks_reading(page, seeded, "North", split)
    expect(page.locator(f'mark.entity[data-entity="{korea.pk}"]', has_text=re.compile("^North$"))).to_have_count(0)

    # Undo takes it back into North Korea.
    card.get_by_role("button", name="Undo").click()
    expect(card.locator(".entity-card-message")).to_contain_text("Undone:")
    expect_marks_reading(page, seeded, "North", korea)

    # A reload shows the same: the decisions are stored, not only drawn.
    page.reload()
    expect(marks_of(page, north)).to_have_count(0)
    expect_marks_reading(page, seeded, "North", korea)


def test_a_curator_merges_and_splits_from_the_keyboard(curator_page, seeded):
    page = curator_page
    america, states = entity_named("America"), entity_named("United States")

    mark = marks_of(page, america).first
    mark.focus()
    page.keyboard.press("Enter")
    card = page.locator("#entity-card")
    expect(card.locator(".entity-card-name")).to_have_text("America")

    def tab_to(locator, limit=30):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError("Tab never reached the control")

    # C moves from the article into the card; Escape goes back to the mark and C in again.
    page.keyboard.press("c")
    expect(card.get_by_text("Correct this entity")).to_be_focused()
    page.keyboard.press("Escape")
    expect(mark).to_be_focused()
    page.keyboard.press("c")
    page.keyboard.press("Enter")
    tab_to(card.get_by_label("Merge America into:"))
    page.keyboard.type("United")
    option = card.get_by_role("button", name=re.compile("^Merge into United States Place"))
    expect(option).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    page.keyboard.press("Enter")

    expect(card.locator(".entity-card-name")).to_have_text("United States")
    expect(card.locator(".entity-card-message")).to_contain_text("Merged America into United States.")
    expect(card.get_by_role("button", name="Undo")).to_be_focused()
    expect(marks_of(page, america)).to_have_count(0)
    expect_marks_reading(page, seeded, "America", states)
    # United States is the card's entity now, and selected in every column.
    expect(page.locator(f'mark.entity[data-entity="{states.pk}"]:not(.is-selected)')).to_have_count(0)

    # Split "America" off again, from the keyboard: the card offers the mark first opened.
    page.keyboard.press("Escape")
    page.keyboard.press("c")
    expect(card.get_by_text("Correct this entity")).to_be_focused()
    page.keyboard.press("Enter")
    tab_to(card.get_by_role("button", name="Split “America” into its own entity"))
    page.keyboard.press("Enter")
    expect(card.locator(".entity-card-name")).to_have_text("America")
    expect(card.locator(".entity-card-message")).to_contain_text("Split “America” off United States into America.")
    expect_marks_reading(page, seeded, "America", Entity.objects.get(name="America"))
    expect(page.locator(f'mark.entity[data-entity="{states.pk}"]', has_text="America")).to_have_count(0)


def test_a_reader_who_is_not_a_curator_sees_no_corrections(page, live_server, seeded, signed_in):
    page.goto(f"{live_server.url}/compare/?doc={seeded[0].pk}&doc={seeded[1].pk}")
    page.locator("mark.entity").first.click()
    card = page.locator("#entity-card")
    expect(card.locator(".entity-card-name")).to_be_visible()
    expect(card.get_by_text("Correct this entity")).to_have_count(0)


@pytest.mark.parametrize("width, height", [(1400, 900), (390, 844)])
def test_the_curators_card_passes_axe_and_fits_the_screen(axe_page, live_server, seeded, width, height):  # noqa: F811
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    curator = make_user("curator")
    curator.user_permissions.add(Permission.objects.get(codename="change_entity", content_type__app_label="entities"))
    page = axe_page(curator, width=width, height=height)
    north = entity_written("North")
    document = north.mentions.first().document
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    marks_of(page, north).first.click()
    card = page.locator("#entity-card")
    card.get_by_text("Correct this entity").click()
    card.get_by_label("Merge North into:").press_sequentially("Korea")
    expect(card.get_by_role("button", name=re.compile("^Merge into North Korea Place"))).to_be_visible()

    assert severe_violations(page) == []
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] >= 0 and box["y"] + box["height"] <= height
