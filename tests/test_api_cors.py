"""CORS on the annotation API (django-cors-headers): only for the origins in
READINGROOM_CORS_ORIGINS, only on the Protocol's addresses and the documents' text, never with
cookies; nothing is exposed cross-origin by default."""

import json

import pytest
from django.test import Client

from readingroom.annotations.models import Annotation, Visibility
from readingroom.annotations.tokens import api_token_create
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

TOOL = "https://tool.example.org"


@pytest.fixture
def allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [TOOL]


@pytest.fixture
def world():
    user = make_user("alice")
    document = make_document(paragraphs=["Putin and Kim met in Vostochny."])
    annotation = make_annotation(user=user, document=document, quote="Kim", visibility=Visibility.PUBLIC)
    return {"user": user, "document": document, "annotation": annotation}


def test_nothing_is_exposed_cross_origin_by_default(world):
    response = Client().get("/annotations/", headers={"Origin": TOOL})
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response


def test_an_allowed_origin_reads_the_container_and_the_protocol_headers(allowed, world):
    response = Client().get("/annotations/", headers={"Origin": TOOL})
    assert response["Access-Control-Allow-Origin"] == TOOL
    assert "origin" in response["Vary"].lower()
    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "location", "link", "content-location", "preference-applied"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response


def test_another_origin_is_not_allowed(allowed, world):
    response = Client().get("/annotations/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_a_preflight_for_a_put_with_a_token_and_if_match_is_allowed(allowed, world):
    response = Client().options(
        world["annotation"].get_absolute_url(),
        headers={
            "Origin": TOOL,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type, if-match, prefer",
        },
    )
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == TOOL
    assert "PUT" in response["Access-Control-Allow-Methods"]
    allowed_headers = response["Access-Control-Allow-Headers"]
    assert all(name in allowed_headers for name in ("authorization", "if-match", "prefer"))


def test_a_cross_origin_client_annotates_with_a_token(allowed, world):
    _, raw = api_token_create(user=world["user"], name="web tool", scope="write")
    document = world["document"]
    start = document.canonical_text.index("Vostochny")
    data = {
        "type": "Annotation",
        "target": {
            "source": f"http://testserver/documents/{document.pk}/",
            "selector": [{"type": "TextPositionSelector", "start": start, "end": start + 9}],
        },
    }
    response = Client(enforce_csrf_checks=True).post(
        "/annotations/",
        json.dumps(data),
        content_type="application/ld+json",
        headers={"Origin": TOOL, "Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201 and response["Access-Control-Allow-Origin"] == TOOL
    assert Annotation.objects.filter(exact="Vostochny").exists()
    text = Client().get(f"/documents/{document.pk}.txt", headers={"Origin": TOOL})
    assert text["Access-Control-Allow-Origin"] == TOOL


@pytest.mark.parametrize(
    "path",
    ["/", "/sessions/", "/annotations/panel/", "/annotations/threads/", "/accounts/tokens/", "/documents/{pk}/"],
)
def test_the_html_pages_are_never_shared_cross_origin(allowed, world, path):
    client = Client()
    client.force_login(world["user"])
    response = client.get(path.format(pk=world["document"].pk), headers={"Origin": TOOL})
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(
        path.format(pk=world["document"].pk), headers={"Origin": TOOL, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight
