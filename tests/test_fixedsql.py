"""The fixed statements on the hot paths give what the ORM gives."""

import pytest
from django.db.models.signals import post_save

from readingroom.annotations.models import Annotation
from readingroom.fixedsql import PrimaryKeyReader, insert, insert_rows
from readingroom.library.models import Document
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


def test_a_primary_key_read_gives_the_orms_instance_field_for_field():
    document = make_document()
    document.refresh_from_db()
    read = PrimaryKeyReader(Document).get(document.pk)
    for field in Document._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(document, field.attname), field.name
    assert isinstance(read.blocks, list) and read.created_at.tzinfo is not None


def test_fields_left_out_are_read_on_access_and_missing_rows_are_none(django_assert_num_queries):
    document = make_document()
    reader = PrimaryKeyReader(Document, leave_out=("raw_text", "blocks"))
    with django_assert_num_queries(1):
        read = reader.get(document.pk)
        assert read.canonical_text == document.canonical_text
    with django_assert_num_queries(1):
        raw_text = read.raw_text
    assert raw_text == document.raw_text
    assert reader.get(10**9) is None and reader.get(2**64) is None


def test_insert_stores_what_save_would_and_listeners_still_hear_of_it():
    document, user = make_document(), make_user()
    annotation = insert(Annotation(document=document, author=user, start=0, end=4, exact=document.canonical_text[:4]))
    stored = Annotation.objects.get(pk=annotation.pk)
    assert (
        stored.created_at == annotation.created_at
        and stored.tag_order == []
        and stored.visibility == annotation.visibility
    )
    assert not annotation._state.adding

    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(listener, sender=Annotation)
    try:
        second = insert(Annotation(document=document, author=user, start=0, end=4, exact=document.canonical_text[:4]))
    finally:
        post_save.disconnect(listener, sender=Annotation)
    assert heard == [(second.pk, True)]
    assert make_annotation(user=user, document=document).pk > second.pk


def test_insert_refuses_a_model_with_a_save_of_its_own():
    from django.contrib.auth.models import Group

    from readingroom.fixedsql import insert

    class NamedGroup(Group):
        class Meta:
            proxy = True
            app_label = "auth"

        def save(self, *args, **kwargs):
            self.name = self.name.strip()
            super().save(*args, **kwargs)

    with pytest.raises(TypeError, match="overrides save"):
        insert(NamedGroup(name=" desk "))


@pytest.mark.parametrize("fast", [True, False])
def test_index_rows_are_stored_as_bulk_create_would(settings, fast):
    from readingroom.coverage.models import PassageFingerprint

    settings.READINGROOM_FAST_PATHS = fast
    document = make_document(paragraphs=["One sentence of the article."])
    rows = [(-(2**63), document.pk, 0, 10, 3), (2**63 - 1, document.pk, 11, 20, 2)]
    insert_rows(PassageFingerprint, ("hash", "document", "start", "end", "shingles"), rows)
    stored = PassageFingerprint.objects.filter(document=document).order_by("start")
    assert [(row.hash, row.document_id, row.start, row.end, row.shingles) for row in stored] == rows


def test_index_rows_take_whole_numbers_only():
    with pytest.raises(TypeError, match="whole numbers only"):
        insert_rows(Document, ("title",), [("A title",)])
