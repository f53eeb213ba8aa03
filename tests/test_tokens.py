"""The API tokens page (/accounts/tokens/) and the token services: made, shown once, stored as a
digest, revoked."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from readingroom.annotations.models import ApiToken
from readingroom.annotations.tokens import MAX_ACTIVE_TOKENS, api_token_authenticate, api_token_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/tokens/"


@pytest.fixture
def owner():
    return make_user("owner")


@pytest.fixture
def client(owner):
    client = Client()
    client.force_login(owner)
    return client


def test_it_is_for_signed_in_people_only():
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_refuses_other_methods(client):
    assert client.put(URL).status_code == 405


def test_it_makes_a_token_shown_once_and_stores_only_its_digest(client, owner):
    response = client.post(URL, {"action": "create", "name": "My notebook", "scope": "write"})
    assert response.status_code == 201
    raw = response.context["new_token"]
    assert raw.startswith("rr_") and len(raw) > 40 and raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.user == owner and token.name == "My notebook" and token.scope == "write"
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest() and token.prefix == raw[:10]
    assert raw not in str(list(ApiToken.objects.values()))
    listed = client.get(URL).content.decode()
    assert raw not in listed and "My notebook" in listed and token.prefix in listed and "never" in listed


def test_a_token_needs_a_name_and_a_known_scope(client):
    assert client.post(URL, {"action": "create", "name": " ", "scope": "read"}).status_code == 400
    assert client.post(URL, {"action": "create", "name": "x", "scope": "admin"}).status_code == 400
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token_which_then_stops_working(client, owner):
    token, raw = api_token_create(user=owner, name="script", scope="read")
    response = client.post(URL, {"action": "revoke", "token": token.pk}, follow=True)
    assert "revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and api_token_authenticate(raw=raw) is None


def test_nobody_sees_or_revokes_someone_elses_tokens(client):
    other = make_user("other")
    token, raw = api_token_create(user=other, name="their secret script", scope="write")
    assert "their secret script" not in client.get(URL).content.decode()
    response = client.post(URL, {"action": "revoke", "token": token.pk}, follow=True)
    assert "No such token" in response.content.decode()
    assert api_token_authenticate(raw=raw) == token


def test_junk_token_ids_are_no_server_error(client):
    for junk in ("", "x", "9" * 40, "-1"):
        assert client.post(URL, {"action": "revoke", "token": junk}).status_code == 302


def test_the_page_checks_csrf(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(URL, {"action": "create", "name": "x", "scope": "read"}).status_code == 403


def test_there_is_a_limit_of_active_tokens(owner):
    for number in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=owner, name=f"t{number}", scope="read")
    with pytest.raises(ValidationError):
        api_token_create(user=owner, name="one more", scope="read")


def test_a_token_of_an_inactive_account_does_not_work(owner):
    _, raw = api_token_create(user=owner, name="script", scope="read")
    owner.is_active = False
    owner.save()
    assert api_token_authenticate(raw=raw) is None


def test_deleting_an_account_deletes_its_tokens(owner):
    api_token_create(user=owner, name="script", scope="read")
    owner.delete()
    assert not ApiToken.objects.exists()
