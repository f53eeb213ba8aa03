from playwright.sync_api import expect

from readingroom.coverage.models import Quote


def in_view(page, locator) -> bool:
    """Whether the element is inside its column's visible area."""
    return locator.evaluate(
        """mark => {
            const column = mark.closest('.column-body');
            const a = mark.getBoundingClientRect(), b = column.getBoundingClientRect();
            return a.top >= b.top && a.bottom <= b.bottom;
        }"""
    )


def test_clicking_a_quote_scrolls_every_column_to_the_same_statement(page, live_server, seeded):
    bbc, afp, unknown, guardian = seeded[0], seeded[1], seeded[2], seeded[4]
    cluster = Quote.objects.filter(text__contains="great interest in rocket", cluster__isnull=False).first().cluster_id
    page.goto(f"{live_server.url}/compare/?doc={bbc.pk}&doc={afp.pk}&doc={unknown.pk}&doc={guardian.pk}")
    others = [
        page.locator(f"#column-{d.pk} mark.quote[data-quote-cluster='{cluster}']").first
        for d in (bbc, unknown, guardian)
    ]
    assert not all(in_view(page, mark) for mark in others)  # the long columns start elsewhere

    clicked = page.locator(f"#column-{afp.pk} mark.quote[data-quote-cluster='{cluster}']").first
    clicked.scroll_into_view_if_needed()
    clicked.dispatch_event("click")  # on the quote itself, not an entity inside it

    for mark in others:
        expect(mark).to_have_class("quote is-selected is-flashing")
        assert in_view(page, mark)


def test_the_quotes_page_opens_the_compare_view_on_the_statement(page, live_server, seeded):
    page.goto(f"{live_server.url}/quotes/")
    page.get_by_role("link", name="Show it in every column").first.click()
    selected = page.locator("mark.quote.is-selected")
    expect(selected.first).to_be_visible()
    columns = page.locator(".column").count()
    seen = {mark.evaluate("m => m.closest('.column').id") for mark in selected.all()}
    assert len(seen) == columns
    for column_id in seen:
        assert in_view(page, page.locator(f"#{column_id} mark.quote.is-selected").first)


def test_linked_scrolling_moves_the_columns_together(page, live_server, seeded):
    bbc, guardian = seeded[0], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={bbc.pk}&doc={guardian.pk}")
    page.get_by_label("Link scrolling").check()
    page.locator(f"#column-{bbc.pk} .column-body").evaluate(
        "el => { el.scrollTop = (el.scrollHeight - el.clientHeight) / 2; }"
    )
    page.wait_for_timeout(200)
    fraction = page.locator(f"#column-{guardian.pk} .column-body").evaluate(
        "el => el.scrollTop / (el.scrollHeight - el.clientHeight)"
    )
    assert 0.45 < fraction < 0.55


def test_clicking_a_shared_passage_scrolls_the_other_column_to_its_copy(page, live_server, seeded):
    afp, guardian = seeded[1], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={guardian.pk}")
    page.get_by_label("Tint shared and unique passages").check()
    copy = page.locator(f"#column-{guardian.pk} mark.passage--shared").first
    assert not in_view(page, copy)
    passage = page.locator(f"#column-{afp.pk} mark.passage--shared").first
    passage.scroll_into_view_if_needed()
    passage.dispatch_event("click")
    expect(copy).to_have_class("passage passage--shared is-flashing")
    assert in_view(page, copy)
    assert copy.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
