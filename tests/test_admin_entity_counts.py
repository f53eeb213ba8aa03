"""The entity admin's counts and messages (issue 17)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from readingroom.entities.models import Alias, Entity, EntityType, Mention, normalise_name
from tests.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("curator", "c@example.com", "a-long-passphrase"))
    return client


def entity_with_mentions(name: str, surfaces: list[str], document, *, rejected: int = 0) -> Entity:
    entity = Entity.objects.create(name=name, type=EntityType.PERSON)
    for surface in surfaces:
        Alias.objects.create(entity=entity, surface=surface, normalised=normalise_name(surface) or surface.casefold())
    text = document.canonical_text
    for number, surface in enumerate(surfaces):
        start = text.index(surface)
        Mention.objects.create(
            entity=entity,
            document=document,
            start=start,
            end=start + len(surface),
            surface=surface,
            rejected=number < rejected,
        )
    return entity


def listed_counts(curator_client, entity, **query) -> tuple[str, str]:
    response = curator_client.get(reverse("admin:entities_entity_changelist"), query)
    row = next(r for r in response.context["cl"].result_list if r.pk == entity.pk)
    return row.mention_count, row.document_count


def test_it_counts_each_mention_once_when_searching_by_an_alias(curator_client):
    document = make_document(paragraphs=["Ana Petrova met Kim. Petrova said little. Minister Petrova left."])
    petrova = entity_with_mentions("Ana Petrova", ["Ana Petrova", "Minister Petrova", "Petrova said"], document)
    assert listed_counts(curator_client, petrova) == (3, 1)
    # "Petrova" matches all three aliases: the count stays the number of mentions.
    assert listed_counts(curator_client, petrova, q="Petrova") == (3, 1)


def test_it_leaves_rejected_mentions_out_of_the_count(curator_client):
    document = make_document(paragraphs=["Ana Petrova met Kim. Petrova said little."])
    petrova = entity_with_mentions("Ana Petrova", ["Ana Petrova", "Petrova said"], document, rejected=1)
    assert listed_counts(curator_client, petrova, q="Petrova") == (1, 1)


def test_the_merge_message_counts_in_words(curator_client):
    document = make_document(paragraphs=["Ana Petrova met Kim. Petrova said little."])
    petrova = entity_with_mentions("Ana Petrova", ["Ana Petrova"], document)
    other = entity_with_mentions("Petrova said", ["Petrova said"], document)
    response = curator_client.post(
        reverse("admin:entities_entity_changelist"),
        {"action": "merge_entities", ACTION_CHECKBOX_NAME: [petrova.pk, other.pk], "target": petrova.pk},
        follow=True,
    )
    html = response.content.decode()
    assert f"Merged 1 entity into {petrova}: 1 mention moved." in html
