"""Decisions a curator takes from an entity card, on the extracted seeds: each one lasts through
re-extraction and through a new article that mentions the name, and each can be undone."""

import pytest
from django.core.management import call_command

from readingroom.entities.curation import (
    decision_undo,
    entity_merge_into,
    entity_retype,
    mention_reject_one,
    writing_reject,
    writing_split,
)
from readingroom.entities.extraction import documents_extract_entities
from readingroom.entities.models import (
    CurationAction,
    CurationDecision,
    Entity,
    EntityType,
    Mention,
    RejectedWriting,
    normalise_name,
)
from readingroom.entities.services import CurationError
from readingroom.library.models import Document
from tests.entity_curation_helpers import entity_written
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def entity_named(name: str) -> Entity:
    return Entity.objects.get(aliases__normalised=normalise_name(name))


def shown_writings(entity: Entity) -> set[str]:
    return set(Mention.objects.shown().filter(entity=entity).values_list("surface", flat=True))


def import_article(tmp_path, text: str) -> Document:
    """A new article through the import command, as a user imports one."""
    path = tmp_path / "new-article.txt"
    path.write_text(text, encoding="utf-8")
    call_command("import_documents", str(path), "--source", "Curation Test Wire", verbosity=0)
    return Document.objects.get(source__name="Curation Test Wire")


NEW_ARTICLE = (
    "Talks in Pyongyang\n\n"
    "Officials in the North said on Monday that talks with Russia would go on. Kim Jong Un met envoys "
    "from Moscow, and state media said Kim was pleased. Analysts in Seoul said the North wanted food "
    "and fuel. The Kremlin said the talks had gone well.\n"
)


@pytest.fixture
def curator():
    return make_user("curator")


def test_a_merge_moves_every_mention_and_lasts_through_extraction(extracted_seeds, curator, tmp_path):
    north, korea = entity_written("North"), entity_named("North Korea")
    moved = north.mentions.count()
    before = korea.mentions.count()

    decision = entity_merge_into(source=north, target=korea, user=curator)

    assert not Entity.objects.filter(pk=north.pk).exists()
    assert korea.mentions.count() == before + moved
    assert decision.action == CurationAction.MERGE and decision.user == curator
    assert decision.summary == "Merged North into North Korea."

    documents_extract_entities(documents=extracted_seeds.values())
    assert entity_named("North") == korea
    assert "North" in shown_writings(korea)
    assert not Entity.objects.filter(name="North").exists()

    new = import_article(tmp_path, NEW_ARTICLE)
    written_north = Mention.objects.filter(document=new, surface="North")
    assert written_north.exists() and {m.entity_id for m in written_north} == {korea.pk}
    assert not Entity.objects.filter(name="North").exists()


def test_undoing_a_merge_gives_the_entity_back_with_its_mentions(extracted_seeds, curator):
    north, korea = entity_written("North"), entity_named("North Korea")
    written = set(north.mentions.values_list("pk", flat=True))
    decision = entity_merge_into(source=north, target=korea, user=curator)

    again = decision_undo(decision=decision, user=curator)

    assert again.name == "North" and again.type == north.type
    assert set(again.mentions.values_list("pk", flat=True)) == written
    assert entity_named("North") == again and entity_named("North Korea") == korea
    decision.refresh_from_db()
    assert decision.undone_at is not None and decision.undone_by == curator
    with pytest.raises(CurationError, match="undone already"):
        decision_undo(decision=decision, user=curator)


def test_a_writing_split_off_keeps_its_own_entity_through_extraction_and_import(extracted_seeds, curator, tmp_path):
    kim = entity_named("Kim Jong Un")
    bare = kim.mentions.filter(surface="Kim").count()
    assert bare > 0

    decision = writing_split(entity=kim, surface="Kim", user=curator)

    split = decision.entity
    assert split.name == "Kim" and split.type == EntityType.PERSON and split != kim
    assert split.mentions.count() == bare and not kim.mentions.filter(surface="Kim").exists()
    assert decision.summary == "Split “Kim” off Kim Jong Un into Kim."

    documents_extract_entities(documents=extracted_seeds.values())
    assert shown_writings(split) == {"Kim"}
    assert "Kim" not in shown_writings(kim) and "Kim Jong Un" in shown_writings(kim)

    new = import_article(tmp_path, NEW_ARTICLE)
    assert {m.entity_id for m in Mention.objects.filter(document=new, surface="Kim")} == {split.pk}
    assert {m.entity_id for m in Mention.objects.filter(document=new, surface="Kim Jong Un")} == {kim.pk}


