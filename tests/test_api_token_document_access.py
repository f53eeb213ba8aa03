"""A token of a user who may not see a document: the only documents hidden from a signed-in user
are those a curator deleted (hidden from every page, list and job until restored). Through a
token, as through the pages, such a document and its annotations are not there; restored, they
are back."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from readingroom.annotations.models import Annotation, Visibility
from readingroom.annotations.tokens import api_token_create
from readingroom.library.models import Document
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@pytest.fixture(autouse=True)
def fresh_highlight_cache():
    from django.core.cache import caches

    caches["highlights"].clear()


def test_a_token_cannot_read_or_annotate_a_document_its_user_may_not_see():
    alice = make_user("alice")
    document = make_document(paragraphs=["Putin and Kim met in Vostochny."])
    mine = make_annotation(user=alice, document=document, quote="Putin", visibility=Visibility.PUBLIC)
    _, raw = api_token_create(user=alice, name="script", scope="write")
    headers = {"Authorization": f"Bearer {raw}"}
    api = Client()
    Document.all_objects.filter(pk=document.pk).update(deleted_at=timezone.now())

    container = api.get(f"/annotations/?document={document.pk}", headers=headers)
    assert container.status_code == 200 and container.json()["total"] == 0
    assert api.get(mine.get_absolute_url(), headers=headers).status_code == 404
    assert api.delete(mine.get_absolute_url(), headers=headers).status_code == 404
    start = document.canonical_text.index("Kim")
    posted = api.post(
        "/annotations/",
        json.dumps(
            {
                "type": "Annotation",
                "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"}],
                "target": {
                    "source": f"http://testserver/documents/{document.pk}/",
                    "selector": [{"type": "TextPositionSelector", "start": start, "end": start + 3}],
                },
            }
        ),
        content_type=JSONLD,
        headers=headers,
    )
    assert posted.status_code == 400 and posted["Content-Type"] == "application/problem+json"
    for export in ("brat", "webanno"):
        assert api.get(f"/annotations/export/{export}.zip?document={document.pk}", headers=headers).status_code == 404
    assert Annotation.objects.filter(pk=mine.pk).exists()  # kept for when it is restored

    Document.all_objects.filter(pk=document.pk).update(deleted_at=None)
    assert api.get(mine.get_absolute_url(), headers=headers).status_code == 200
