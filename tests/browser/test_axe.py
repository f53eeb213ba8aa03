"""Issue 17: axe-core (vendored in tests/browser/vendor/) finds no serious or critical WCAG 2.1 AA
violation on any page, signed out or signed in, with entities, annotations and tags shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from readingroom.annotations.sessions import session_start
from tests.browser.conftest import NetworkQuiet
from tests.factories import make_annotation

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEVERE = {"serious", "critical"}


def severe_violations(page) -> list[str]:
    """What axe-core reports as serious or critical on the page as it is now, one line each."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", WCAG_21_AA)
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']!r}"
        for violation in results["violations"]
        if violation["impact"] in SEVERE
        for node in violation["nodes"][:5]
    ]


@pytest.fixture
def axe_page(browser, live_server):
    """A page for axe: its script is added inline, which the site's policy rightly refuses, so
    this context bypasses the policy (the other browser tests check it is kept)."""
    contexts = []

    def open_page(user=None, width=1400, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def annotated_library(seeded):
    from readingroom.entities.models import Entity

    first, second = seeded[1], seeded[4]
    owner = get_user_model().objects.create_user("owner", password="a-long-passphrase", first_name="Olga")
    session = session_start(user=owner, title="Summit read", documents=[first, second])
    for quote, tags in (("shook hands", ["claim"]), ("space centre", ["military", "context"])):
        make_annotation(
            user=owner, document=first, quote=quote, tag_names=tags, visibility="public", body="A **note**."
        )
    make_annotation(user=owner, document=second, quote="without rushing", tag_names=["quote"], session=session)
    entity = Entity.objects.filter(mentions__document=first).order_by("name").first()
    return owner, session, first, second, entity


def first_annotation(document):
    from readingroom.annotations.models import Annotation

    return Annotation.objects.filter(document=document).order_by("pk").first()


def pages_to_check(session, first, second, entity, *, signed_in: bool) -> list[str]:
    paths = [
        "/",
        f"/documents/{first.pk}/",
        f"/compare/?doc={first.pk}&doc={second.pk}",
        f"/compare/?doc={first.pk}&doc={second.pk}&doc={first.pk + 1}",
        "/search/?q=Putin",
        "/entities/",
        f"/entities/{entity.pk}/",
        "/quotes/",
        f"/documents/{first.pk}/changes/",
        f"/annotations/panel/?doc={first.pk}",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
    ]
    if signed_in:
        paths += [
            f"/annotations/threads/?id={first_annotation(first).pk}",
            f"/sessions/join/{session.invite_token}/",
            "/sessions/",
            f"/sessions/{session.pk}/",
            f"/sessions/{session.pk}/members/",
            f"/sessions/{session.pk}/dashboard/",
        ]
    return paths


@pytest.mark.slow  # a walk over every page: handed out first, so it never runs alone at the end
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed_out", "signed_in"])
def test_no_page_has_a_serious_accessibility_violation(axe_page, live_server, seeded, signed_in):
    owner, session, first, second, entity = annotated_library(seeded)
    page = axe_page(owner if signed_in else None)
    found = {}
    quiet = NetworkQuiet(page)
    for path in pages_to_check(session, first, second, entity, signed_in=signed_in):
        page.goto(f"{live_server.url}{path}")
        quiet.wait()
        if problems := severe_violations(page):
            found[path] = problems
    assert found == {}, "\n".join(f"{path}: {problem}" for path, problems in found.items() for problem in problems)


def test_an_open_entity_card_thread_and_popover_have_no_serious_violation(axe_page, live_server, seeded):
    owner, session, first, second, entity = annotated_library(seeded)
    page = axe_page(owner)
    page.goto(f"{live_server.url}/compare/?doc={first.pk}&doc={second.pk}")
    page.locator(f"#column-{first.pk} mark.entity").first.click()
    page.locator("#entity-card").get_by_role("button", name="Next mention").wait_for()
    page.locator(f"#column-{first.pk} mark.annotation").first.click()
    page.locator("#annotation-threads .thread").first.wait_for()
    assert severe_violations(page) == []
    page.keyboard.press("Escape")
    page.locator(f"#column-{second.pk} .column-body").focus()
    page.keyboard.press("s")
    page.keyboard.press("a")
    page.locator("#annotation-popover").get_by_label("Tags", exact=True).wait_for()
    assert severe_violations(page) == []


def test_the_phone_layout_has_no_serious_violation(axe_page, live_server, seeded):
    owner, session, first, second, entity = annotated_library(seeded)
    page = axe_page(owner, width=390, height=844)
    found = {}
    for path in (f"/compare/?doc={first.pk}&doc={second.pk}", f"/documents/{first.pk}/", f"/sessions/{session.pk}/"):
        page.goto(f"{live_server.url}{path}")
        page.get_by_role("button", name="Annotations", exact=True).click()
        page.locator("#annotation-list .panel-count").wait_for()
        if problems := severe_violations(page):
            found[path] = problems
    assert found == {}, "\n".join(f"{path}: {problem}" for path, problems in found.items() for problem in problems)
