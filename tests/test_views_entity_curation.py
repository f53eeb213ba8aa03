"""The entity card's corrections, through its views: only curators see them or may use them;
junk and unknown ids are refusals, never server errors."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from readingroom.entities.models import CurationDecision, Entity, EntityType, Mention, normalise_name
from tests.entity_curation_helpers import entity_written
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def entity_named(name: str) -> Entity:
    return Entity.objects.get(aliases__normalised=normalise_name(name))


@pytest.fixture
def curator():
    user = make_user("curator")
    user.user_permissions.add(Permission.objects.get(codename="change_entity", content_type__app_label="entities"))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def reader_client(client):
    client.force_login(make_user("reader"))
    return client


def clicked(mention: Mention) -> dict:
    return {"doc": [mention.document_id], "in": mention.document_id, "at": mention.start}


def test_a_curator_sees_the_corrections_for_the_mark_clicked(curator_client, extracted_seeds):
    north = entity_written("North")
    mention = north.mentions.first()

    html = curator_client.get(reverse("entity_card", args=[north.pk]), clicked(mention)).content.decode()

    assert "Correct this entity" in html
    assert "Split “North” into its own entity" in html and "“North” is never an entity" in html
    assert "Merge North into:" in html and 'name="type"' in html
    assert f'name="mention" value="{mention.pk}"' in html


def test_a_card_opened_without_a_mark_offers_merge_and_type_only(curator_client, extracted_seeds):
    html = curator_client.get(reverse("entity_card", args=[entity_written("North").pk])).content.decode()
    assert "Merge North into:" in html and "Split" not in html


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_others_never_see_the_corrections(client, who, extracted_seeds):
    if who == "reader":
        client.force_login(make_user("reader"))
    north = entity_written("North")
    html = client.get(reverse("entity_card", args=[north.pk]), clicked(north.mentions.first())).content.decode()
    assert "North" in html and "Correct this entity" not in html and "Merge" not in html


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_others_are_refused_every_correction(client, who, extracted_seeds):
    if who == "reader":
        client.force_login(make_user("reader"))
    north, korea = entity_written("North"), entity_named("North Korea")
    mention = north.mentions.first()
    posts = [
        (reverse("entity_merge", args=[north.pk]), {"into": korea.pk}),
        (reverse("entity_split", args=[north.pk]), {"writing": "North"}),
        (reverse("entity_type", args=[north.pk]), {"type": EntityType.PERSON}),
        (reverse("entity_reject", args=[north.pk]), {"mention": mention.pk}),
        (reverse("entity_reject", args=[north.pk]), {"writing": "North"}),
    ]
    for url, data in posts:
        assert client.post(url, data, **HTMX).status_code == 403, url
    assert client.get(reverse("entity_search"), {"q": "Korea"}).status_code == 403
    assert Entity.objects.filter(pk=north.pk).exists() and not CurationDecision.objects.exists()


def test_the_search_lists_entities_by_name_and_type(curator_client, extracted_seeds):
    north = entity_written("North")
    html = curator_client.get(reverse("entity_search"), {"q": "korea", "exclude": north.pk}).content.decode()
    assert "Merge into <strong>North Korea</strong>" in html and ">Place</span>" in html
    assert f'value="{entity_named("North Korea").pk}"' in html
    split = curator_client.get(reverse("entity_search"), {"q": "north", "for": "split", "exclude": north.pk})
    assert "Move to <strong>North Korea</strong>" in split.content.decode()
    assert f'value="{north.pk}"' not in split.content.decode()
    assert "No entity is called “zzzz”" in curator_client.get(reverse("entity_search"), {"q": "zzzz"}).content.decode()


def test_merging_from_the_card_answers_with_the_target_card_and_an_undo(curator_client, curator, extracted_seeds):
    north, korea = entity_written("North"), entity_named("North Korea")
    mention = north.mentions.first()

    response = curator_client.post(
        reverse("entity_merge", args=[north.pk]), {"into": korea.pk, **clicked(mention)}, **HTMX
    )

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"entities-curated": {"entity": korea.pk}}
    html = response.content.decode()
    assert '<h2 class="entity-card-name">' in html and ">North Korea</a>" in html
    decision = CurationDecision.objects.get()
    assert "Merged North into North Korea." in html and reverse("entity_decision_undo", args=[decision.pk]) in html
    assert decision.user == curator
    page = curator_client.get(reverse("document_detail", args=[mention.document_id])).content.decode()
    assert f'data-entity="{north.pk}"' not in page and f'data-entity="{korea.pk}"' in page

    undone = curator_client.post(
        reverse("entity_decision_undo", args=[decision.pk]), {"doc": [mention.document_id]}, **HTMX
    )
    assert undone.status_code == 200 and "Undone: Merged North into North Korea." in undone.content.decode()
    assert entity_written("North").name == "North"


def test_splitting_the_clicked_writing_from_the_card(curator_client, extracted_seeds):
    kim = entity_named("Kim Jong Un")
    mention = kim.mentions.filter(surface="Kim").first()

    response = curator_client.post(
        reverse("entity_split", args=[kim.pk]), {"writing": "Kim", **clicked(mention)}, **HTMX
    )

    assert response.status_code == 200
    split = Mention.objects.get(pk=mention.pk).entity
    assert split != kim and split.name == "Kim"
    html = response.content.decode()
    assert "Split “Kim” off Kim Jong Un into Kim." in html and ">Kim</a>" in html


def test_a_plain_form_post_goes_to_the_entity_page_with_the_message(curator_client, extracted_seeds):
    moscow = entity_named("Moscow")
    response = curator_client.post(reverse("entity_type", args=[moscow.pk]), {"type": EntityType.FACILITY}, follow=True)
    assert response.redirect_chain[-1][0] == moscow.get_absolute_url()
    assert "Moscow is now a facility." in response.content.decode()


def test_rejecting_the_clicked_mention_and_every_mention_of_a_writing(curator_client, extracted_seeds):
    kremlin = entity_named("Kremlin")
    one, other = kremlin.mentions.all()[:2]

    first = curator_client.post(
        reverse("entity_reject", args=[kremlin.pk]), {"mention": one.pk, **clicked(one)}, **HTMX
    )
    assert first.status_code == 200 and "“Kremlin” here is not an entity." in first.content.decode()
    assert Mention.objects.get(pk=one.pk).rejected and not Mention.objects.get(pk=other.pk).rejected

    every = curator_client.post(reverse("entity_reject", args=[kremlin.pk]), {"writing": "Kremlin"}, **HTMX)
    assert every.status_code == 200 and "“Kremlin” is never an entity" in every.content.decode()
    assert not Mention.objects.shown().filter(surface="Kremlin").exists()


@pytest.mark.parametrize(
    "data, status",
    [
        ({"into": "not-an-id"}, 400),
        ({"into": "99999999"}, 404),
        ({}, 400),
    ],
)
def test_a_merge_with_a_bad_target_is_refused(curator_client, extracted_seeds, data, status):
    north = entity_written("North")
    response = curator_client.post(reverse("entity_merge", args=[north.pk]), data, **HTMX)
    assert response.status_code == status
    assert Entity.objects.filter(pk=north.pk).exists()


def test_bad_ids_and_refused_corrections_are_never_server_errors(curator_client, extracted_seeds):
    north, china = entity_written("North"), entity_named("China")
    other_mention = china.mentions.first()
    assert curator_client.post(reverse("entity_merge", args=[99999999]), {"into": north.pk}).status_code == 404
    assert curator_client.post(reverse("entity_decision_undo", args=[99999999])).status_code == 404
    refusals = [
        (reverse("entity_merge", args=[north.pk]), {"into": north.pk}, 400, "into itself"),
        (reverse("entity_split", args=[china.pk]), {"writing": "China"}, 400, "only writing"),
        (reverse("entity_split", args=[china.pk]), {"writing": ""}, 400, "Say which writing"),
        (reverse("entity_type", args=[north.pk]), {"type": "planet"}, 400, "entity types"),
        (reverse("entity_reject", args=[north.pk]), {"mention": other_mention.pk}, 404, ""),
        (reverse("entity_reject", args=[north.pk]), {"mention": "x"}, 400, "Say which mention"),
        (reverse("entity_split", args=[north.pk]), {"writing": "North", "into": "x"}, 400, "not an entity"),
    ]
    for url, data, status, message in refusals:
        response = curator_client.post(url, data, **HTMX)
        assert response.status_code == status, (url, data)
        assert message in response.content.decode()
    assert not CurationDecision.objects.exists()


def test_the_corrections_only_take_posts(curator_client, extracted_seeds):
    north = entity_written("North")
    for name in ("entity_merge", "entity_split", "entity_type", "entity_reject"):
        assert curator_client.get(reverse(name, args=[north.pk])).status_code == 405
    assert curator_client.post(reverse("entity_search"), {"q": "x"}).status_code == 405


def test_undoing_twice_is_refused(curator_client, extracted_seeds):
    moscow = entity_named("Moscow")
    curator_client.post(reverse("entity_type", args=[moscow.pk]), {"type": EntityType.FACILITY}, **HTMX)
    decision = CurationDecision.objects.get()
    url = reverse("entity_decision_undo", args=[decision.pk])
    assert curator_client.post(url, **HTMX).status_code == 200
    again = curator_client.post(url, **HTMX)
    assert again.status_code == 400 and "undone already" in again.content.decode()


def test_a_reader_cannot_undo(reader_client, curator, extracted_seeds):
    from readingroom.entities.curation import entity_retype

    decision = entity_retype(entity=entity_named("Moscow"), entity_type=EntityType.FACILITY, user=curator)
    assert reader_client.post(reverse("entity_decision_undo", args=[decision.pk])).status_code == 403
    decision.refresh_from_db()
    assert decision.undone_at is None
