"""Issue 16, item 5: a curator corrects quotes where they read them, on the quotes page: the
speaker, splitting a wording off its group, joining one with another group; by mouse and by
keyboard; and the corrections are still there after the quotes are found again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from playwright.sync_api import expect

from readingroom.coverage.models import Quote
from tests.browser.test_axe import axe_page, severe_violations  # noqa: F401 (fixture)
from tests.browser.test_keyboard import press_tab_until
from tests.factories import make_user


@pytest.fixture
def curator(signed_in):
    signed_in.user_permissions.add(Permission.objects.get(codename="change_quote"))
    return signed_in


def quotes_url(live_server, documents) -> str:
    return f"{live_server.url}/quotes/?" + "&".join(f"doc={document.pk}" for document in documents)


def wording(page, text: str):
    return page.locator("figure.wording").filter(has_text=text)


def cluster_of(page, text: str):
    return page.locator("section.quote-cluster").filter(has=wording(page, text))


def test_a_curator_corrects_a_speaker_and_splits_a_wording_off_with_the_mouse(page, live_server, seeded, curator):
    page.goto(quotes_url(live_server, seeded))
    rushing = wording(page, "without rushing")
    expect(cluster_of(page, "without rushing")).to_contain_text("3 sources")
    expect(rushing.locator("figcaption")).to_contain_text("Vladimir Putin")

    # Kim said it, says the curator: a statement of another speaker, so it leaves Putin's group.
    rushing.get_by_role("link", name="Correct this quote").click()
    rushing.get_by_label("Speaker").select_option(label="Kim Jong Un")
    rushing.get_by_role("button", name="Set speaker").click()
    expect(page.locator(".curation-done")).to_contain_text("Said by Kim Jong Un")
    expect(page.locator(".curation-done")).to_contain_text("It is in no group")
    alone = page.locator("section.quotes-alone")
    expect(alone.locator("figure.wording").filter(has_text="without rushing")).to_contain_text("Kim Jong Un")
    expect(cluster_of(page, "without haste")).to_contain_text("2 sources")

    # No: Putin after all. Back in the group of the same statement.
    rushing = wording(page, "without rushing")
    rushing.get_by_role("link", name="Correct this quote").click()
    rushing.get_by_label("Speaker").select_option(label="Vladimir Putin")
    rushing.get_by_role("button", name="Set speaker").click()
    expect(page.locator(".curation-done")).to_contain_text("grouped with the same statement in 3 sources")
    expect(cluster_of(page, "without rushing")).to_contain_text("without haste")

    # A wording that is not the statement: split it off the rocket group.
    rocket = cluster_of(page, "show[ed] great interest")
    expect(rocket).to_contain_text("5 sources")
    showed = wording(page, "show[ed] great interest")
    showed.get_by_role("link", name="Correct this quote").click()
    showed.get_by_role("button", name="Split it off this group").click()
    expect(page.locator(".curation-done")).to_contain_text("Split off its group")
    expect(page.locator("section.quotes-alone")).to_contain_text("show[ed] great interest")
    expect(cluster_of(page, "The leader of the DPRK shows great interest")).to_contain_text("4 sources")

    # Found again from scratch, and the clusters rebuilt: the corrections are still there.
    call_command("extract_quotes")
    call_command("extract_quotes", "--rebuild")
    page.reload()
    expect(page.locator("section.quotes-alone")).to_contain_text("show[ed] great interest")
    expect(cluster_of(page, "The leader of the DPRK shows great interest")).to_contain_text("4 sources")
    expect(cluster_of(page, "without rushing")).to_contain_text("3 sources")


def test_a_curator_joins_a_quote_with_a_group_and_names_its_speaker_with_the_keyboard(
    page, live_server, seeded, curator
):
    # A quote the machine left alone and unattributed (as it once left this one): the curator's
    # work here, whatever extraction makes of it today.
    always = Quote.objects.get(text="we will always be with Russia.").pk
    Quote.objects.filter(pk=always).update(cluster=None, speaker=None)
    page.goto(quotes_url(live_server, seeded))
    focused = page.locator(":focus")
    lone = page.locator(f"section.quotes-alone #wording-{always}")
    expect(lone.locator("figcaption")).to_contain_text("Nobody named")
    link = lone.get_by_role("link", name="Correct this quote")
    press_tab_until(page, link, 400)
    page.keyboard.press("Enter")

    # The panel opens on the speaker; the join list is two Tabs on.
    speaker = lone.get_by_label("Speaker")
    expect(speaker).to_be_focused()
    join = lone.get_by_label("Join it with")
    press_tab_until(page, join, 2)
    options = join.locator("option").all_inner_texts()
    target = next(i for i, text in enumerate(options) if "fight against imperialism" in text)
    page.keyboard.press("Home")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    expect(join.locator("option:checked")).to_contain_text("fight against imperialism")
    page.keyboard.press("Tab")
    expect(focused).to_have_text("Join")
    page.keyboard.press("Enter")

    expect(page.locator(".curation-done")).to_contain_text("Joined. It is grouped with the same statement in 3 sources")
    group = page.locator("section.quote-cluster").filter(has=page.locator(f"#wording-{always}"))
    expect(group).to_contain_text("fight against imperialism")
    # Focus stays with the corrected quote.
    expect(focused).to_have_accessible_name("Correct this quote: “we will always be with Russia.”")

    page.keyboard.press("Enter")
    speaker = page.locator(f"#wording-{always}").get_by_label("Speaker")
    expect(speaker).to_be_focused()
    page.keyboard.type("Kim Jong")
    expect(speaker.locator("option:checked")).to_have_text("Kim Jong Un")
    page.keyboard.press("Tab")
    expect(focused).to_have_text("Set speaker")
    page.keyboard.press("Enter")
    expect(page.locator(".curation-done")).to_contain_text("Said by Kim Jong Un")
    expect(page.locator(f"#wording-{always}").locator("figcaption")).to_contain_text("Kim Jong Un")
    expect(page.locator("section.quote-cluster").filter(has=page.locator(f"#wording-{always}"))).to_contain_text(
        "fight against imperialism"
    )


def test_the_open_curation_panel_has_no_serious_accessibility_violation(axe_page, live_server, seeded):  # noqa: F811
    user = make_user("curator")
    user.user_permissions.add(Permission.objects.get(codename="change_quote"))
    page = axe_page(user)
    page.goto(quotes_url(live_server, seeded))
    wording(page, "without haste").get_by_role("link", name="Correct this quote").click()
    expect(page.locator(".quote-curation")).to_be_visible()
    assert severe_violations(page) == []


def test_from_a_quote_in_the_compare_view_a_curator_reaches_its_statement_to_correct_it(
    page, live_server, seeded, curator
):
    kyiv, unknown, guardian = seeded[1], seeded[2], seeded[4]
    haste = Quote.objects.get(text__contains="without haste")
    page.goto(f"{live_server.url}/compare/?doc={kyiv.pk}&doc={unknown.pk}&doc={guardian.pk}")
    mark = page.locator(f"#quote-{haste.pk}")
    mark.scroll_into_view_if_needed()
    mark.dispatch_event("click")  # on the quote itself, not an entity inside it
    page.get_by_role("link", name="Quotes across these articles").click()

    expect(page).to_have_url(f"{quotes_url(live_server, [kyiv, unknown, guardian])}&#cluster-{haste.cluster_id}")
    statement = page.locator(f"section.quote-cluster:has(#cluster-{haste.cluster_id})")
    expect(statement).to_be_in_viewport()
    leisurely = statement.locator("figure.wording").filter(has_text="leisurely")
    leisurely.get_by_role("link", name="Correct this quote").click()
    leisurely.get_by_role("button", name="Split it off this group").click()
    expect(page.locator(".curation-done")).to_contain_text("Split off its group")
    expect(page.locator("section.quotes-alone")).to_contain_text("leisurely")
