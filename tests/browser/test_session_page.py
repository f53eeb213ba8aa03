"""Issue 17, smaller items: a session's page shows the public annotations made before it, and a
member removed while the page is open is told so."""

from __future__ import annotations

from playwright.sync_api import expect

from readingroom.annotations.sessions import session_join, session_start
from tests.browser.test_reading_room_fixes import console_problems, drag_over, pages  # noqa: F401 (fixture)
from tests.factories import make_annotation, make_user


def test_public_annotations_made_before_a_session_show_on_its_page(pages, live_server, seeded):  # noqa: F811
    first, second = seeded[1], seeded[2]
    owner, member, outsider = make_user("owner"), make_user("member"), make_user("outsider")
    make_annotation(user=outsider, document=first, quote="shook hands", tag_names=["before"], visibility="public")
    make_annotation(user=outsider, document=first, quote="space centre", tag_names=["mine"], visibility="private")
    elsewhere = session_start(user=outsider, title="Another read", documents=[first])
    make_annotation(
        user=outsider, document=first, quote="arms deal", tag_names=["other"], visibility="session", session=elsewhere
    )
    session = session_start(user=owner, title="Summit read", documents=[first, second])
    session_join(session=session, user=member)
    make_annotation(user=owner, document=first, quote="global sanctions", tag_names=["ours"], session=session)

    page = pages(member)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    body = page.locator(f"#column-{first.pk} .column-body")
    expect(body.locator("mark.annotation")).to_have_text(["shook hands", "global sanctions"])
    entries = page.locator("#annotation-list .panel-entry")
    expect(entries).to_have_count(2)
    expect(entries).to_contain_text(["“shook hands”", "“global sanctions”"])
    body.locator("mark.annotation", has_text="shook hands").click()
    expect(page.locator("#annotation-threads .thread-header .tag-chip")).to_have_text(["before"])


def test_a_member_removed_while_reading_is_told_so(pages, live_server, seeded):  # noqa: F811
    owner = make_user("owner")
    member = make_user("member", first_name="Mia")
    session = session_start(user=owner, title="Summit read", documents=seeded[1:3])
    session_join(session=session, user=member)
    member_page = pages(member)
    problems = console_problems(member_page)
    member_page.goto(f"{live_server.url}/sessions/{session.pk}/")
    expect(member_page.locator(".session-bar")).to_contain_text("You are annotator.")

    owner_page = pages(owner)
    owner_page.goto(f"{live_server.url}/sessions/{session.pk}/members/")
    owner_page.get_by_role("row", name="Mia").get_by_role("button", name="Remove").click()
    expect(owner_page.locator(".messages")).to_contain_text("Mia")

    alert = member_page.get_by_role("alert").filter(has_text="no longer a member")
    expect(alert).to_be_visible(timeout=3_000)
    expect(alert.get_by_role("link", name="Your sessions")).to_have_attribute("href", "/sessions/")
    # Selecting text says why there is nothing to save, instead of a form that fails.
    drag_over(member_page, member_page.locator(f"#column-{seeded[1].pk} .column-body"), "Experts say Russia")
    popover = member_page.locator("#annotation-popover")
    expect(popover).to_contain_text("You are no longer a member of this session")
    expect(popover.get_by_role("button", name="Save")).to_have_count(0)
    # The page stopped asking, and nothing failed in its console.
    member_page.wait_for_timeout(2_500)
    assert problems == [], problems
