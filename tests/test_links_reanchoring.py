"""Links across sources (#19) after a curator edits a document's text: each passage is re-anchored
from its quote; a passage that is gone is orphaned and keeps the link, which is then partial."""

import json

import pytest
from django.test import Client

from readingroom.annotations.links import LinkTarget, link_create, link_state
from readingroom.annotations.models import Annotation, Relation, Visibility
from readingroom.reader.editing import document_text_edit
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db


def passage(document, quote):
    start = document.canonical_text.index(quote)
    return LinkTarget(document=document, start=start, end=start + len(quote), exact=quote)


@pytest.fixture
def link():
    relation = Relation.objects.get_or_create(slug="contradicts", defaults={"name": "Contradicts"})[0]
    first = make_document(paragraphs=["Kim travelled some 1,000 km by train to meet Putin."])
    second = make_document(
        paragraphs=["The summit was held at the cosmodrome.", "The train carried Kim about 1,500 km to get there."]
    )
    return link_create(
        user=make_user(),
        targets=[passage(first, "some 1,000 km"), passage(second, "about 1,500 km")],
        relation=relation,
        visibility=Visibility.PUBLIC,
    )


def test_a_passage_moved_by_an_edit_of_its_document_follows_it(link):
    second = link.targets.get().document
    report = document_text_edit(document=second, canonical_text="Kim arrived on Tuesday.\n\n" + second.canonical_text)
    target = link.targets.get()
    second.refresh_from_db()
    assert target.anchor_state == "moved" and second.canonical_text[target.start : target.end] == "about 1,500 km"
    assert report.moved == 1
    link = Annotation.objects.get(pk=link.pk)
    assert link.version == 2 and link_state(link) == "moved"  # its ETag says it changed


def test_a_passage_edited_away_is_orphaned_and_the_link_is_kept_partial(link):
    second = link.targets.get().document
    document_text_edit(document=second, canonical_text="The summit was held at the cosmodrome.")
    link = Annotation.objects.get(pk=link.pk)
    target = link.targets.get()
    assert target.anchor_state == "orphaned" and target.start is None and target.exact == "about 1,500 km"
    assert link.anchor_state == "anchored" and link_state(link) == "partial"
    client = Client()
    data = client.get(f"/annotations/{link.pk}").json()
    assert data["state"] == "partial"
    assert [t["state"] for t in data["target"]] == ["anchored", "orphaned"]
    assert data["target"][1]["selector"] == [
        {"type": "TextQuoteSelector", "exact": "about 1,500 km", "prefix": target.prefix, "suffix": target.suffix}
    ]
    assert json.loads(client.get("/annotations/").content)["first"]["items"][0]["state"] == "partial"


def test_the_first_passage_edited_away_makes_the_link_partial_too(link):
    document_text_edit(document=link.document, canonical_text="Nothing about distances here.")
    link = Annotation.objects.get(pk=link.pk)
    assert link.anchor_state == "orphaned" and link_state(link) == "partial"
