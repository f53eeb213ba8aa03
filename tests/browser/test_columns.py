"""Issue 17, item 11 and the entity card: five columns fit from 1280 px, the annotation panel
collapses, and the entity card never covers a column."""

from __future__ import annotations

from playwright.sync_api import expect


def box(locator) -> dict:
    return locator.bounding_box()


def test_five_columns_fit_at_1280_beside_the_panel_and_wider_without_it(browser, live_server, seeded):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    ids = "&".join(f"doc={document.pk}" for document in seeded)
    page.goto(f"{live_server.url}/compare/?{ids}")
    columns = page.locator(".column")
    expect(columns).to_have_count(5)
    panel = page.locator(".annotation-sidebar")
    expect(panel).to_be_visible()
    panel_left = box(panel)["x"]
    for index in range(5):
        column = box(columns.nth(index))
        assert column["x"] >= 0 and column["x"] + column["width"] <= panel_left + 1, (index, column, panel_left)
        assert column["width"] >= 170
    # Every column's remove button and title are in sight, and no column is scrolled sideways to.
    expect(page.locator(".remove-column").nth(4)).to_be_in_viewport()
    assert page.locator("#columns").evaluate("element => element.scrollWidth <= element.clientWidth")
    narrow = box(columns.nth(4))["width"]

    page.get_by_role("button", name="Hide annotations").click()
    expect(panel).to_be_hidden()
    assert box(columns.nth(4))["width"] > narrow + 40
    assert box(columns.nth(4))["x"] + box(columns.nth(4))["width"] <= 1280 + 1
    page.get_by_role("button", name="Annotations", exact=True).click()
    expect(panel).to_be_visible()
    expect(page.get_by_label("Search annotations")).to_be_visible()
    context.close()


def test_the_entity_card_covers_the_panel_not_the_right_hand_column(page, live_server, seeded):
    first, second = seeded[1], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    page.locator(f"#column-{first.pk} mark.entity").first.click()
    card = page.locator("#entity-card")
    expect(card.get_by_role("button", name="Next mention")).to_be_visible()
    last_column = box(page.locator(f"#column-{second.pk}"))
    assert box(card)["x"] >= last_column["x"] + last_column["width"] - 1
