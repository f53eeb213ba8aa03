"""API tokens on /annotations/: ``Authorization: Bearer`` acts as the token's user, with exactly
their permissions, on every method and without CSRF; read-only tokens only read; revoked ones stop
at once; rate limited; never accepted on the HTML pages."""

import json

import pytest
from django.test import Client

from readingroom.annotations.models import Annotation, ApiToken, Visibility
from readingroom.annotations.sessions import session_start
from readingroom.annotations.tokens import api_token_create, api_token_revoke
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_highlight_cache():
    # Document lists are cached under the document's highlight version; a rolled-back test leaves
    # ids and versions for the next one to reuse, so each test starts with an empty cache.
    from django.core.cache import caches

    caches["highlights"].clear()


JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def anno(document, exact, visibility="private"):
    start = document.canonical_text.index(exact)
    return {
        "type": "Annotation",
        "visibility": visibility,
        "body": [{"type": "TextualBody", "purpose": "commenting", "value": "From a script"}],
        "target": {
            "source": f"http://testserver/documents/{document.pk}/",
            "selector": [{"type": "TextPositionSelector", "start": start, "end": start + len(exact)}],
        },
    }


@pytest.fixture
def document():
    return make_document(paragraphs=["Putin and Kim met in Vostochny.", "They talked about all the issues."])


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def write_token(alice):
    return api_token_create(user=alice, name="script", scope="write")[1]


@pytest.fixture
def api():
    """A client with no session and CSRF checks on, as another tool is."""
    return Client(enforce_csrf_checks=True)


def test_a_token_creates_updates_and_deletes_without_csrf(api, alice, write_token, document):
    created = api.post(
        "/annotations/", json.dumps(anno(document, "Vostochny")), content_type=JSONLD, headers=bearer(write_token)
    )
    assert created.status_code == 201
    annotation = Annotation.objects.get()
    assert annotation.author == alice
    url = created["Location"].removeprefix("http://testserver")
    data = created.json()
    data["body"][0]["value"] = "Changed by the script"
    headers = {**bearer(write_token), "If-Match": created["ETag"]}
    updated = api.put(url, json.dumps(data), content_type=JSONLD, headers=headers)
    assert updated.status_code == 200 and updated.json()["body"][0]["value"] == "Changed by the script"
    deleted = api.delete(url, headers={**bearer(write_token), "If-Match": updated["ETag"]})
    assert deleted.status_code == 204 and not Annotation.objects.exists()


def test_a_token_sees_what_its_user_sees_and_no_more(api, alice, write_token, document):
    own_private = make_annotation(user=alice, document=document, quote="Putin")
    someone = make_user("someone")
    their_private = make_annotation(user=someone, document=document, quote="Kim")
    session = session_start(user=someone, title="Their desk", documents=[document])
    their_session = make_annotation(
        user=someone, document=document, quote="met", visibility=Visibility.SESSION, session=session
    )
    listed = api.get(f"/annotations/?document={document.pk}", headers=bearer(write_token)).json()
    ids = {item["id"].rsplit("/", 1)[1] for item in listed["first"]["items"]}
    assert ids == {str(own_private.pk)}
    assert api.get(own_private.get_absolute_url(), headers=bearer(write_token)).status_code == 200
    for hidden in (their_private, their_session):
        assert api.get(hidden.get_absolute_url(), headers=bearer(write_token)).status_code == 404
    assert api.get(f"/annotations/?session={session.pk}", headers=bearer(write_token)).status_code == 404
    # Nor can it write where its user may not: in a session it is not a member of.
    data = {**anno(document, "issues"), "session": session.pk}
    refused = api.post("/annotations/", json.dumps(data), content_type=JSONLD, headers=bearer(write_token))
    assert refused.status_code == 400 and not Annotation.objects.filter(author=alice, session=session).exists()


def test_a_token_cannot_change_someone_elses_annotation(api, write_token, document):
    theirs = make_annotation(user=make_user(), document=document, quote="Kim", visibility=Visibility.PUBLIC)
    response = api.delete(theirs.get_absolute_url(), headers=bearer(write_token))
    assert response.status_code == 403 and Annotation.objects.filter(pk=theirs.pk).exists()


