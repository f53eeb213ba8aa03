import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_signing_in_lands_on_the_library(client):
    make_user("alice")
    response = sign_in(client, "alice", "a-long-passphrase")
    assert response.status_code == 302 and response["Location"] == "/"


def test_signing_out_is_a_post_and_lands_on_the_library(client):
    client.force_login(make_user())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == "/"


def test_only_the_proxys_own_forwarded_address_counts(rf, settings):
    from readingroom.loginlimits.services import client_address

    settings.BEHIND_TLS_PROXY = True
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "203.0.113.7"
    garbage = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.1")
    assert client_address(garbage) == "10.0.0.1"


def test_the_signed_in_user_is_read_on_every_request_until_the_session_expires(client):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    make_user("alice", first_name="Alice Reader")
    sign_in(client, "alice", "a-long-passphrase")
    assert "Alice Reader" in client.get("/").content.decode()
    assert "Sign out" in client.get("/").content.decode()
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    page = client.get("/").content.decode()
    assert "Alice Reader" not in page and "Sign out" not in page


def test_a_deactivated_user_or_a_changed_password_signs_the_session_out(client):
    alice = make_user("alice", first_name="Alice Reader")
    sign_in(client, "alice", "a-long-passphrase")
    alice.is_active = False
    alice.save()
    assert "Alice Reader" not in client.get("/").content.decode()

    alice.is_active = True
    alice.save()
    sign_in(client, "alice", "a-long-passphrase")
    assert "Alice Reader" in client.get("/").content.decode()
    alice.set_password("another-long-passphrase")
    alice.save()
    assert "Alice Reader" not in client.get("/").content.decode()


@pytest.mark.parametrize("user_id", ["99999999", str(2**70)])
def test_a_session_naming_no_valid_user_is_anonymous_not_an_error(client, user_id):
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store.update(
        {"_auth_user_id": user_id, "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[0], "_auth_user_hash": "x"}
    )
    store.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    response = client.get("/")
    assert response.status_code == 200 and "Sign out" not in response.content.decode()
