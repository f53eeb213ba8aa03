"""The curator's tools in the admin, on the extracted seeds."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from readingroom.entities.models import Alias, Entity, EntityType, Mention, normalise_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("curator", "c@example.com", "a-long-passphrase"))
    return client


def entity_named(name: str) -> Entity:
    return Entity.objects.get(aliases__normalised=normalise_name(name))


def test_merging_two_entities_keeps_every_mention(curator_client, extracted_seeds):
    moscow, kremlin = entity_named("Moscow"), entity_named("Kremlin")
    total = Mention.objects.count()
    together = moscow.mentions.count() + kremlin.mentions.count()
    url = reverse("admin:entities_entity_changelist")

    confirm = curator_client.post(url, {"action": "merge_entities", ACTION_CHECKBOX_NAME: [moscow.pk, kremlin.pk]})
    assert "Keep one;" in confirm.content.decode() and "Moscow (place) — " in confirm.content.decode()
    done = curator_client.post(
        url,
        {"action": "merge_entities", ACTION_CHECKBOX_NAME: [moscow.pk, kremlin.pk], "target": kremlin.pk},
        follow=True,
    )

    assert "Merged 1 entity into Kremlin" in done.content.decode()
    assert not Entity.objects.filter(pk=moscow.pk).exists()
    assert kremlin.mentions.count() == together and Mention.objects.count() == total
    assert set(kremlin.aliases.values_list("surface", flat=True)) >= {"Moscow", "Kremlin"}


def test_splitting_an_alias_off_takes_its_mentions(curator_client, extracted_seeds):
    putin = entity_named("Vladimir Putin")
    short = Alias.objects.get(normalised="putin")
    bare = putin.mentions.filter(surface="Putin").count()
    total = putin.mentions.count()

    curator_client.post(
        reverse("admin:entities_alias_changelist"), {"action": "split_off", ACTION_CHECKBOX_NAME: [short.pk]}
    )

    split = Alias.objects.get(normalised="putin").entity
    assert split != putin and split.name == "Putin"
    assert split.mentions.count() == bare and putin.mentions.count() == total - bare


def test_adding_an_alias_extracts_the_documents_that_contain_it(curator_client, extracted_seeds):
    guardian = extracted_seeds["004"]
    miller = Mention.objects.get(document=guardian, surface="Matthew Miller").entity
    url = reverse("admin:entities_entity_change", args=[miller.pk])
    aliases = list(miller.aliases.all())
    data = {
        "name": miller.name,
        "type": miller.type,
        "description": "",
        "aliases-TOTAL_FORMS": len(aliases) + 1,
        "aliases-INITIAL_FORMS": len(aliases),
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
    }
    for number, alias in enumerate(aliases):
        data.update(
            {
                f"aliases-{number}-id": alias.pk,
                f"aliases-{number}-entity": miller.pk,
                f"aliases-{number}-surface": alias.surface,
            }
        )
    data[f"aliases-{len(aliases)}-surface"] = "State Department spokesperson"
    data[f"aliases-{len(aliases)}-entity"] = miller.pk

    response = curator_client.post(url, data, follow=True)

    assert "Extracted entities again in 1 document:" in response.content.decode()
    assert Alias.objects.get(normalised="state department spokesperson").curated
    assert Mention.objects.filter(document=guardian, entity=miller, surface="State Department spokesperson").exists()


def test_an_alias_that_belongs_to_another_entity_is_refused(curator_client, extracted_seeds):
    kremlin = entity_named("Kremlin")
    data = {
        "name": kremlin.name,
        "type": kremlin.type,
        "description": "",
        "aliases-TOTAL_FORMS": 1,
        "aliases-INITIAL_FORMS": 0,
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
        "aliases-0-surface": "Putin",
        "aliases-0-entity": kremlin.pk,
    }
    response = curator_client.post(reverse("admin:entities_entity_change", args=[kremlin.pk]), data)
    assert "is already an alias of Vladimir Putin" in response.content.decode()


def test_renaming_and_retyping_survive_extraction(curator_client, extracted_seeds):
    from readingroom.entities.extraction import documents_extract_entities

    ukraine = Entity.objects.get(name="Ukraine")
    data = {
        "name": "Ukraine (country)",
        "type": EntityType.PLACE,
        "description": "",
        "hidden": "",
        "aliases-TOTAL_FORMS": 0,
        "aliases-INITIAL_FORMS": 0,
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
    }
    curator_client.post(reverse("admin:entities_entity_change", args=[ukraine.pk]), data)
    kyiv = entity_named("Kyiv")
    kyiv_data = {**data, "name": "Kyiv", "type": EntityType.FACILITY}
    curator_client.post(reverse("admin:entities_entity_change", args=[kyiv.pk]), kyiv_data)

    documents_extract_entities(documents=extracted_seeds.values())

    assert entity_named("Ukraine").name == "Ukraine (country)"
    assert entity_named("Ukraine (country)") == entity_named("Ukraine")
    assert entity_named("Kyiv").type == EntityType.FACILITY
    assert Mention.objects.filter(surface="Kyiv", entity__type=EntityType.FACILITY).exists()


def test_rejecting_a_mention_in_the_admin(curator_client, extracted_seeds):
    mention = Mention.objects.filter(surface="Wednesday").first()
    curator_client.post(
        reverse("admin:entities_mention_changelist"), {"action": "reject", ACTION_CHECKBOX_NAME: [mention.pk]}
    )
    mention.refresh_from_db()
    assert mention.rejected


def test_hiding_entities_in_the_admin(curator_client, extracted_seeds):
    dates = list(Entity.objects.filter(type=EntityType.DATE).values_list("pk", flat=True))
    curator_client.post(
        reverse("admin:entities_entity_changelist"), {"action": "hide_entities", ACTION_CHECKBOX_NAME: dates}
    )
    assert not Entity.objects.filter(type=EntityType.DATE, hidden=False).exists()


def test_documents_can_be_extracted_again_from_the_document_admin(curator_client, extracted_seeds):
    document = extracted_seeds["002"]
    before = document.mentions.count()
    response = curator_client.post(
        reverse("admin:library_document_changelist"),
        {"action": "extract_entities_again", ACTION_CHECKBOX_NAME: [document.pk]},
        follow=True,
    )
    assert f"Extracted entities again in 1 document: {before} mentions." in response.content.decode()


def test_the_admin_lists_load(curator_client, extracted_seeds):
    for name in ("entity", "alias", "mention", "documentextraction"):
        assert curator_client.get(reverse(f"admin:entities_{name}_changelist")).status_code == 200
    putin = entity_named("Vladimir Putin")
    assert curator_client.get(reverse("admin:entities_entity_change", args=[putin.pk])).status_code == 200
