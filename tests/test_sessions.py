"""Team sessions: who may do what (every role against every endpoint), what each one sees, and
what a live poll costs."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from readingroom.annotations.models import Annotation, AnnotationSession, Membership, Role, Visibility
from readingroom.annotations.services import annotation_create
from readingroom.annotations.sessions import session_join, session_set_closed, session_start
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "viewer", "annotator", "owner"]


@pytest.fixture
def world():
    """A session with an owner, an annotator and a viewer; an outsider who is in none."""
    documents = [
        make_document(paragraphs=["Putin met Kim at the Vostochny Cosmodrome.", "They talked."]) for _ in range(2)
    ]
    users = {role: make_user(role) for role in ROLES if role != "anonymous"}
    session = session_start(user=users["owner"], title="Summit", documents=documents)
    for role in ("annotator", "viewer"):
        membership = session_join(session=session, user=users[role])
        membership.role = role
        membership.save()
    annotation = make_annotation(user=users["owner"], document=documents[0], quote="Putin", session=session)
    return {"session": session, "documents": documents, "users": users, "annotation": annotation}


def client_for(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def session_url(world, name: str) -> str:
    return reverse(name, args=[world["session"].pk])


READ_ENDPOINTS = [
    "session_detail",
    "session_dashboard",
    "session_members",
    "session_export_jsonld",
    "session_export_csv",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", READ_ENDPOINTS)
def test_session_pages_are_for_members_only(world, role, endpoint):
    response = client_for(world, role).get(session_url(world, endpoint))
    expected = {"anonymous": 302, "outsider": 404}.get(role, 200)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_live_poll_and_heartbeat_are_for_members_only(world, role):
    client = client_for(world, role)
    poll = client.get(session_url(world, "session_poll"))
    here = client.post(session_url(world, "session_here"))
    # The page's poll answers who may not follow with the reason it stops, never the session's news.
    gone = {"anonymous": "signed-out", "outsider": "not-a-member"}.get(role)
    assert poll.status_code == 200 and poll.json().get("gone") == gone
    if gone:
        assert poll.json() == {"gone": gone}
    assert here.status_code == {"anonymous": 404, "outsider": 404}.get(role, 200)


@pytest.mark.parametrize("role", ROLES)
def test_session_fragments_are_404_for_non_members(world, role):
    client = client_for(world, role)
    document = world["documents"][0]
    panel = client.get(reverse("annotation_panel") + f"?doc={document.pk}&session={world['session'].pk}")
    body = client.get(
        reverse("document_detail", args=[document.pk]) + f"?session={world['session'].pk}",
        headers={"HX-Request": "true"},
    )
    thread = client.get(reverse("annotation_threads") + f"?id={world['annotation'].pk}")
    api = client.get(reverse("annotation_detail", args=[world["annotation"].pk]))
    member = role in ("viewer", "annotator", "owner")
    assert panel.status_code == (200 if member else 404)
    assert body.status_code == (200 if member else 404)
    assert thread.status_code == (200 if member else 404)
    assert api.status_code == (200 if member else 404)


def anno(world, exact="Vostochny Cosmodrome", **extra):
    document = world["documents"][0]
    start = document.canonical_text.index(exact)
    return {
        "type": "Annotation",
        "session": world["session"].pk,
        "target": {
            "source": f"http://testserver/documents/{document.pk}/",
            "selector": [{"type": "TextPositionSelector", "start": start, "end": start + len(exact)}],
        },
        **extra,
    }


@pytest.mark.parametrize(
    "role, status", [("anonymous", 401), ("outsider", 400), ("viewer", 403), ("annotator", 201), ("owner", 201)]
)
def test_who_may_annotate_in_a_session(world, role, status):
    response = client_for(world, role).post(
        reverse("annotation_container"), json.dumps(anno(world)), content_type="application/ld+json"
    )
    assert response.status_code == status
    if status == 201:
        created = Annotation.objects.get(pk=response.json()["id"].rsplit("/", 1)[-1])
        assert created.session == world["session"] and created.visibility == Visibility.SESSION


@pytest.mark.parametrize(
    "role, allowed", [("outsider", False), ("viewer", False), ("annotator", True), ("owner", True)]
)
def test_who_may_reply_in_a_session(world, role, allowed):
    client = client_for(world, role)
    response = client.post(reverse("annotation_reply", args=[world["annotation"].pk]), {"body": "A reply"})
    assert world["annotation"].replies.exists() == allowed
    assert response.status_code == (302 if allowed else {"outsider": 404}.get(role, 403))


def test_a_closed_session_is_read_only_and_can_be_reopened(world):
    session, owner = world["session"], world["users"]["owner"]
    client = client_for(world, "annotator")
    session_set_closed(session=session, user=owner, closed=True)
    refused = client.post(reverse("annotation_container"), json.dumps(anno(world)), content_type="application/ld+json")
    assert refused.status_code == 400 and "closed" in refused.json()["error"]
    session_set_closed(session=session, user=owner, closed=False)
    accepted = client.post(reverse("annotation_container"), json.dumps(anno(world)), content_type="application/ld+json")
    assert accepted.status_code == 201


@pytest.mark.parametrize("role, allowed", [("viewer", False), ("annotator", False), ("owner", True)])
def test_only_owners_manage_members(world, role, allowed):
    viewer = Membership.objects.get(session=world["session"], user=world["users"]["viewer"])
    client = client_for(world, role)
    client.post(session_url(world, "session_members"), {"action": "set-role", "member": viewer.pk, "role": "annotator"})
    old_token = world["session"].invite_token
    client.post(session_url(world, "session_members"), {"action": "revoke-invite"})
    client.post(session_url(world, "session_members"), {"action": "close"})
    viewer.refresh_from_db()
    world["session"].refresh_from_db()
    assert (viewer.role == Role.ANNOTATOR) == allowed
    assert (world["session"].invite_token != old_token) == allowed
    assert world["session"].closed == allowed


def test_the_last_owner_cannot_step_down(world):
    owner = Membership.objects.get(session=world["session"], user=world["users"]["owner"])
    response = client_for(world, "owner").post(
        session_url(world, "session_members"), {"action": "set-role", "member": owner.pk, "role": "viewer"}, follow=True
    )
    owner.refresh_from_db()
    assert owner.role == Role.OWNER and "needs an owner" in response.content.decode()


def test_joining_by_invitation_needs_an_account_and_a_revoked_link_stops_working(world):
    newcomer = make_user("newcomer")
    url = reverse("session_join", args=[world["session"].invite_token])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client = Client()
    client.force_login(newcomer)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert Membership.objects.get(session=world["session"], user=newcomer).role == Role.ANNOTATOR
    client_for(world, "owner").post(session_url(world, "session_members"), {"action": "revoke-invite"})
    assert client.get(url).status_code == 404


def test_starting_a_session_from_the_compare_page(world):
    client = client_for(world, "outsider")
    ids = [d.pk for d in world["documents"]]
    response = client.post(reverse("session_new"), {"doc": ids, "title": "Our read"})
    session = AnnotationSession.objects.get(title="Our read")
    assert response["Location"] == session.get_absolute_url()
    assert sorted(session.documents.values_list("pk", flat=True)) == sorted(ids)
    assert Membership.objects.get(session=session).role == Role.OWNER


def test_private_annotations_never_leak_into_lists_counts_exports_or_search(world):
    session, annotator = world["session"], world["users"]["annotator"]
    document = world["documents"][0]
    start = document.canonical_text.index("They talked")
    annotation_create(
        user=annotator,
        document=document,
        start=start,
        end=start + 11,
        exact="They talked",
        body="secret-note",
        tag_names=["hidden-tag"],
        visibility=Visibility.PRIVATE,
        session=session,
    )
    viewer = client_for(world, "viewer")
    ids = "&".join(f"doc={d.pk}" for d in world["documents"])
    panel = viewer.get(reverse("annotation_panel") + f"?{ids}&session={session.pk}").content.decode()
    search = viewer.get(reverse("annotation_panel") + f"?{ids}&session={session.pk}&q=secret").content.decode()
    dashboard = viewer.get(session_url(world, "session_dashboard")).content.decode()
    export = viewer.get(session_url(world, "session_export_jsonld")).content.decode()
    csv = viewer.get(session_url(world, "session_export_csv")).content.decode()
    page = viewer.get(session_url(world, "session_detail")).content.decode()
    api = viewer.get(reverse("annotation_container") + f"?document={document.pk}").json()
    for text in (panel, search, dashboard, export, csv, page, json.dumps(api)):
        assert "secret-note" not in text and "hidden-tag" not in text and "They talked</mark>" not in text
    assert "1 annotation" in panel and "0 annotations" in search
    assert "1 annotation you can see" in dashboard
    assert api["total"] == 1  # the container (#18): its total, its first page embedded
    # The author sees it.
    mine = (
        client_for(world, "annotator")
        .get(reverse("annotation_panel") + f"?{ids}&session={session.pk}")
        .content.decode()
    )
    assert "2 annotations" in mine


def test_session_annotations_are_invisible_outside_the_session(world):
    outsider = world["users"]["outsider"]
    assert not Annotation.objects.visible_to(outsider).exists()
    assert not Annotation.objects.visible_to(AnonymousUser()).exists()
    assert Annotation.objects.visible_to(world["users"]["viewer"]).count() == 1


def test_an_idle_poll_is_one_indexed_query_after_the_session_lookup_and_has_no_body(
    world, django_assert_max_num_queries
):
    client = client_for(world, "viewer")
    first = client.get(session_url(world, "session_poll") + "?since=0")
    etag = first["ETag"]
    with django_assert_max_num_queries(2):  # the session cookie's row, then membership + version
        idle = client.get(session_url(world, "session_poll") + "?since=1", headers={"If-None-Match": etag})
    assert idle.status_code == 304 and idle.content == b""


def test_a_poll_after_a_change_says_what_changed(world):
    client = client_for(world, "viewer")
    world["session"].refresh_from_db()
    version = world["session"].version
    assert version == 1  # the fixture's one annotation
    start = world["documents"][1].canonical_text.index("Kim")
    created = annotation_create(
        user=world["users"]["annotator"],
        document=world["documents"][1],
        start=start,
        end=start + 3,
        exact="Kim",
        session=world["session"],
    )
    data = client.get(session_url(world, "session_poll") + f"?since={version}").json()
    assert data["version"] == version + 1
    assert data["documents"] == [world["documents"][1].pk] and data["annotations"] == [created.pk]


def test_the_dashboard_draws_charts_and_lists_the_most_tagged_passages(world):
    session = world["session"]
    make_annotation(
        user=world["users"]["annotator"],
        document=world["documents"][0],
        quote="Kim",
        session=session,
        tag_names=["claim", "quote"],
    )
    html = client_for(world, "viewer").get(session_url(world, "session_dashboard")).content.decode()
    assert html.count("<svg") == 3 and "<rect" in html
    assert "Per member" in html and "Per tag" in html and "Per document" in html
    assert "claim" in html and "Most-tagged passages" in html


def test_signing_up_signs_you_in_with_a_display_name(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "newsroom",
            "display_name": "News Room",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
            "next": "/entities/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/entities/"
    page = client.get("/").content.decode()
    assert "News Room" in page


def test_sign_up_refuses_a_foreign_next(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "n2",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"


def test_a_member_made_viewer_or_removed_can_no_longer_change_their_annotations(world):
    from django.core.exceptions import PermissionDenied

    from readingroom.annotations.services import annotation_update

    annotator = world["users"]["annotator"]
    mine = make_annotation(user=annotator, document=world["documents"][0], quote="Kim", session=world["session"])
    membership = Membership.objects.get(session=world["session"], user=annotator)
    membership.role = Role.VIEWER
    membership.save()
    with pytest.raises(PermissionDenied):
        annotation_update(user=annotator, annotation=mine, body="still mine?")
    membership.delete()
    with pytest.raises(PermissionDenied):
        annotation_update(user=annotator, annotation=mine, visibility=Visibility.PUBLIC)
    assert Annotation.objects.get(pk=mine.pk).visibility == Visibility.SESSION


def test_deleting_in_a_closed_session_is_a_clear_400(world):
    session_set_closed(session=world["session"], user=world["users"]["owner"], closed=True)
    response = client_for(world, "owner").delete(reverse("annotation_detail", args=[world["annotation"].pk]))
    assert response.status_code == 400 and "closed" in response.json()["error"]
    assert Annotation.objects.filter(pk=world["annotation"].pk).exists()


def test_the_poll_ends_with_the_password_and_ignores_private_changes(world):
    client = client_for(world, "viewer")
    world["session"].refresh_from_db()
    version = world["session"].version
    annotator = world["users"]["annotator"]
    make_annotation(
        user=annotator,
        document=world["documents"][1],
        quote="Kim",
        session=world["session"],
        visibility=Visibility.PRIVATE,
    )
    assert client.get(session_url(world, "session_poll") + f"?since={version}").json()["annotations"] == []
    viewer = world["users"]["viewer"]
    viewer.set_password("a-new-pass-phrase-after-a-leak")
    viewer.save()
    assert client.get(session_url(world, "session_poll")).json() == {"gone": "signed-out"}


@pytest.mark.parametrize(
    "url",
    [
        "/annotations/threads/?id=99999999999999999999999",
        "/annotations/?document=99999999999999999999999",
        "/annotations/?page=99999999999999999999999",
        "/compare/?doc=99999999999999999999999&doc=1",
    ],
)
def test_absurd_numbers_in_addresses_are_not_server_errors(client, url):
    assert client.get(url).status_code in (200, 302, 400, 404)  # never a 500


@pytest.mark.parametrize("role, offered", [("viewer", False), ("annotator", True), ("owner", True)])
def test_the_reply_form_is_offered_only_where_a_reply_can_be_made(world, role, offered):
    html = client_for(world, role).get(reverse("annotation_threads") + f"?id={world['annotation'].pk}").content.decode()
    assert ('class="reply-form"' in html) == offered
    session_set_closed(session=world["session"], user=world["users"]["owner"], closed=True)
    closed = (
        client_for(world, role).get(reverse("annotation_threads") + f"?id={world['annotation'].pk}").content.decode()
    )
    assert 'class="reply-form"' not in closed and "Delete annotation" not in closed


def test_the_poll_keeps_working_after_the_secret_key_is_rotated(world, settings):
    client = client_for(world, "viewer")
    poll = session_url(world, "session_poll")
    assert "version" in client.get(poll).json()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 30
    assert "version" in client.get(poll).json()  # the live poll accepts the old key's hash, as pages do
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(poll).json() == {"gone": "signed-out"}  # once the old key is dropped: sign in again
