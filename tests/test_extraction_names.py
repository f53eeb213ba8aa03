"""What kind of thing a name is, from its own words and its surroundings, and the lines where no
names are marked: rules of English news copy, not of any article."""

from __future__ import annotations

import pytest

from readingroom.entities.extraction import (
    FoundSpan,
    _is_proper_adjective,
    _people_in_lists,
    _refined_type,
    _starts_in_small_letters,
    _with_name_word_before,
    documents_extract_entities,
)
from readingroom.entities.models import Alias, Entity, EntityType, Mention
from readingroom.text.names import head_type, is_credit_line, is_menu, time_zone_codes
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def marks(document) -> dict[str, str]:
    return {m.surface: m.entity.type for m in Mention.objects.filter(document=document).select_related("entity")}


def test_a_bridge_is_a_facility_and_a_ship_is_not_a_person():
    document = make_document(
        paragraphs=[
            "The container ship Dali lost power and struck the Francis Scott Key Bridge over the Patapsco River.",
            "Dali had left the Seagirt Marine Terminal shortly before, and Dali's crew were unhurt.",
        ]
    )
    documents_extract_entities(documents=[document])
    found = marks(document)
    assert found["Francis Scott Key Bridge"] == EntityType.FACILITY
    assert found["Patapsco River"] == EntityType.PLACE
    assert found["Dali"] == EntityType.OTHER


def test_the_type_a_names_words_give_it_holds_in_an_article_that_says_nothing_of_it():
    first = make_document(paragraphs=["Titan lost contact with its mother ship after an hour, OceanGate said."])
    second = make_document(paragraphs=["Search teams looked for the Titan submersible on Monday."])
    documents_extract_entities(documents=[first, second])
    titan = Entity.objects.get(aliases__normalised="titan")
    assert titan.type == EntityType.OTHER
    assert set(titan.mentions.values_list("document", flat=True)) == {first.pk, second.pk}


def test_time_zones_credits_and_page_buttons_are_not_entities():
    document = make_document(
        paragraphs=[
            "The athletes boarded boats at 7.30pm local time (6.30pm BST) in Paris.",
            "(Reporting by Samir Awad in Ismailia and Nadine Faris in Cairo; Editing by Tom Ashworth)",
            "Share: Facebook · Twitter · Email",
        ]
    )
    documents_extract_entities(documents=[document])
    found = marks(document)
    assert "Paris" in found
    assert not {"BST", "Samir Awad", "Tom Ashworth", "Email", "Facebook"} & set(found)


def test_a_transcripts_speaker_labels_are_its_people():
    document = make_document(
        paragraphs=[
            "DANIEL OKORO, HOST: This is the Global Desk, and the sub is missing.",
            "OKORO: What happened on Friday night?",
        ]
    )
    documents_extract_entities(documents=[document])
    found = marks(document)
    assert found["DANIEL OKORO"] == found["OKORO"] == EntityType.PERSON
    okoro = Mention.objects.filter(document=document, surface__in=["DANIEL OKORO", "OKORO"])
    assert okoro.values("entity").distinct().count() == 1


def test_a_ship_the_model_does_not_see_is_found_by_its_kind_wherever_it_is_named():
    document = make_document(
        paragraphs=[
            "Tugs freed the giant container ship Ever Given from the bank of the Suez Canal on Monday.",
            "The Ever Given is now sailing to the Great Bitter Lake.",
        ]
    )
    documents_extract_entities(documents=[document])
    ever_given = Mention.objects.filter(document=document, surface="Ever Given")
    assert ever_given.count() == 2
    assert {m.entity.type for m in ever_given} == {EntityType.OTHER}


def test_a_surname_the_model_missed_is_still_its_person():
    document = make_document(
        paragraphs=[
            "Rear Admiral John Mauger of the Coast Guard spoke in Boston on Thursday.",
            "“This is an incredibly unforgiving environment,” Mauger said.",
        ]
    )
    documents_extract_entities(documents=[document])
    mentions = Mention.objects.filter(document=document, surface__in=["John Mauger", "Mauger"])
    assert mentions.count() == 2
    assert mentions.values("entity").distinct().count() == 1


