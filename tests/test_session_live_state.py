"""The live poll carries the member's role and the session's state, and the session page sends
what they change (issue 17)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from readingroom.annotations.models import Membership, Role
from readingroom.annotations.sessions import session_join, session_set_closed, session_set_role, session_start
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def world():
    document = make_document(paragraphs=["Putin met Kim at the Vostochny Cosmodrome."])
    owner, member, outsider = make_user("owner"), make_user("member"), make_user("outsider")
    session = session_start(user=owner, title="Summit", documents=[document])
    membership = session_join(session=session, user=member)
    client = Client()
    client.force_login(member)
    return {"session": session, "owner": owner, "membership": membership, "client": client, "outsider": outsider}


def poll(world, etag: str | None = None, state: str | None = "annotator open"):
    """A poll as the page makes it: the version it has, and the role and state it shows."""
    headers = {"If-None-Match": etag} if etag else {}
    query = {"since": 0} if state is None else {"since": 0, "state": state}
    return world["client"].get(reverse("session_poll", args=[world["session"].pk]), query, headers=headers)


def test_it_says_the_members_role_and_whether_they_may_annotate(world):
    data = poll(world).json()
    assert (data["role"], data["closed"], data["can_annotate"]) == ("annotator", False, True)


def test_a_role_change_ends_the_idle_answer_and_says_the_new_role(world):
    etag = poll(world)["ETag"]
    assert poll(world, etag).status_code == 304
    session_set_role(session=world["session"], user=world["owner"], member=world["membership"], role=Role.VIEWER)
    changed = poll(world, etag)
    assert changed.status_code == 200
    assert (changed.json()["role"], changed.json()["can_annotate"]) == ("viewer", False)


def test_closing_the_session_ends_the_idle_answer_and_says_it_is_closed(world):
    etag = poll(world)["ETag"]
    session_set_closed(session=world["session"], user=world["owner"], closed=True)
    changed = poll(world, etag)
    assert changed.status_code == 200
    assert (changed.json()["closed"], changed.json()["can_annotate"]) == (True, False)


def test_the_session_page_sends_its_bar_and_popover_to_htmx(world):
    url = reverse("session_detail", args=[world["session"].pk])
    html = world["client"].get(url, headers=HX).content.decode()
    assert "<html" not in html and 'id="session-bar"' in html and "You are annotator." in html
    assert 'hx-swap-oob="innerHTML"' in html and 'name="tag-entry"' in html
    Membership.objects.filter(pk=world["membership"].pk).update(role=Role.VIEWER)
    html = world["client"].get(url, headers=HX).content.decode()
    assert "As a viewer of this session you cannot annotate here" in html and 'name="tag-entry"' not in html


def test_the_session_state_is_for_members_only(world):
    outsider = Client()
    outsider.force_login(world["outsider"])
    assert outsider.get(reverse("session_detail", args=[world["session"].pk]), headers=HX).status_code == 404
    assert outsider.get(reverse("session_poll", args=[world["session"].pk])).json() == {"gone": "not-a-member"}
    # A session that does not exist answers alike: the poll tells nobody which sessions there are.
    assert outsider.get(reverse("session_poll", args=[10**6])).json() == {"gone": "not-a-member"}


def test_a_poll_that_names_no_state_is_idle_on_the_version_alone(world):
    etag = poll(world)["ETag"]
    assert etag == f'"v{world["session"].version}"'
    session_set_role(session=world["session"], user=world["owner"], member=world["membership"], role=Role.VIEWER)
    assert poll(world, etag, state=None).status_code == 304
    assert poll(world, etag, state="viewer open").status_code == 304
