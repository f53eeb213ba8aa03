"""Whatever a client sends to /annotations/, the answer is never a server error: bad JSON, JSON of
the wrong shape, and headers that are junk (Accept, Prefer, If-Match, If-None-Match, Content-Type)."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readingroom.annotations.models import Visibility
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_highlight_cache():
    # Document lists are cached under the document's highlight version; a rolled-back test leaves
    # ids and versions for the next one to reuse, so each test starts with an empty cache.
    from django.core.cache import caches

    caches["highlights"].clear()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
KEYS = ["type", "target", "body", "motivation", "id", "canonical", "via", "session", "visibility", "state"]
ANNOTATION_LIKE = st.dictionaries(st.sampled_from(KEYS), JSON_VALUES, max_size=6)
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)


@pytest.fixture
def world():
    user = make_user()
    document = make_document(paragraphs=["Putin and Kim met.", "They talked."])
    annotation = make_annotation(user=user, document=document, quote="Kim", visibility=Visibility.PUBLIC)
    client = Client()
    client.force_login(user)
    return {"client": client, "document": document, "annotation": annotation}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSON_VALUES | ANNOTATION_LIKE)
def test_any_json_posted_is_a_4xx_or_a_201(world, body):
    response = world["client"].post("/annotations/", json.dumps(body), content_type="application/ld+json")
    assert response.status_code in (201, 400, 403, 413)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=ANNOTATION_LIKE)
def test_any_json_put_is_a_4xx_or_a_200(world, body):
    annotation = world["annotation"]
    annotation.refresh_from_db()
    response = world["client"].put(
        annotation.get_absolute_url(),
        json.dumps(body),
        content_type="application/ld+json",
        headers={"If-Match": annotation.etag},
    )
    assert response.status_code in (200, 400, 403, 412)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    accept=HEADER_TEXT,
    prefer=HEADER_TEXT | st.just('return=representation;include="'),
    etag=HEADER_TEXT,
    query=st.dictionaries(st.sampled_from(["page", "iris", "document", "session"]), HEADER_TEXT, max_size=3),
)
def test_junk_headers_and_queries_are_never_a_server_error(world, accept, prefer, etag, query):
    client = world["client"]
    headers = {"Accept": accept, "Prefer": prefer, "If-None-Match": etag, "If-Match": etag}
    container = client.get("/annotations/", query, headers=headers)
    assert container.status_code in (200, 304, 400, 404, 406)
    url = world["annotation"].get_absolute_url()
    assert client.get(url, headers=headers).status_code in (200, 304, 406)
    assert client.head(url, headers=headers).status_code in (200, 304, 406)
    assert client.options("/annotations/", headers=headers).status_code == 200


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"\xff\xfe\x00", "application/ld+json"),
        (b'{"type": "Annotation", "target": {"source": "\\ud800"}}', "application/ld+json"),
        (b"[" * 50_000, "application/json"),
        (b"null", "application/ld+json"),
        (b'"just a string"', "application/ld+json"),
        (b"{}", "application/ld+json; charset=latin-1; profile=x"),
        (b"{}", ""),
        (b"{}", "application/ld+json; charset=no-such-charset"),
    ],
)
def test_broken_bodies_are_refused_with_a_problem(world, body, content_type):
    response = world["client"].generic("POST", "/annotations/", body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"
