"""API tokens in the admin: curators list everyone's tokens and revoke them (a leaked one stops at
once), and never see a token or its digest; tokens are neither made nor deleted there."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from readingroom.annotations.models import ApiToken
from readingroom.annotations.tokens import api_token_create, api_tokens_revoke_by_staff
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/annotations/apitoken/"


@pytest.fixture
def curator():
    client = Client()
    client.force_login(make_user("curator", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def leaked():
    return api_token_create(user=make_user("alice"), name="laptop script", scope="write")


def test_it_lists_tokens_without_the_token_or_its_digest(curator, leaked):
    token, raw = leaked
    for url in (CHANGELIST, f"{CHANGELIST}?q=alice", f"{CHANGELIST}{token.pk}/change/"):
        response = curator.get(url)
        page = response.content.decode()
        assert response.status_code == 200 and "laptop script" in page and token.prefix in page
        assert raw not in page and token.digest not in page


def test_the_revoke_action_stops_the_token_at_once(curator, leaked):
    token, raw = leaked
    document = make_document()
    assert (
        Client().get(f"/annotations/?document={document.pk}", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 200
    )
    response = curator.post(CHANGELIST, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert "Revoked 1 tokens" in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    refused = Client().get(f"/annotations/?document={document.pk}", headers={"Authorization": f"Bearer {raw}"})
    assert refused.status_code == 401
    assert curator.get(f"{CHANGELIST}?state=revoked").content.decode().count("laptop script") >= 1
    assert "laptop script" not in curator.get(f"{CHANGELIST}?state=active").content.decode()


def test_tokens_are_not_made_edited_or_deleted_in_the_admin(curator, leaked):
    token, _ = leaked
    assert curator.get(f"{CHANGELIST}add/").status_code == 403
    assert curator.get(f"{CHANGELIST}{token.pk}/delete/").status_code == 403
    curator.post(f"{CHANGELIST}{token.pk}/change/", {"name": "renamed", "scope": "read"})
    assert ApiToken.objects.get(pk=token.pk).name == "laptop script"
    curator.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"})
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_only_staff_reach_it(leaked):
    token, _ = leaked
    reader = Client()
    reader.force_login(make_user("reader"))
    assert reader.get(CHANGELIST).status_code == 302  # to the admin's sign-in
    with pytest.raises(PermissionDenied):
        api_tokens_revoke_by_staff(moderator=make_user("not-staff"), token_ids=[token.pk])
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