def test_the_words_of_a_name_say_what_it_names():
    assert head_type("Fort McHenry Tunnel") == "facility"
    assert head_type("Great Bitter Lake") == "place"
    assert head_type("Smit Salvage") == "organisation"
    assert head_type("Port of Baltimore") == "facility"
    assert head_type("Port Said") is None
    assert head_type("Lotte de Vries") is None
    assert {"BST", "GMT", "EDT", "ET"} <= time_zone_codes()
    assert is_credit_line("Reuters contributed to this report.")
    assert not is_credit_line("The governor spoke to reporters on Wednesday in Baltimore.")
    assert is_credit_line("Leila Bensaoud is a writer and researcher in Rabat.")
    assert is_credit_line("© 2023 The Associated Press. All rights reserved.")
    assert not is_credit_line("Sources: Reuters, The Chesapeake Standard, Maryland Transportation Authority")
    assert is_credit_line("This page has been edited by Ann Lee and Bo Park. It was written by Cy Dunn.")
    assert not is_credit_line(
        "State media reported that Putin had accepted an invitation to be hosted by Kim in Pyongyang."
    )
    assert is_menu("Atlantic Courier | Contact us | Advertise | Privacy | Terms")
    assert not is_menu("Ships queued at Port Said / Suez waited for days.")


def test_a_title_is_not_part_of_the_name_and_a_places_possessive_is_two_names():
    document = make_document(
        paragraphs=[
            "Rear Adm. John Mauger said the search would continue near Mexico’s Pacific coast.",
            "King Mohammed VI declared three days of mourning.",
        ]
    )
    documents_extract_entities(documents=[document])
    found = marks(document)
    assert found.get("John Mauger") == EntityType.PERSON
    assert found.get("Mohammed VI") == EntityType.PERSON
    assert found.get("Mexico") == EntityType.PLACE
    assert not {"Rear Adm. John Mauger", "King Mohammed VI", "Mexico’s Pacific coast"} & set(found)


def test_a_photo_credit_glued_to_a_name_is_not_part_of_it():
    document = make_document(
        paragraphs=["The ship is seen in the canal on March 29. Suez Canal Authority/Handout via REUTERS"]
    )
    documents_extract_entities(documents=[document])
    assert not [surface for surface in marks(document) if "/" in surface]


def test_a_double_given_name_is_a_person():
    span = FoundSpan(0, 20, "Paul-Henri Nargeolet", EntityType.ORGANISATION, "model")
    assert _refined_type(span, "Paul-Henri Nargeolet, a French diver", person_words=set()).type == EntityType.PERSON


def test_the_noun_beside_a_name_says_what_it_is():
    document = make_document(
        paragraphs=["Dutch salvage firm Boskalis sent tugs; the epicentre was in the Al Haouz province."]
    )
    documents_extract_entities(documents=[document])
    found = marks(document)
    assert found["Boskalis"] == EntityType.ORGANISATION
    assert found["Al Haouz"] == EntityType.PLACE


def test_a_ship_named_in_one_article_is_found_in_another_that_never_says_it_is_a_ship():
    live = make_document(paragraphs=["Good morning. The Ever Given is still stuck, and the queue keeps growing."])
    wire = make_document(paragraphs=["Tugs worked to free the container ship Ever Given on Sunday."])
    documents_extract_entities(documents=[live, wire])
    stuck = Mention.objects.get(document=live, surface="Ever Given")
    assert stuck.entity == Mention.objects.get(document=wire, surface="Ever Given").entity
    assert stuck.entity.type == EntityType.OTHER


def test_a_name_another_article_taught_the_library_is_found_where_the_model_misses_it():
    # As an earlier article's extraction left it: a place and its alias, not a curator's.
    village = Entity.objects.create(name="Moulay Brahim", type=EntityType.PLACE)
    Alias.objects.create(entity=village, surface="Moulay Brahim", normalised="moulay brahim")
    document = make_document(paragraphs=["The roads to Amizmiz, Moulay Brahim and Talat N’Yaaqoub were cut."])
    documents_extract_entities(documents=[document])
    assert Mention.objects.get(document=document, surface="Moulay Brahim").entity == village


def test_a_country_stays_a_place_and_an_acronym_is_no_town():
    assert head_type("Soviet Union") == "organisation"  # the head word alone would say so
    document = make_document(
        paragraphs=[
            "The Soviet Union and the Russian Federation broke UN resolutions, Kim's Russian spaceport visit showed."
        ]
    )
    documents_extract_entities(documents=[document])
    found = marks(document)
    assert found.get("Soviet Union") == EntityType.PLACE
    assert found.get("UN") != EntityType.PLACE
    assert "Russian spaceport" not in found


def test_a_name_after_the_is_a_place_not_a_person():
    text = "the people of the High Atlas were on their own"
    span = FoundSpan(18, 28, "High Atlas", EntityType.PERSON, "model")
    assert _refined_type(span, text, person_words=set()).type == EntityType.PLACE


def test_where_someone_is_is_a_place_not_an_organisation():
    text = "said an architect in Marrakech who has worked there"
    span = FoundSpan(21, 30, "Marrakech", EntityType.ORGANISATION, "model")
    assert _refined_type(span, text, person_words=set()).type == EntityType.PLACE


