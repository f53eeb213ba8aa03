"""Deleting an account never takes other people's work with it (hardening #13.6)."""

from __future__ import annotations

import pytest
from django.test import Client

from readingroom.annotations.models import Annotation, AnnotationSession, Membership, Role, Visibility
from readingroom.annotations.services import annotation_reply
from readingroom.annotations.sessions import session_join, session_set_role, session_start
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    owner, member, viewer = make_user("olga"), make_user("mika"), make_user("vic")
    documents = [make_document(), make_document()]
    session = session_start(user=owner, title="Summit desk", documents=documents)
    session_join(session=session, user=member)
    session_set_role(session=session, user=owner, member=session_join(session=session, user=viewer), role=Role.VIEWER)
    shared = make_annotation(user=owner, document=documents[0], session=session, visibility=Visibility.SESSION)
    public = make_annotation(user=owner, document=documents[1], visibility=Visibility.PUBLIC)
    private = make_annotation(user=owner, document=documents[1], visibility=Visibility.PRIVATE)
    member_thread = make_annotation(user=member, document=documents[0], session=session, visibility=Visibility.SESSION)
    reply_to_owner = annotation_reply(user=member, parent=shared, body="I checked this one")
    owner_reply = annotation_reply(user=owner, parent=member_thread, body="Agreed")
    return {
        "owner": owner,
        "member": member,
        "viewer": viewer,
        "session": session,
        "documents": documents,
        "shared": shared,
        "public": public,
        "private": private,
        "member_thread": member_thread,
        "reply_to_owner": reply_to_owner,
        "owner_reply": owner_reply,
    }


def admin_client() -> Client:
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_deleting_an_owner_in_the_admin_keeps_the_session_and_everyone_elses_work(team):
    client = admin_client()
    confirmation = client.get(f"/admin/auth/user/{team['owner'].pk}/delete/").content.decode()
    assert "1 private annotation(s) of olga are deleted" in confirmation
    assert "2 shared annotation(s) and 1 repl(y/ies) stay" in confirmation
    assert "session “Summit desk” passes to mika" in confirmation

    response = client.post(f"/admin/auth/user/{team['owner'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    session = AnnotationSession.objects.get(pk=team["session"].pk)
    assert session.owner == team["member"] and not session.closed
    assert Membership.objects.get(session=session, user=team["member"]).role == Role.OWNER
    remaining = set(Annotation.objects.values_list("pk", flat=True))
    for kept in ("shared", "public", "member_thread", "reply_to_owner", "owner_reply"):
        assert team[kept].pk in remaining, kept
    assert team["private"].pk not in remaining
    assert Annotation.objects.get(pk=team["shared"].pk).author is None


def test_the_members_still_see_the_kept_work_by_deleted_user(team):
    admin_client().post(f"/admin/auth/user/{team['owner'].pk}/delete/", {"post": "yes"})
    member = Client()
    member.force_login(team["member"])
    page = member.get(f"/annotations/threads/?id={team['shared'].pk}").content.decode()
    assert "deleted user" in page and "I checked this one" in page
    listing = member.get(f"/annotations/?document={team['documents'][1].pk}").json()
    creators = [item["creator"] for item in listing.get("items", listing.get("first", {}).get("items", []))]
    assert {"type": "Person", "name": "deleted user"} in creators
    csv = member.get(f"/sessions/{team['session'].pk}/export.csv").content.decode()
    assert "deleted user" in csv
    assert member.get(f"/sessions/{team['session'].pk}/dashboard/").status_code == 200


def test_bulk_deletion_in_the_admin_goes_through_the_same_rules(team):
    client = admin_client()
    ids = [team["owner"].pk, team["viewer"].pk]
    confirmation = client.post("/admin/auth/user/", {"action": "delete_selected", "_selected_action": ids})
    assert "passes to mika" in confirmation.content.decode()
    client.post("/admin/auth/user/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert AnnotationSession.objects.get(pk=team["session"].pk).owner == team["member"]
    assert Annotation.objects.filter(pk=team["reply_to_owner"].pk).exists()


def test_a_session_with_nobody_else_left_is_closed_and_kept():
    loner = make_user("lone")
    session = session_start(user=loner, title="Alone", documents=[make_document()])
    kept = make_annotation(
        user=loner, document=session.documents.first(), session=session, visibility=Visibility.PUBLIC
    )
    admin_client().post(f"/admin/auth/user/{loner.pk}/delete/", {"post": "yes"})
    session.refresh_from_db()
    assert session.closed and session.owner is None
    assert Annotation.objects.filter(pk=kept.pk).exists()


def test_a_private_thread_others_replied_to_before_it_was_made_private_is_kept(team):
    team["shared"].visibility = Visibility.PRIVATE
    team["shared"].save()
    admin_client().post(f"/admin/auth/user/{team['owner'].pk}/delete/", {"post": "yes"})
    assert Annotation.objects.filter(pk__in=[team["shared"].pk, team["reply_to_owner"].pk]).count() == 2


def test_nobody_is_offered_to_edit_a_deleted_users_annotations(team):
    admin_client().post(f"/admin/auth/user/{team['owner'].pk}/delete/", {"post": "yes"})
    page = Client().get(f"/annotations/threads/?id={team['public'].pk}").content.decode()
    assert "deleted user" in page
    assert "/edit/" not in page and "/delete/" not in page
