"""A curator edits a document's text: annotations re-anchor, nothing is lost, entities follow."""

import pytest
from django.urls import reverse

from readingroom.annotations.models import AnchorState, Annotation, Visibility
from readingroom.entities.models import Entity, EntityType, Mention
from readingroom.entities.services import mention_add
from readingroom.library.services import TextEditError
from readingroom.reader.editing import document_text_edit
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

PARAGRAPHS = [
    "Putin said: “We’ll talk about all the issues, without haste. There is time.”",
    "Kim thanked Putin for inviting him to visit, despite the Russian leader's busy schedule.",
    "The White House warned last week that North Korea would pay a price.",
]


@pytest.fixture
def document():
    return make_document(paragraphs=PARAGRAPHS)


def edited(*paragraphs):
    return "\n\n".join(paragraphs)


def test_an_insertion_before_a_quote_moves_it(document):
    annotation = make_annotation(document=document, quote="busy schedule")
    report = document_text_edit(
        document=document, canonical_text=edited("A new first paragraph about the summit.", *PARAGRAPHS)
    )
    annotation.refresh_from_db()
    document.refresh_from_db()
    assert report.moved == 1 and annotation.anchor_state == AnchorState.MOVED
    assert document.canonical_text[annotation.start : annotation.end] == "busy schedule"
    assert document.revision == 2


def test_a_change_elsewhere_leaves_a_quote_anchored(document):
    annotation = make_annotation(document=document, quote="without haste")
    document_text_edit(document=document, canonical_text=edited(*PARAGRAPHS[:2], "The White House warned on Monday."))
    annotation.refresh_from_db()
    assert annotation.anchor_state == AnchorState.ANCHORED
    assert annotation.exact == "without haste"


def test_an_edit_inside_a_quote_follows_the_new_wording(document):
    annotation = make_annotation(document=document, quote="despite the Russian leader's busy schedule")
    document_text_edit(
        document=document,
        canonical_text=edited(
            PARAGRAPHS[0],
            "Kim thanked Putin for inviting him to visit, despite the Russian leader's very busy schedule.",
            PARAGRAPHS[2],
        ),
    )
    annotation.refresh_from_db()
    document.refresh_from_db()
    assert annotation.anchor_state == AnchorState.MOVED
    assert "very busy schedule" in annotation.exact
    assert document.canonical_text[annotation.start : annotation.end] == annotation.exact


def test_a_deleted_passage_orphans_its_annotation_and_keeps_it(client, document):
    author = make_user()
    annotation = make_annotation(
        user=author, document=document, quote="pay a price", body="note", visibility=Visibility.PUBLIC
    )
    report = document_text_edit(document=document, canonical_text=edited(*PARAGRAPHS[:2]))
    annotation.refresh_from_db()
    assert report.orphaned == 1
    assert annotation.anchor_state == AnchorState.ORPHANED and annotation.start is None
    assert annotation.exact == "pay a price" and annotation.body == "note"
    html = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "Annotations whose passage is gone" in html and "pay a price" in html
    assert f'data-annotation="{annotation.pk}"' not in html


def test_kinds_of_unchanged_paragraphs_are_kept():
    from readingroom.library.importing import assemble_canonical_text
    from readingroom.text.cleaning import Block

    document = make_document(paragraphs=["x"])
    text, blocks = assemble_canonical_text([Block("heading", "The summit"), Block("paragraph", "Putin met Kim.")])
    document.canonical_text, document.blocks = text, blocks
    document.save()
    document_text_edit(document=document, canonical_text="The summit\n\nPutin met Kim.\n\nA new paragraph.")
    document.refresh_from_db()
    assert [b.kind for b in document.text_blocks()] == ["heading", "paragraph", "paragraph"]


def test_an_empty_text_is_refused_and_nothing_changes(document):
    annotation = make_annotation(document=document, quote="busy schedule")
    with pytest.raises(TextEditError):
        document_text_edit(document=document, canonical_text="  \n\n ")
    document.refresh_from_db()
    annotation.refresh_from_db()
    assert document.canonical_text == edited(*PARAGRAPHS) and annotation.anchor_state == AnchorState.ANCHORED


def test_a_curators_mention_is_carried_over_and_entities_are_found_again(document):
    white_house = Entity.objects.create(name="White House", type=EntityType.ORGANISATION)
    start = document.canonical_text.index("White House")
    mention_add(document=document, entity=white_house, start=start, end=start + len("White House"))
    document_text_edit(document=document, canonical_text=edited("Breaking news from Vladivostok.", *PARAGRAPHS))
    document.refresh_from_db()
    kept = Mention.objects.get(document=document, entity=white_house)
    assert document.canonical_text[kept.start : kept.end] == "White House"
    assert Mention.objects.filter(document=document, surface="Vladivostok").exists()


def test_the_admin_edit_re_anchors_and_reports(client, document, django_user_model):
    curator = django_user_model.objects.create_superuser("curator", "c@example.com", "a-long-passphrase")
    annotation = make_annotation(document=document, quote="busy schedule")
    client.force_login(curator)
    url = reverse("admin:library_document_change", args=[document.pk])
    data = {
        "title": document.title,
        "source": document.source_id,
        "byline": "",
        "published_at_0": "",
        "published_at_1": "",
        "canonical_text": edited("Inserted at the top.", *PARAGRAPHS),
    }
    response = client.post(url, data, follow=True)
    annotation.refresh_from_db()
    assert "0 annotations in place, 1 moved, 0 orphaned" in response.content.decode()
    assert annotation.anchor_state == AnchorState.MOVED
    assert Annotation.objects.count() == 1
