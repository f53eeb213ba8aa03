"""One entity for the ways articles write one name: acronyms and their expansions, a country's
code and its name, accents or none, across articles."""

from __future__ import annotations

import pytest

from readingroom.entities.extraction import documents_extract_entities
from readingroom.entities.models import EntityType, Mention, normalise_name
from readingroom.text.places import is_place_name
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def entity_of(document, surface: str):
    return Mention.objects.get(document=document, surface=surface).entity


def test_us_and_the_united_states_are_one_country_whichever_article_comes_first():
    first = make_document(paragraphs=["The U.S. Coast Guard said the search would go on in the U.S. and Canada."])
    second = make_document(paragraphs=["Officials in the United States said the search would go on."])
    documents_extract_entities(documents=[first, second])
    us = entity_of(first, "U.S.")
    assert us == entity_of(second, "United States")
    assert us.name == "United States" and us.type == EntityType.PLACE


def test_an_acronym_is_the_name_it_stands_for_in_its_article():
    document = make_document(
        paragraphs=[
            "The National Transportation Safety Board opened an investigation in Baltimore.",
            "The NTSB said its investigators had boarded the ship.",
        ]
    )
    documents_extract_entities(documents=[document])
    assert entity_of(document, "NTSB") == entity_of(document, "National Transportation Safety Board")


def test_a_name_with_and_without_its_accents_is_one_person_across_articles():
    first = make_document(paragraphs=["On the first floor of the tower, Céline Dion sang a song by Édith Piaf."])
    second = make_document(paragraphs=["Later, Celine Dion told reporters she was moved."])
    documents_extract_entities(documents=[first, second])
    assert entity_of(first, "Céline Dion") == entity_of(second, "Celine Dion")
    assert normalise_name("Marie-José Pérec") == normalise_name("Marie-Jose Perec")


def test_the_gazetteer_makes_towns_places():
    document = make_document(paragraphs=["Volunteers drove from Rotterdam and Casablanca to help, Boskalis said."])
    documents_extract_entities(documents=[document])
    assert entity_of(document, "Rotterdam").type == EntityType.PLACE
    assert is_place_name("Montréal") and is_place_name("MARRAKESH") and not is_place_name("Boskalis")


def test_a_river_with_and_without_the_word_river_is_one_place():
    first = make_document(paragraphs=["Swimmers plunged into the Seine near the Eiffel Tower."])
    second = make_document(paragraphs=["The boats sailed west along the River Seine through Paris."])
    documents_extract_entities(documents=[first, second])
    seine = entity_of(first, "Seine")
    assert seine.type == EntityType.PLACE
    assert entity_of(second, "River Seine") == seine
