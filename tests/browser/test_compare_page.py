from playwright.sync_api import expect


def test_a_reader_picks_three_articles_and_reads_them_side_by_side(page, live_server, seeded):
    chosen = seeded[1:4]

    page.goto(live_server.url + "/")
    for document in chosen:
        page.get_by_label(f"Compare “{document.title}”").check()
    page.get_by_role("button", name="Compare").click()

    columns = page.locator(".column")
    expect(columns).to_have_count(3)
    shown = {
        (column.locator(".source-name").text_content(), column.locator(".document-title").text_content())
        for column in columns.all()
    }
    assert shown == {(document.source.name, document.title) for document in chosen}
    # Each column scrolls on its own, side by side.
    boxes = [column.bounding_box() for column in columns.all()]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert columns.first.locator(".column-body").evaluate("el => getComputedStyle(el).overflowY") == "auto"


def test_a_reader_adds_and_removes_columns_in_place(page, live_server, seeded):
    first, second, third = seeded[0], seeded[1], seeded[2]
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    # Scroll the first column and tag its element, to tell afterwards that it was left alone.
    first_body = page.locator(f"#column-{first.pk} .column-body")
    first_body.evaluate("el => { el.scrollTop = 400; el.untouched = true; }")

    page.get_by_label("Add a column").select_option(str(third.pk))
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page.locator(".column")).to_have_count(3)
    expect(page.locator(f"#column-{third.pk} .document-title")).to_have_text(third.title)
    expect(page).to_have_url(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}&doc={third.pk}")
    expect(page).to_have_title("Compare 3 articles · Reading Room")
    # Keyboard focus moves to the new column instead of falling back to the page.
    expect(page.locator(f"#column-{third.pk} .column-header")).to_be_focused()
    assert first_body.evaluate("el => el.untouched === true && el.scrollTop > 0")

    page.get_by_role("button", name=f"Remove “{second.title}” from the comparison").click()

    expect(page.locator(".column")).to_have_count(2)
    expect(page.locator(f"#column-{second.pk}")).to_have_count(0)
    expect(page).to_have_url(f"{live_server.url}/compare/?doc={first.pk}&doc={third.pk}")
    expect(page).to_have_title("Compare 2 articles · Reading Room")
    expect(page.locator(".column-count")).to_be_focused()
    assert first_body.evaluate("el => el.untouched === true && el.scrollTop > 0")


def test_columns_stack_on_a_narrow_screen_without_javascript(browser, live_server, seeded):
    # With scripts, a phone shows one column at a time (tests/browser/test_phone.py).
    first, second = seeded[1], seeded[2]
    context = browser.new_context(viewport={"width": 400, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    top, bottom = (column.bounding_box() for column in page.locator(".column").all())
    assert top["x"] == bottom["x"] and top["y"] < bottom["y"]
    context.close()