def test_undoing_a_split_into_a_new_entity_takes_the_writing_back_and_removes_it(extracted_seeds, curator):
    kim = entity_named("Kim Jong Un")
    before = set(kim.mentions.values_list("pk", flat=True))
    decision = writing_split(entity=kim, surface="Kim", user=curator)
    split = decision.entity

    assert decision_undo(decision=decision, user=curator) == kim

    assert set(kim.mentions.values_list("pk", flat=True)) == before
    assert not Entity.objects.filter(pk=split.pk).exists()
    decision.refresh_from_db()
    assert decision.undone_at is not None and decision.summary == "Split “Kim” off Kim Jong Un into Kim."


def test_a_writing_split_into_another_entity_and_undone(extracted_seeds, curator):
    north, korea = entity_written("North"), entity_named("North Korea")
    dprk = set(korea.mentions.filter(surface="DPRK").values_list("pk", flat=True))
    assert dprk

    decision = writing_split(entity=korea, surface="DPRK", into=north, user=curator)
    assert dprk <= set(north.mentions.values_list("pk", flat=True))
    assert entity_named("DPRK") == north
    documents_extract_entities(documents=extracted_seeds.values())
    assert "DPRK" in shown_writings(north) and "DPRK" not in shown_writings(korea)

    decision_undo(decision=decision, user=curator)
    assert entity_named("DPRK") == korea
    assert "DPRK" in shown_writings(korea) and "DPRK" not in shown_writings(north)


def test_splitting_an_entitys_only_writing_is_refused(extracted_seeds, curator):
    china = entity_named("China")
    with pytest.raises(CurationError, match="only writing"):
        writing_split(entity=china, surface="China", user=curator)
    with pytest.raises(CurationError, match="never written"):
        writing_split(entity=china, surface="Beijing", user=curator)
    assert not CurationDecision.objects.exists()


def test_a_changed_type_lasts_through_extraction_and_can_be_undone(extracted_seeds, curator):
    moscow = entity_named("Moscow")
    was = moscow.type
    assert was != EntityType.FACILITY

    decision = entity_retype(entity=moscow, entity_type=EntityType.FACILITY, user=curator)
    documents_extract_entities(documents=extracted_seeds.values())

    moscow.refresh_from_db()
    assert moscow.type == EntityType.FACILITY and moscow.type_curated
    assert decision.summary == "Moscow is now a facility."
    decision_undo(decision=decision, user=curator)
    moscow.refresh_from_db()
    assert moscow.type == was and not moscow.type_curated
    with pytest.raises(CurationError, match="types"):
        entity_retype(entity=moscow, entity_type="planet", user=curator)


def test_a_curated_type_is_not_changed_by_what_a_names_words_say(extracted_seeds, curator):
    from readingroom.entities.extraction import FoundSpan, Linker

    kremlin = entity_named("Kremlin")
    entity_retype(entity=kremlin, entity_type=EntityType.FACILITY, user=curator)
    span = FoundSpan(0, 7, "Kremlin", EntityType.ORGANISATION, "model", ruled=True)
    # The curated alias on the seeds' Kremlin is dropped: only the flag keeps the type now.
    kremlin.aliases.update(curated=False)

    assert Linker([span]).entity_for(span) == kremlin
    kremlin.refresh_from_db()
    assert kremlin.type == EntityType.FACILITY


