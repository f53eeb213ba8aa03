"""Issue 17, as a reader meets it: filters, read-only selections, live roles, console errors."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from readingroom.annotations.models import Role
from readingroom.annotations.sessions import session_join, session_start
from tests.browser.conftest import NetworkQuiet
from tests.factories import make_annotation, make_user


@pytest.fixture
def pages(browser, live_server):
    """A signed-in page per user, each in a browser context of its own."""
    contexts = []

    def open_page(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


# A script's function: the Range of the first place ``wanted`` is in ``element``'s text.
RANGE_OF_TEXT = """(element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let full = "", nodes = [];
    while (walker.nextNode()) { nodes.push([walker.currentNode, full.length]); full += walker.currentNode.data; }
    const at = full.indexOf(wanted);
    const find = (offset) => {
        for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
    };
    const range = document.createRange();
    range.setStart(...find(at));
    range.setEnd(...find(at + wanted.length));
    return range;
}"""


def drag_over(page, body, text: str) -> tuple[float, float, float, float]:
    """Select ``text`` in ``body`` as a reader does: press the mouse before its first letter, drag
    to after its last, let go."""
    # A click beside the text first: pressing inside an earlier selection would drag that away.
    page.locator("main").click(position={"x": 2, "y": 2})
    body.locator("p", has_text=text).first.scroll_into_view_if_needed()
    left, top, right, bottom = body.evaluate(
        f"""(element, wanted) => {{
            const range = ({RANGE_OF_TEXT})(element, wanted);
            const rects = range.getClientRects();
            const first = rects[0], last = rects[rects.length - 1];
            return [first.left, first.top + first.height / 2, last.right, last.top + last.height / 2];
        }}""",
        text,
    )
    page.mouse.move(left + 1, top)
    page.mouse.down()
    page.mouse.move((left + right) / 2, (top + bottom) / 2, steps=5)
    page.mouse.move(right - 1, bottom, steps=5)
    page.mouse.up()
    return left, top, right, bottom


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


def test_a_viewer_who_selects_text_is_told_why_they_cannot_annotate(pages, live_server, seeded):
    owner = make_user("owner")
    viewer = make_user("viewer")
    session = session_start(user=owner, title="Read only", documents=seeded[1:3])
    membership = session_join(session=session, user=viewer)
    membership.role = Role.VIEWER
    membership.save()
    page = pages(viewer)
    problems = console_problems(page)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    drag_over(page, page.locator(f"#column-{seeded[1].pk} .column-body"), "Experts say Russia")
    popover = page.locator("#annotation-popover")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("As a viewer of this session you cannot annotate here")
    expect(popover.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    assert problems == []


def test_in_a_closed_session_a_selection_says_the_session_is_read_only(pages, live_server, seeded):
    owner = make_user("owner")
    session = session_start(user=owner, title="Done", documents=seeded[1:3])
    session.closed = True
    session.save()
    page = pages(owner)
    problems = console_problems(page)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    drag_over(page, page.locator(f"#column-{seeded[1].pk} .column-body"), "Experts say Russia")
    popover = page.locator("#annotation-popover")
    expect(popover).to_contain_text("This session is closed: it is read-only")
    popover.get_by_role("button", name="Close").click()
    expect(popover).to_be_hidden()
    assert problems == []


def test_a_member_made_a_viewer_sees_it_live_and_can_no_longer_annotate(pages, live_server, seeded):
    owner = make_user("owner")
    member = make_user("member", first_name="Mia")
    session = session_start(user=owner, title="Summit read", documents=seeded[1:3])
    session_join(session=session, user=member)
    member_page = pages(member)
    problems = console_problems(member_page)
    member_page.goto(f"{live_server.url}/sessions/{session.pk}/")
    expect(member_page.locator(".session-bar")).to_contain_text("You are annotator.")
    body = member_page.locator(f"#column-{seeded[1].pk} .column-body")
    drag_over(member_page, body, "Experts say Russia")
    popover = member_page.locator("#annotation-popover")
    expect(popover.get_by_role("button", name="Save")).to_be_visible()
    member_page.keyboard.press("Escape")
    expect(popover).to_be_hidden()

    # The owner, in their own browser, makes the member a viewer.
    owner_page = pages(owner)
    owner_page.goto(f"{live_server.url}/sessions/{session.pk}/members/")
    owner_page.get_by_label("Role of member").select_option(label="Viewer")
    owner_page.get_by_role("row", name="Mia").get_by_role("button", name="Change").click()
    expect(owner_page.locator(".messages")).to_contain_text("Mia is now viewer")

    # The member's open page changes without a reload.
    member_page.evaluate("window.notReloaded = true")
    expect(member_page.locator(".session-bar")).to_contain_text(
        "You are viewer: you can read and follow", timeout=3_000
    )
    drag_over(member_page, body, "Experts say Russia")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("As a viewer of this session you cannot annotate here")
    expect(popover.get_by_role("button", name="Save")).to_have_count(0)
    member_page.keyboard.press("Escape")

    # Closed, then reopened and made an annotator again: the form comes back and works.
    owner_page.get_by_role("button", name="Close the session (read-only)").click()
    expect(member_page.locator(".session-bar")).to_contain_text("Closed: read-only", timeout=3_000)
    owner_page.get_by_role("button", name="Reopen the session").click()
    owner_page.get_by_label("Role of member").select_option(label="Annotator")
    owner_page.get_by_role("row", name="Mia").get_by_role("button", name="Change").click()
    expect(member_page.locator(".session-bar")).to_contain_text("You are annotator.", timeout=3_000)
    expect(member_page.locator(".session-bar")).not_to_contain_text("Closed")
    drag_over(member_page, body, "Experts say Russia")
    popover.get_by_label("Tags", exact=True).fill("claim")
    member_page.keyboard.press("Enter")
    popover.get_by_role("button", name="Save").click()
    expect(popover).to_be_hidden()
    expect(body.locator("mark.annotation")).to_have_text("Experts say Russia")
    assert member_page.evaluate("window.notReloaded") is True
    assert problems == []


def test_a_curator_searching_the_entity_admin_sees_each_mention_counted_once(pages, live_server, seeded):
    from django.contrib.auth import get_user_model

    from readingroom.entities.models import Entity, Mention

    curator = get_user_model().objects.create_superuser("curator", "c@example.com", "a-long-passphrase")
    putin = Entity.objects.filter(name__icontains="Putin").first()
    shown = Mention.objects.shown().filter(entity=putin).count()
    assert putin.aliases.filter(surface__icontains="Putin").count() > 1  # what used to multiply the count
    page = pages(curator)
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    problems = console_problems(page)
    page.goto(f"{live_server.url}/admin/entities/entity/")
    page.get_by_role("textbox", name="Search").fill("Putin")
    page.keyboard.press("Enter")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=putin.name, exact=True))
    expect(row.locator("td.field-mention_count")).to_have_text(str(shown))
    # The site's entity page says the same number.
    page.goto(f"{live_server.url}/entities/")
    page.wait_for_load_state("load")
    assert missing == [] and problems == []


def test_a_coverage_matrix_cell_brings_the_mention_into_view(pages, live_server, seeded):
    first, second = seeded[0], seeded[1]
    page = pages(make_user("reader"))
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    page.get_by_text("Who and what each article mentions").click()
    cell = page.locator(f"#coverage-matrix [data-matrix-document='{second.pk}']").first
    entity_id = cell.get_attribute("data-matrix-entity")
    column = page.locator(f"#column-{second.pk} .column-body")
    mark = column.locator(f"mark.entity[data-entity='{entity_id}']").first
    # The mention starts out of the column's view: the column is scrolled to its end first.
    column.hover()
    page.mouse.wheel(0, 100_000)
    page.wait_for_timeout(300)
    assert not in_view(mark, column)
    cell.click()
    expect(mark).to_have_class(re.compile("is-selected"))
    page.wait_for_function(
        "([mark, column]) => { const m = mark.getBoundingClientRect(), c = column.getBoundingClientRect();"
        " return m.top >= c.top && m.bottom <= c.bottom && m.bottom <= window.innerHeight; }",
        arg=[mark.element_handle(), column.element_handle()],
    )
    # Seen, not covered by the entity card or the matrix.
    expect(page.locator("#entity-card")).to_be_visible()
    box = mark.bounding_box()
    hit = page.evaluate(
        "([x, y, mark]) => mark.contains(document.elementFromPoint(x, y))",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, mark.element_handle()],
    )
    assert hit


def in_view(mark, column) -> bool:
    m, c = mark.bounding_box(), column.bounding_box()
    return m is not None and c["y"] <= m["y"] and m["y"] + m["height"] <= c["y"] + c["height"]


def test_adding_and_removing_columns_logs_no_error_or_policy_violation(page, live_server, seeded, signed_in):
    page.set_viewport_size({"width": 1440, "height": 900})
    problems = console_problems(page)
    first, second, third = seeded[0], seeded[1], seeded[2]
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    expect(page.locator("#annotation-list .muted")).to_have_text(
        "No annotations yet. Select text in an article to add one."
    )
    # A positioned popover, a selected entity and the open matrix: the state a reader is in.
    _, top, _, bottom = drag_over(page, page.locator(f"#column-{second.pk} .column-body"), "Experts say Russia")
    expect(page.locator("#annotation-popover")).to_be_visible()
    # Placed next to the selection (by a stylesheet rule, not a style attribute).
    box = page.locator("#annotation-popover").bounding_box()
    assert box["y"] >= bottom or box["y"] + box["height"] <= top
    assert min(abs(box["y"] - bottom), abs(box["y"] + box["height"] - top)) < 20
    assert page.locator("#annotation-popover").get_attribute("style") is None
    page.keyboard.press("Escape")
    page.locator(f"#column-{first.pk} mark.entity").first.click()
    page.get_by_text("Who and what each article mentions").click()
    page.get_by_label("Add a column").select_option(str(third.pk))
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(f"#column-{third.pk}")).to_be_visible()
    page.get_by_role("button", name=f"Remove “{first.title}” from the comparison").click()
    expect(page.locator(f"#column-{first.pk}")).to_have_count(0)
    page.get_by_label("Search annotations").fill("Russia")
    expect(page.locator("#annotation-list .muted")).to_contain_text("No annotations match")
    page.go_back()
    expect(page.locator(f"#column-{first.pk}")).to_be_visible()
    assert problems == []


def test_an_owner_copies_the_invitation_link_with_a_button(pages, live_server, seeded):
    owner = make_user("owner")
    session = session_start(user=owner, title="Summit read", documents=seeded[1:3])
    page = pages(owner)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/sessions/{session.pk}/members/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    session.refresh_from_db()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/sessions/join/{session.invite_token}/"


def test_editing_an_annotation_uses_tag_chips_and_delete_is_in_sight(page, live_server, seeded, signed_in):
    document = seeded[1]
    annotation = make_annotation(
        user=signed_in, document=document, quote="Experts say Russia", tag_names=["claim", "russia"]
    )
    problems = console_problems(page)
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    page.locator(f"mark.annotation[data-annotation='{annotation.pk}']").first.click()
    thread = page.locator(f"#thread-{annotation.pk}")
    # Delete without opening Edit first.
    expect(thread.get_by_role("button", name="Delete annotation")).to_be_visible()
    thread.get_by_text("Edit", exact=True).click()
    # Outside a session there is no session audience to offer.
    expect(thread.get_by_label("Visible to").locator("option")).to_have_text(["Only me", "Everyone"])
    thread.get_by_role("button", name="Remove tag russia").click()
    tags = thread.get_by_label("Tags", exact=True)
    tags.click()
    page.keyboard.type("sanctions")
    page.keyboard.press("Enter")
    expect(thread.locator(".tag-chips .tag-chip")).to_have_count(2)
    thread.get_by_role("button", name="Save changes").click()
    expect(page.locator(f"#thread-{annotation.pk} .thread-header .tag-chip")).to_have_text(["claim", "sanctions"])
    annotation.refresh_from_db()
    assert sorted(tag.name for tag in annotation.tags.all()) == ["claim", "sanctions"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#thread-{annotation.pk}").get_by_role("button", name="Delete annotation").click()
    expect(page.locator(f"#thread-{annotation.pk}")).to_have_count(0)
    expect(page.locator(f"mark.annotation[data-annotation='{annotation.pk}']")).to_have_count(0)
    assert problems == []


def test_the_reader_page_filters_its_annotations_by_tag(page, live_server, seeded, signed_in):
    document = seeded[1]
    make_annotation(user=signed_in, document=document, quote="Experts say Russia", tag_names=["claim"])
    make_annotation(user=signed_in, document=document, quote="Russia", occurrence=1, tag_names=["place"])
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    entries = page.locator("#annotation-list .panel-entry")
    expect(entries).to_have_count(2)
    page.get_by_label("Tag", exact=True).select_option(label="place")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("Russia")
    expect(entries).not_to_contain_text("Experts")


@pytest.mark.slow  # a walk over every page: handed out first, so it never runs alone at the end
def test_the_pages_log_no_console_error_and_ask_for_nothing_missing(pages, page, live_server, seeded):
    from django.contrib.auth import get_user_model

    from readingroom.entities.models import Entity

    first, second = seeded[0], seeded[1]
    curator = get_user_model().objects.create_superuser("curator", "c@example.com", "a-long-passphrase")
    session = session_start(user=curator, title="Summit read", documents=[first, second])
    entity = Entity.objects.filter(mentions__document=first).first()
    public = [
        "/",
        f"/documents/{first.pk}/",
        f"/compare/?doc={first.pk}&doc={second.pk}",
        f"/documents/{first.pk}/changes/",
        "/entities/",
        f"/entities/{entity.pk}/",
        "/quotes/",
        "/search/?q=Russia",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    signed_in_only = [
        "/sessions/",
        f"/sessions/{session.pk}/",
        f"/sessions/{session.pk}/members/",
        f"/sessions/{session.pk}/dashboard/",
        "/admin/",
        "/admin/entities/entity/",
        f"/admin/entities/entity/{entity.pk}/change/",
        "/admin/library/document/",
    ]
    for browser_page, paths in ((page, public), (pages(curator), public + signed_in_only)):
        problems = console_problems(browser_page)
        missing: list[str] = []
        browser_page.on("response", lambda r, missing=missing: missing.append(r.url) if r.status >= 400 else None)
        quiet = NetworkQuiet(browser_page)
        for path in paths:
            browser_page.goto(f"{live_server.url}{path}")
            quiet.wait()
        assert problems == [] and missing == [], (problems, missing)
