"""Issue 17, as a reader meets it: filters, read-only selections, live roles, console errors."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import make_annotation, make_user


def console_problems(page) -> list[str]:
    """Console errors and CSP reports from now on (CSP violations are logged as errors)."""
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.expose_function("reportViolation", lambda text: problems.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.reportViolation(`CSP ${e.violatedDirective} ${e.sourceFile}:${e.lineNumber} ${e.sample}`))"
    )
    return problems


def test_a_reader_filters_the_panel_by_tag_and_by_author_on_the_compare_page(page, live_server, seeded, signed_in):
    first, second = seeded[0], seeded[1]
    colleague = make_user("colleague", first_name="Carla", last_name="Mendes")
    make_annotation(
        user=signed_in, document=first, quote="Putin", body="mine", tag_names=["claim"], visibility="public"
    )
    make_annotation(
        user=colleague, document=second, quote="Kim", body="hers", tag_names=["context"], visibility="public"
    )
    problems = console_problems(page)
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    entries = page.locator("#annotation-list .panel-entry")
    expect(entries).to_have_count(2)

    tag = page.get_by_label("Tag", exact=True)
    expect(tag.locator("option")).to_have_text(["All tags", "claim", "context"])
    tag.select_option(label="context")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("Carla Mendes")
    # The chosen tag stays chosen when the choices come back with the list.
    expect(tag).to_have_value("context")

    tag.select_option(label="All tags")
    expect(entries).to_have_count(2)
    author = page.get_by_label("Author", exact=True)
    # People are listed by the name they chose, filtered by their account.
    expect(author.locator("option")).to_have_text(["All authors", "annotator", "Carla Mendes"])
    author.select_option(label="annotator")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("Putin")
    assert problems == []
