"""The curation log in the admin: what a curator decided on an entity card, by whom and when,
and Undo from the list."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from readingroom.entities.curation import entity_merge_into, entity_retype
from readingroom.entities.models import Entity, EntityType, normalise_name
from tests.entity_curation_helpers import entity_written
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def entity_named(name: str) -> Entity:
    return Entity.objects.get(aliases__normalised=normalise_name(name))


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.com", "a-long-passphrase")


def test_the_log_lists_each_decision_with_who_and_what(client, curator, extracted_seeds):
    entity_merge_into(source=entity_written("North"), target=entity_named("North Korea"), user=curator)
    entity_retype(entity=entity_named("Moscow"), entity_type=EntityType.FACILITY, user=curator)
    client.force_login(curator)

    page = client.get(reverse("admin:entities_curationdecision_changelist")).content.decode()

    assert "Merged North into North Korea." in page and "Moscow is now a facility." in page
    assert page.count('field-user nowrap">curator</td>') == 2
    filtered = client.get(reverse("admin:entities_curationdecision_changelist") + "?action=retype").content.decode()
    assert "Moscow is now a facility." in filtered and "Merged North" not in filtered


def test_undo_from_the_log_reverses_a_merge(client, curator, extracted_seeds):
    decision = entity_merge_into(source=entity_written("North"), target=entity_named("North Korea"), user=curator)
    client.force_login(curator)

    response = client.post(
        reverse("admin:entities_curationdecision_changelist"),
        {"action": "undo", ACTION_CHECKBOX_NAME: [decision.pk]},
        follow=True,
    )

    assert "Undid 1 decision." in response.content.decode()
    assert entity_written("North").name == "North"
    decision.refresh_from_db()
    assert decision.undone_at is not None and decision.undone_by == curator
    again = client.post(
        reverse("admin:entities_curationdecision_changelist"),
        {"action": "undo", ACTION_CHECKBOX_NAME: [decision.pk]},
        follow=True,
    )
    assert "undone already" in again.content.decode()


def test_a_staff_member_who_may_only_view_sees_the_log_but_cannot_undo(client, curator, extracted_seeds):
    decision = entity_merge_into(source=entity_written("North"), target=entity_named("North Korea"), user=curator)
    viewer = make_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_curationdecision"))
    client.force_login(viewer)

    page = client.get(reverse("admin:entities_curationdecision_changelist"))
    assert page.status_code == 200 and "Merged North into North Korea." in page.content.decode()
    client.post(
        reverse("admin:entities_curationdecision_changelist"),
        {"action": "undo", ACTION_CHECKBOX_NAME: [decision.pk]},
    )
    decision.refresh_from_db()
    assert decision.undone_at is None
    assert client.get(reverse("admin:entities_curationdecision_add")).status_code == 403


def test_merges_rejections_and_types_decided_in_the_admin_are_logged_too(client, curator, extracted_seeds):
    from readingroom.entities.models import Mention

    north, korea, moscow = entity_written("North"), entity_named("North Korea"), entity_named("Moscow")
    client.force_login(curator)
    entities = reverse("admin:entities_entity_changelist")
    client.post(entities, {"action": "merge_entities", ACTION_CHECKBOX_NAME: [north.pk, korea.pk], "target": korea.pk})
    mention = Mention.objects.filter(surface="Kremlin").first()
    client.post(reverse("admin:entities_mention_changelist"), {"action": "reject", ACTION_CHECKBOX_NAME: [mention.pk]})
    client.post(
        reverse("admin:entities_entity_change", args=[moscow.pk]),
        {
            "name": "Moscow",
            "type": EntityType.FACILITY,
            "description": "",
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
            "aliases-MIN_NUM_FORMS": 0,
            "aliases-MAX_NUM_FORMS": 1000,
        },
    )

    page = client.get(reverse("admin:entities_curationdecision_changelist")).content.decode()
    assert "Merged North into North Korea." in page
    assert "“Kremlin” here is not an entity." in page
    assert "Moscow is now a facility." in page
    moscow.refresh_from_db()
    assert moscow.type == EntityType.FACILITY and moscow.type_curated