def test_a_read_only_token_reads_but_does_not_write(api, alice, document):
    _, raw = api_token_create(user=alice, name="reader", scope="read")
    mine = make_annotation(user=alice, document=document, quote="Putin")
    assert api.get(mine.get_absolute_url(), headers=bearer(raw)).status_code == 200
    refused = api.post("/annotations/", json.dumps(anno(document, "Kim")), content_type=JSONLD, headers=bearer(raw))
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    assert api.delete(mine.get_absolute_url(), headers=bearer(raw)).status_code == 403
    assert Annotation.objects.count() == 1


def test_a_token_revoked_mid_session_stops_at_once(api, alice, write_token, document):
    mine = make_annotation(user=alice, document=document, quote="Putin")
    assert api.get(mine.get_absolute_url(), headers=bearer(write_token)).status_code == 200
    api_token_revoke(user=alice, token_id=ApiToken.objects.get().pk)
    response = api.get(mine.get_absolute_url(), headers=bearer(write_token))
    assert response.status_code == 401 and 'error="invalid_token"' in response["WWW-Authenticate"]
    posted = api.post(
        "/annotations/", json.dumps(anno(document, "Kim")), content_type=JSONLD, headers=bearer(write_token)
    )
    assert posted.status_code == 401 and Annotation.objects.count() == 1


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic YWxpY2U6cGFzcw==",
        "bearer rr_not-a-token",
        "Bearer rr_" + "x" * 5000,
        "Token abc",
        "Bearer \x7f",
    ],
)
def test_a_bad_authorization_header_is_401_never_a_server_error(api, header, document):
    response = api.get("/annotations/", headers={"Authorization": header})
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/problem+json"


def test_a_bad_token_never_falls_back_to_the_session(alice, document):
    client = Client()
    client.force_login(alice)
    assert client.get("/annotations/", headers=bearer("rr_wrong")).status_code == 401


def test_tokens_are_never_accepted_on_the_html_pages(api, alice, write_token, document):
    session = session_start(user=alice, title="Desk", documents=[document])
    mine = make_annotation(user=alice, document=document, quote="Putin", tag_names=["secret-tag"])
    assert api.get("/sessions/", headers=bearer(write_token)).status_code == 302  # to sign in
    assert api.get(f"/sessions/{session.pk}/", headers=bearer(write_token)).status_code in (302, 404)
    assert api.get(f"/sessions/{session.pk}/export.jsonld", headers=bearer(write_token)).status_code in (302, 404)
    assert api.get("/accounts/tokens/", headers=bearer(write_token)).status_code == 302
    thread = api.get(f"/annotations/threads/?id={mine.pk}", headers=bearer(write_token))
    assert "secret-tag" not in thread.content.decode()
    page = api.get(f"/documents/{document.pk}/", headers=bearer(write_token)).content.decode()
    assert "secret-tag" not in page and "alice" not in page


def test_a_token_is_rate_limited(api, alice, write_token, settings):
    settings.READINGROOM_API_REQUESTS_PER_MINUTE = 3
    statuses = [api.get("/annotations/", headers=bearer(write_token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get("/annotations/", headers=bearer(write_token))
    assert limited["Retry-After"] == "60"
    # Another user's token, and the session, are counted apart.
    _, other = api_token_create(user=make_user(), name="x", scope="read")
    assert api.get("/annotations/", headers=bearer(other)).status_code == 200


def test_wrong_tokens_are_limited_per_network(api, write_token):
    statuses = [api.get("/annotations/", headers=bearer(f"rr_guess{n}")).status_code for n in range(31)]
    assert statuses[:30] == [401] * 30 and statuses[30] == 429


def test_a_token_notes_when_it_was_last_used(api, write_token):
    assert ApiToken.objects.get().last_used_at is None
    api.get("/annotations/", headers=bearer(write_token))
    assert ApiToken.objects.get().last_used_at is not None


def test_the_session_still_needs_csrf_for_changes(alice, document):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    refused = client.post("/annotations/", json.dumps(anno(document, "Kim")), content_type=JSONLD)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    mine = make_annotation(user=alice, document=document, quote="Putin")
    assert client.delete(mine.get_absolute_url()).status_code == 403
    assert client.get(mine.get_absolute_url()).status_code == 200
