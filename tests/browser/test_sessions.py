import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from readingroom.annotations.models import Annotation, Role
from readingroom.annotations.sessions import session_join, session_start
from tests.browser.conftest import select_text


@pytest.fixture
def pages(browser, live_server):
    """Opens a signed-in page per user, each in its own browser context; closes them after."""
    contexts = []

    def open_page(user):
        page = signed_in_page(browser, live_server, user)
        contexts.append(page.context)
        return page

    yield open_page
    for context in contexts:
        context.close()


def signed_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_two_members_see_each_others_annotations_and_replies_live(pages, live_server, seeded):
    users = get_user_model().objects
    alice = users.create_user("alice", password="a-long-passphrase", first_name="Alice")
    bob = users.create_user("bob", password="a-long-passphrase", first_name="Bob")
    afp, guardian = seeded[1], seeded[4]
    session = session_start(user=alice, title="Summit read", documents=[afp, guardian])
    session_join(session=session, user=bob)
    url = f"{live_server.url}/sessions/{session.pk}/"
    page_a = pages(alice)
    page_b = pages(bob)
    page_a.goto(url)
    page_b.goto(url)

    sentence = "We’ll talk about all the issues, without rushing. There is time"
    select_text(page_a, page_a.locator(f"#column-{guardian.pk} .column-body"), sentence)
    page_a.get_by_label("Tags", exact=True).fill("claim")
    page_a.get_by_label("Tags", exact=True).press("Enter")
    page_a.get_by_role("button", name="Save").click()
    expect(page_a.locator("#annotation-popover")).to_be_hidden()
    annotation = Annotation.objects.get()
    assert annotation.session == session and annotation.visibility == "session"

    # B sees it within 2 seconds, without reloading.
    highlight_b = page_b.locator(f"#column-{guardian.pk} mark.annotation")
    expect(highlight_b.first).to_be_visible(timeout=2_000)
    assert "".join(highlight_b.all_text_contents()) == sentence
    page_b.evaluate("window.notReloaded = true")

    highlight_b.first.click()
    page_b.get_by_label("Reply").fill("Which source says **rushing**?")
    page_b.get_by_role("button", name="Reply").click()
    expect(page_b.locator("#annotation-threads .reply")).to_have_count(1)

    # A, who has the thread open, sees the reply arrive.
    page_a.locator(f"#column-{guardian.pk} mark.annotation").first.click()
    expect(page_a.locator("#annotation-threads .reply strong")).to_have_text("rushing", timeout=2_000)
    assert page_b.evaluate("window.notReloaded") is True
    expect(page_a.locator("#here-now")).to_contain_text("Alice")


def test_a_viewer_can_read_but_not_annotate(pages, live_server, seeded):
    users = get_user_model().objects
    owner = users.create_user("owner", password="a-long-passphrase")
    viewer = users.create_user("viewer", password="a-long-passphrase")
    session = session_start(user=owner, title="Read only", documents=seeded[1:3])
    membership = session_join(session=session, user=viewer)
    membership.role = Role.VIEWER
    membership.save()
    page = pages(viewer)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    expect(page.locator(".session-bar")).to_contain_text("you can read and follow, not annotate")
    select_text(page, page.locator(f"#column-{seeded[1].pk} .column-body"), "Experts say Russia")
    expect(page.locator("#annotation-popover")).to_contain_text("cannot annotate")