def test_the_village_of_a_name_makes_it_a_place():
    text = "a house in the village of Moulay Brahim, in the mountains"
    span = FoundSpan(26, 39, "Moulay Brahim", EntityType.PERSON, "model")
    assert _refined_type(span, text, person_words=set()).type == EntityType.PLACE


def test_a_capitalised_word_between_the_and_a_name_is_part_of_it():
    text = "the quake struck in the High Atlas mountains"
    start = text.index("Atlas")
    (span,) = _with_name_word_before([FoundSpan(start, start + 5, "Atlas", EntityType.PLACE, "model")], text)
    assert span.surface == "High Atlas"


def test_a_name_given_an_age_is_a_person():
    text = "said Keisha Fairbanks, 27, who drove from Columbus"
    span = FoundSpan(5, 21, "Keisha Fairbanks", EntityType.ORGANISATION, "model")
    assert _refined_type(span, text, person_words=set()).type == EntityType.PERSON


def test_the_surname_of_a_person_in_the_article_is_that_person():
    span = FoundSpan(0, 4, "Rush", EntityType.ORGANISATION, "model")
    assert _refined_type(span, "Rush had said so", person_words={"Stockton", "Rush"}).type == EntityType.PERSON


def test_a_name_between_two_people_in_a_list_is_a_person():
    text = "Serena Williams, Nadia Comaneci and Carl Lewis"
    spans = [
        FoundSpan(0, 15, "Serena Williams", EntityType.PERSON, "model"),
        FoundSpan(17, 31, "Nadia Comaneci", EntityType.ORGANISATION, "model"),
        FoundSpan(36, 46, "Carl Lewis", EntityType.PERSON, "model"),
    ]
    assert [span.type for span in _people_in_lists(spans, text)] == [EntityType.PERSON] * 3


@pytest.mark.parametrize(("surface", "expected"), [("navy", True), ("thick cloud", True), ("al-Sisi", False)])
def test_a_name_starts_with_a_capital(surface, expected):
    assert _starts_in_small_letters(surface) is expected


def test_a_proper_adjective_before_a_common_noun_names_nothing():
    text = "before the Olympic flame was carried; the Mediterranean with the Red Sea"
    olympic = FoundSpan(11, 18, "Olympic", EntityType.PLACE, "model")
    start = text.index("Mediterranean")
    mediterranean = FoundSpan(start, start + 13, "Mediterranean", EntityType.PLACE, "model")
    assert _is_proper_adjective(olympic, text)
    assert not _is_proper_adjective(mediterranean, text)


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("Games", EntityType.EVENT), ("Beltway", EntityType.FACILITY), ("Ledger", EntityType.ORGANISATION)],
)
def test_a_name_that_is_its_head_word_alone_has_that_words_type(surface, expected):
    text = f"traffic on the {surface} was heavy"
    span = FoundSpan(15, 15 + len(surface), surface, EntityType.OTHER, "model")
    assert _refined_type(span, text, person_words=set()).type == expected


def test_a_building_that_speaks_is_the_institution_in_it():
    text = "the White House said on Tuesday"
    span = FoundSpan(4, 15, "White House", EntityType.FACILITY, "model")
    assert _refined_type(span, text, person_words=set()).type == EntityType.ORGANISATION


def test_the_names_holding_a_surname_are_found_by_their_words_and_follow_the_aliases():
    from readingroom.entities.extraction import PeopleNames

    chidi = Entity.objects.create(name="Chidi Okonkwo", type=EntityType.PERSON)
    alias = Alias.objects.create(entity=chidi, surface="Chidi Okonkwo", normalised="chidi okonkwo")
    Alias.objects.create(entity=chidi, surface="Okonkwo", normalised="okonkwo")  # one word: holds nothing
    firm = Entity.objects.create(name="Okonkwo Cement", type=EntityType.ORGANISATION)
    Alias.objects.create(entity=firm, surface="Okonkwo Cement", normalised="okonkwo cement")
    assert PeopleNames().containing("okonkwo") == {"chidi okonkwo": chidi.pk}
    assert PeopleNames().containing("chidi") == {"chidi okonkwo": chidi.pk}
    assert PeopleNames().containing("chidi okonkwo") == {}  # the name itself holds no longer one

    # A curator corrects the alias: its words follow; deleted, it holds nothing.
    alias.normalised, alias.surface = "chidi okonkwo-eze", "Chidi Okonkwo-Eze"
    alias.save()
    assert PeopleNames().containing("okonkwo") == {}
    assert PeopleNames().containing("okonkwo-eze") == {"chidi okonkwo-eze": chidi.pk}
    alias.delete()
    assert PeopleNames().containing("chidi") == {}
