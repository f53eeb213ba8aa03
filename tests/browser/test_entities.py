from playwright.sync_api import expect

from readingroom.entities.models import Entity, normalise_name


def test_clicking_shoigu_selects_him_in_every_column(page, live_server, seeded):
    bbc, afp, unknown = seeded[0], seeded[1], seeded[2]
    shoigu = Entity.objects.get(aliases__normalised=normalise_name("Sergei Shoigu"))
    page.goto(f"{live_server.url}/compare/?doc={bbc.pk}&doc={afp.pk}&doc={unknown.pk}")

    page.locator(f"#column-{afp.pk} mark.entity", has_text="Shoigu").first.click()

    for document in (bbc, afp, unknown):
        selected = page.locator(f"#column-{document.pk} mark.entity.is-selected")
        expect(selected.first).to_be_visible()  # the other columns scrolled to him
        assert set(selected.evaluate_all("marks => marks.map(m => m.dataset.entity)")) == {str(shoigu.pk)}
    card = page.locator("#entity-card")
    expect(card).to_be_visible()
    expect(card.locator(".entity-card-name")).to_have_text("Sergei Shoigu")
    expect(card.locator(".entity-card-type")).to_have_text("Person")

    # Mention by mention, from the keyboard too.
    total = page.locator("mark.entity.is-selected").count()
    expect(card.locator("[data-role=position]")).to_contain_text(f"of {total}")
    page.get_by_role("button", name="Next mention").click()
    focused = page.evaluate("document.activeElement.dataset.entity")
    assert focused == str(shoigu.pk)
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(page.locator("mark.entity.is-selected")).to_have_count(0)


def test_pressing_enter_on_an_entity_selects_it(page, live_server, seeded):
    bbc, guardian = seeded[0], seeded[4]
    page.goto(f"{live_server.url}/compare/?doc={bbc.pk}&doc={guardian.pk}")
    mark = page.locator(f"#column-{guardian.pk} mark.entity", has_text="Vostochny").first
    mark.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#column-{bbc.pk} mark.entity.is-selected").first).to_be_visible()
    expect(page.locator("#entity-card .entity-card-name")).to_have_text("Vostochny Cosmodrome")


def test_the_legend_switches_a_type_off_and_on(page, live_server, seeded):
    page.goto(f"{live_server.url}/documents/{seeded[1].pk}/")
    person = page.locator("mark.entity--person").first
    coloured = person.evaluate("m => getComputedStyle(m).backgroundColor")
    toggle = page.get_by_role("button", name="Person")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert person.evaluate("m => getComputedStyle(m).backgroundColor") == "rgba(0, 0, 0, 0)"
    toggle.click()
    assert person.evaluate("m => getComputedStyle(m).backgroundColor") == coloured


def test_a_coverage_matrix_cell_shows_that_entitys_mentions(page, live_server, seeded):
    afp, unknown = seeded[1], seeded[2]
    page.goto(f"{live_server.url}/compare/?doc={afp.pk}&doc={unknown.pk}")
    page.get_by_text("Who and what each article mentions").click()
    page.get_by_label("mentions of Sergei Shoigu in Unknown source: show them").click()
    selected = page.locator(f"#column-{unknown.pk} mark.entity.is-selected")
    expect(selected.first).to_be_visible()
    expect(page.locator("#entity-card .entity-card-name")).to_have_text("Sergei Shoigu")
    # Sorting by a column puts its largest count first.
    page.locator("#coverage-matrix thead button", has_text="Unknown source").click()
    first_count = page.locator("#coverage-matrix tbody tr").first.locator("td").nth(1).get_attribute("data-value")
    counts = [
        int(v)
        for v in page.locator("#coverage-matrix tbody tr td:nth-of-type(2)").evaluate_all(
            "cells => cells.map(c => c.dataset.value)"
        )
    ]
    assert int(first_count) == max(counts) and counts == sorted(counts, reverse=True)
