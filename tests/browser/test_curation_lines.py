"""A curator removes a line of page furniture from a whole source where they read it, and undoes it."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_axe import axe_page, severe_violations  # noqa: F401 (a fixture)
from tests.factories import make_document, make_source

pytestmark = pytest.mark.browser

NOTICE_A = "Live coverage of the storm: updated 5 minutes ago"
NOTICE_B = "Live coverage of the storm: updated 12 minutes ago"


@pytest.fixture
def courier(transactional_db):
    source = make_source(name="The Harbour Courier")
    first = make_document(
        source=source,
        title="Quay reopens",
        paragraphs=[
            "The harbour authority reopened the northern quay on Tuesday after three weeks of repairs.",
            NOTICE_A,
            "Fishing crews said the delay had cost them most of the autumn season.",
        ],
    )
    second = make_document(
        source=source,
        title="Ferries resume",
        paragraphs=[
            "Ferry services to the islands resumed at dawn, the operator said.",
            NOTICE_B,
            "Passengers were told to expect delays while the timetable settles.",
        ],
    )
    other = make_document(source=make_source(name="The Island Gazette"), paragraphs=["Gazette story.", NOTICE_A])
    return first, second, other


@pytest.fixture
def curator(page, live_server, transactional_db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = get_user_model().objects.create_user("curator", password="a-long-passphrase")
    user.user_permissions.add(Permission.objects.get(codename="change_document"))
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return user


def test_a_curator_removes_a_furniture_line_with_the_mouse_and_undoes_it(page, live_server, courier, curator):
    first, second, other = courier
    page.set_default_timeout(30_000)  # the removal finds the entities of each changed document again
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    body = page.locator("#document-body")
    page.get_by_text("Remove page furniture from The Harbour Courier…").click()
    body.get_by_text(NOTICE_A).click()
    preview = page.locator("#line-rule-preview")
    expect(preview).to_contain_text("2 lines like it in 2 of The Harbour Courier’s 2 documents")
    preview.get_by_role("button", name="Remove lines like this from The Harbour Courier").click()

    expect(page.locator(".messages")).to_contain_text("Removed 2 line(s)")
    expect(body).not_to_contain_text("updated 5 minutes ago")
    expect(body).to_contain_text("most of the autumn season")

    # Gone from the source's other document too, in its other wording; another source keeps it.
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    expect(page.locator("#document-body")).to_contain_text("Passengers were told")
    expect(page.locator("#document-body")).not_to_contain_text("updated 12 minutes ago")
    page.goto(f"{live_server.url}{other.get_absolute_url()}")
    expect(page.locator("#document-body")).to_contain_text(NOTICE_A)

    page.go_back()
    page.go_back()
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("Put back 2 line(s)")
    expect(page.locator("#document-body")).to_contain_text(NOTICE_A)
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    expect(page.locator("#document-body")).to_contain_text(NOTICE_B)


def test_a_curator_removes_a_line_from_the_keyboard(page, live_server, courier, curator):
    first, second, _ = courier
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    summary = page.get_by_text("Remove page furniture from The Harbour Courier…")
    summary.focus()
    page.keyboard.press("Enter")
    line = page.get_by_label("Line", exact=True)
    expect(line).to_be_visible()
    line.focus()
    line.select_option(label=NOTICE_B)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Preview")).to_be_focused()
    page.keyboard.press("Enter")
    remove = page.get_by_role("button", name="Remove lines like this from The Harbour Courier")
    expect(remove).to_be_visible()
    page.keyboard.press("Tab")
    expect(remove).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Removed 2 line(s)")
    expect(page.locator("#document-body")).not_to_contain_text("updated 12 minutes ago")
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    expect(page.locator("#document-body")).not_to_contain_text("updated 5 minutes ago")


def test_a_reader_is_not_offered_the_control(page, live_server, courier):
    first, _, _ = courier
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    expect(page.locator("#document-body")).to_contain_text(NOTICE_A)
    expect(page.get_by_text("Remove page furniture")).to_have_count(0)


@pytest.mark.parametrize("width", [1400, 390])
def test_the_panel_and_the_rules_admin_have_no_serious_accessibility_violation(
    axe_page,  # noqa: F811
    live_server,
    courier,
    width,
):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from readingroom.reader.line_rules import line_rule_create

    first, second, _ = courier
    rule = line_rule_create(source=first.source, line="Gone soon: updated 2 minutes ago").rule
    superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "a-long-passphrase")
    page = axe_page(superuser, width=width, height=900)
    page.goto(f"{live_server.url}{first.get_absolute_url()}?line_rule={rule.pk}")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#line-rule-preview")).to_contain_text("like it in 1 of")
    assert severe_violations(page) == []
    # Nothing of the panel runs past the page's width on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for url in (
        reverse("admin:library_sourcelinerule_changelist"),
        reverse("admin:library_sourcelinerule_change", args=[rule.pk]),
        reverse("admin:library_sourcelinerule_add"),
    ):
        page.goto(f"{live_server.url}{url}")
        assert severe_violations(page) == [], url