def test_one_rejected_mention_stays_rejected(extracted_seeds, curator):
    mention = Mention.objects.filter(surface="Moscow").first()

    decision = mention_reject_one(mention=mention, user=curator)
    documents_extract_entities(documents=extracted_seeds.values())

    assert not Mention.objects.shown().filter(pk=mention.pk).exists()
    assert Mention.objects.filter(pk=mention.pk, rejected=True).exists()
    assert Mention.objects.shown().filter(surface="Moscow").exists()  # only that one
    with pytest.raises(CurationError, match="rejected already"):
        mention_reject_one(mention=Mention.objects.get(pk=mention.pk), user=curator)
    decision_undo(decision=decision, user=curator)
    assert Mention.objects.shown().filter(pk=mention.pk).exists()


def test_a_rejected_writing_is_found_in_no_document_not_even_a_new_one(extracted_seeds, curator, tmp_path):
    kremlin = entity_named("Kremlin")
    assert Mention.objects.shown().filter(surface="Kremlin").exists()

    decision = writing_reject(entity=kremlin, surface="Kremlin", user=curator)

    assert RejectedWriting.objects.filter(normalised="kremlin").exists()
    assert not Mention.objects.shown().filter(surface="Kremlin").exists()
    documents_extract_entities(documents=extracted_seeds.values())
    assert not Mention.objects.shown().filter(surface="Kremlin").exists()
    new = import_article(tmp_path, NEW_ARTICLE)
    assert Mention.objects.filter(document=new).exists()
    assert not Mention.objects.filter(document=new, surface="Kremlin").exists()

    decision_undo(decision=decision, user=curator)
    assert not RejectedWriting.objects.exists()
    assert Mention.objects.shown().filter(surface="Kremlin").exists()


def test_without_the_rejection_the_new_article_marks_the_writing(extracted_seeds, tmp_path):
    # What the test above would see if rejecting did nothing.
    new = import_article(tmp_path, NEW_ARTICLE)
    assert Mention.objects.shown().filter(document=new, surface="Kremlin").exists()


def test_a_merge_into_itself_is_refused(extracted_seeds, curator):
    korea = entity_named("North Korea")
    with pytest.raises(CurationError, match="into itself"):
        entity_merge_into(source=korea, target=korea, user=curator)


def test_decisions_last_through_an_edit_of_the_text(extracted_seeds, curator):
    from readingroom.reader.editing import document_text_edit

    north, korea = entity_written("North"), entity_named("North Korea")
    document = north.mentions.first().document
    entity_merge_into(source=north, target=korea, user=curator)
    writing_reject(entity=entity_named("Kremlin"), surface="Kremlin", user=curator)

    document_text_edit(
        document=document, canonical_text=document.canonical_text + "\n\nThe North and the Kremlin said so."
    )

    edited = Mention.objects.shown().filter(document=document)
    assert edited.filter(surface="North").exists()
    assert {m.entity_id for m in edited.filter(surface="North")} == {korea.pk}
    assert not edited.filter(surface="Kremlin").exists()


def test_card_decisions_travel_to_another_library_with_export_and_load(extracted_seeds, curator, tmp_path):
    from io import StringIO

    from readingroom.entities.models import Alias

    entity_merge_into(source=entity_written("North"), target=entity_named("North Korea"), user=curator)
    entity_retype(entity=entity_named("Moscow"), entity_type=EntityType.FACILITY, user=curator)
    writing_reject(entity=entity_named("Kremlin"), surface="Kremlin", user=curator)
    path = tmp_path / "decisions.json"
    call_command("export_entities", str(path), verbosity=0)

    # Another library: the same decisions and nothing else.
    Mention.objects.all().delete()
    Alias.objects.all().delete()
    Entity.objects.all().delete()
    RejectedWriting.objects.all().delete()
    out = StringIO()
    call_command("load_entities", str(path), stdout=out)

    assert "1 writings that are never entities" in out.getvalue()
    north = Alias.objects.get(normalised="north")
    assert north.entity.name == "North Korea" and north.decided and not north.curated
    moscow = Entity.objects.get(name="Moscow")
    assert moscow.type == EntityType.FACILITY and moscow.type_curated
    assert RejectedWriting.objects.filter(normalised="kremlin").exists()
