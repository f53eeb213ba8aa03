"""Where a name starts and ends, and names the model leaves unmarked that their own words give
away: rules of English news copy, each checked on sentences written for the test."""

from __future__ import annotations

import pytest

from readingroom.entities.extraction import (
    FoundSpan,
    _refined_type,
    _with_boundaries,
    _with_given_names,
    _with_of_names_joined,
    _with_unmarked_names,
    _without_common_words,
    _without_contained,
    documents_extract_entities,
)
from readingroom.entities.models import EntityType, Mention, MentionOrigin
from readingroom.text.names import SPEAKER_LABEL, head_type, spelling_variants, vessel_names
from tests.factories import make_document


def span_of(text: str, surface: str, kind: str, *, nth: int = 0) -> FoundSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return FoundSpan(start, start + len(surface), surface, kind, MentionOrigin.MODEL)


def bounded(text: str, surface: str, kind: str) -> tuple[str, str] | None:
    span = _with_boundaries(span_of(text, surface, kind), text)
    return None if span is None else (span.surface, span.type)


def test_it_drops_a_word_that_is_part_of_a_job_title():
    text = "Russia's Defence Minister Sergei Shoigu met the Secretary of State in Vladivostok."
    assert bounded(text, "Defence", EntityType.ORGANISATION) is None
    assert bounded(text, "State", EntityType.ORGANISATION) is None


def test_it_keeps_an_organisation_before_a_title_in_small_letters_or_an_acronym():
    text = "Kremlin spokesman Dmitry Peskov spoke after NASA Administrator Jan Holm."
    assert bounded(text, "Kremlin", EntityType.ORGANISATION) == ("Kremlin", EntityType.ORGANISATION)
    assert bounded(text, "NASA", EntityType.ORGANISATION) == ("NASA", EntityType.ORGANISATION)


def test_it_takes_a_title_off_the_end_of_an_organisation():
    text = "The Harbour Defence Force Marshal Ivo Rand arrived; the Harbour Defence Force Marshal said nothing."
    assert bounded(text, "Harbour Defence Force Marshal", EntityType.ORGANISATION) == (
        "Harbour Defence Force",
        EntityType.ORGANISATION,
    )
    # No name after it: the title is not followed by the person it belongs to.
    later = _with_boundaries(span_of(text, "Harbour Defence Force Marshal", EntityType.ORGANISATION, nth=1), text)
    assert later is not None and later.surface == "Harbour Defence Force Marshal"


def test_it_takes_trailing_dashes_and_joining_words_off():
    text = "a counter to the Norway-Sweden- pact, and since the Winter War - when the Games of the north began"
    assert bounded(text, "Sweden-", EntityType.PLACE) == ("Sweden", EntityType.PLACE)
    assert bounded(text, "Winter War -", EntityType.EVENT) == ("Winter War", EntityType.EVENT)
    assert bounded(text, "Games of", EntityType.EVENT) == ("Games", EntityType.EVENT)
    assert bounded(text, "Norway", EntityType.PLACE) == ("Norway", EntityType.PLACE)


def test_it_keeps_hyphenated_places_and_double_nationalities_whole():
    text = "The train reached Stratford-upon-Avon, where a Franco-Senegalese singer and a Dutch-Surinamese poet read."
    assert bounded(text, "Stratford", EntityType.ORGANISATION) == ("Stratford-upon-Avon", EntityType.PLACE)
    assert bounded(text, "Dutch", EntityType.GROUP) == ("Dutch-Surinamese", EntityType.GROUP)
    # Not a nationality: "Dutch-built" stays "Dutch".
    built = "A Dutch-built hull."
    assert bounded(built, "Dutch", EntityType.GROUP) == ("Dutch", EntityType.GROUP)


def test_a_widened_name_swallows_the_piece_the_model_marked_inside_it():
    spans = [
        FoundSpan(2, 19, "Dutch-Surinamese", EntityType.GROUP, MentionOrigin.MODEL),
        FoundSpan(8, 19, "Surinamese", EntityType.GROUP, MentionOrigin.MODEL),
    ]
    assert [span.surface for span in _without_contained(spans)] == ["Dutch-Surinamese"]


def test_a_coast_is_no_part_of_the_place_and_a_plural_region_is():
    text = "from Chile's Pacific coast to Canada's Atlantic provinces and the Baltic states"
    assert bounded(text, "Pacific coast", EntityType.ORGANISATION) == ("Pacific", EntityType.PLACE)
    assert bounded(text, "Atlantic", EntityType.PLACE) == ("Atlantic provinces", EntityType.PLACE)
    assert bounded(text, "Baltic", EntityType.PLACE) == ("Baltic states", EntityType.PLACE)
    assert bounded("the Interfax news agency said", "Interfax news agency", EntityType.ORGANISATION) == (
        "Interfax",
        EntityType.ORGANISATION,
    )
    # A capitalised Coast is the name's own.
    assert bounded("on the Gold Coast today", "Gold Coast", EntityType.PLACE) == ("Gold Coast", EntityType.PLACE)


def test_a_capital_the_inside_a_sentence_is_the_names_own():
    text = "the pilot told The Harbour Courier that the ship was late.\n\nThe Harbour Courier asked again."
    assert bounded(text, "Harbour Courier", EntityType.ORGANISATION) == ("The Harbour Courier", EntityType.ORGANISATION)
    # At a paragraph's start "The" is any sentence's first word.
    second = _with_boundaries(span_of(text, "Harbour Courier", EntityType.ORGANISATION, nth=1), text)
    assert second is not None and second.surface == "Harbour Courier"
    # Never for people.
    assert bounded("a letter to The Smith", "Smith", EntityType.PERSON) == ("Smith", EntityType.PERSON)


def unmarked(text: str, spans: list[FoundSpan] = (), *, person_words: set[str] = frozenset()) -> dict[str, str]:
    found = _with_unmarked_names(list(spans), text, [(0, len(text))], person_words=set(person_words))
    return {span.surface: span.type for span in found if span not in spans}


def test_it_finds_a_governments_departments_in_small_letters():
    text = (
        "The interior ministry said 40 people had died. Chile's foreign ministry and the "
        "mining industry department agreed; the ministry said nothing more."
    )
    found = unmarked(text)
    assert found == {
        "interior ministry": EntityType.ORGANISATION,
        "foreign ministry": EntityType.ORGANISATION,
        "mining industry department": EntityType.ORGANISATION,
    }


def test_it_finds_the_far_east_only_as_a_region():
    assert unmarked("Trains reach Russia's far east in a week.") == {"far east": EntityType.PLACE}
    assert unmarked("It is by far east of the line.") == {}


def test_a_run_of_capitalised_words_ending_in_a_head_word_is_a_name_of_its_type():
    text = "Rockets left the Plesetsk Cosmodrome while the Mining Industry Department Director Lee Ahn watched."
    lee = span_of(text, "Lee Ahn", EntityType.PERSON)
    found = unmarked(text, [lee])
    assert found == {
        "Plesetsk Cosmodrome": EntityType.FACILITY,
        "Mining Industry Department": EntityType.ORGANISATION,
    }
    # A head word alone, or one in small letters, names nothing by itself here.
    assert unmarked("The Department said the cosmodrome was shut.", []) == {}


def test_the_gazetteer_names_places_where_the_sentence_speaks_of_one():
    text = "Crowds came from Montreal. Buffalo and Albany went dark, then Carbondale, Illinois cheered."
    albany = span_of(text, "Albany", EntityType.PLACE)
    found = unmarked(text, [albany])
    assert found["Montreal"] == EntityType.PLACE  # after "from"
    assert found["Buffalo"] == EntityType.PLACE  # in a list with a place
    assert found["Carbondale"] == EntityType.PLACE  # before its state


def test_the_gazetteer_leaves_people_and_bare_sentence_starts_alone():
    # "Lincoln" is a town too; here it is a word of a person's name, and "Reading" starts a sentence.
    text = "Reading the letter, the crowd turned to Lincoln. Lincoln spoke."
    assert unmarked(text, person_words={"Lincoln"}) == {}


@pytest.mark.django_db
def test_an_article_gets_its_departments_job_titles_and_hyphenated_places_right():
    document = make_document(
        paragraphs=[
            "Russia's Defence Minister Sergei Shoigu said the interior ministry would help.",
            "The train left Vladivostok for Komsomolsk-on-Amur on Monday.",
        ]
    )
    documents_extract_entities(documents=[document])
    found = {m.surface: m.entity.type for m in Mention.objects.filter(document=document).select_related("entity")}
    assert "Defence" not in found
    assert found["interior ministry"] == EntityType.ORGANISATION
    assert found["Komsomolsk-on-Amur"] == EntityType.PLACE
    assert found["Sergei Shoigu"] == EntityType.PERSON


def test_a_names_other_spellings_are_tried_for_its_entity():
    assert spelling_variants("defense ministry") == ["defence ministry"]
    assert spelling_variants("korean people’s army") == ["korean people's army"]
    assert spelling_variants("north koreans", group=True) == ["north korean"]
    assert spelling_variants("north korean", group=True) == ["north koreans"]
    assert spelling_variants("north korean") == []


@pytest.mark.django_db
def test_one_department_in_two_spellings_is_one_entity():
    first = make_document(paragraphs=["The Ruritanian defence ministry said Ruritanian troops had left."])
    second = make_document(paragraphs=["Ruritanians were told the defense ministry had closed the border."])
    documents_extract_entities(documents=[first, second])
    ministry = {m.entity_id for m in Mention.objects.filter(surface__in=["defence ministry", "defense ministry"])}
    assert len(ministry) == 1
    assert Mention.objects.filter(surface__in=["defence ministry", "defense ministry"]).count() == 2


def test_a_place_and_a_year_are_the_games_organisers_and_a_crisis_is_an_event():
    text = "a spokeswoman for Oslo 2036, told reporters that the Oslo 2036 organising committee met in Oslo in 2036."
    assert bounded(text, "Oslo", EntityType.PLACE) == ("Oslo 2036", EntityType.ORGANISATION)
    assert bounded("a dig in Oslo 2036.5 metres down", "Oslo", EntityType.PLACE) == ("Oslo", EntityType.PLACE)
    assert bounded("since the Hormuz crisis began", "Hormuz", EntityType.PLACE) == ("Hormuz crisis", EntityType.EVENT)
    assert bounded("since the Hormuz talks began", "Hormuz", EntityType.PLACE) == ("Hormuz", EntityType.PLACE)


def test_ships_named_in_a_list_after_their_kind():
    text = "two seagoing tugs, the Sea Lion and the Nordic Star, pulled the hull free"
    assert [text[start:end] for start, end in vessel_names(text)] == ["Sea Lion", "Nordic Star"]
    assert vessel_names("two seagoing tugs pulled the hull free") == []


def test_what_stands_around_a_name_types_it():
    def typed(text: str, surface: str, kind: str) -> tuple[str, str]:
        span = _refined_type(span_of(text, surface, kind), text, person_words=set())
        return span.surface, span.type

    assert typed("a search south of St. John's, N.L. began", "N.L.", EntityType.ORGANISATION) == (
        "N.L.",
        EntityType.PLACE,
    )
    assert typed("the N.L. team", "N.L.", EntityType.ORGANISATION) == ("N.L.", EntityType.ORGANISATION)
    assert typed("a CP-140 Aurora flew over", "Aurora", EntityType.PLACE) == ("CP-140 Aurora", EntityType.OTHER)
    # A coast guard's ship is the ship; the coast guard stays an organisation.
    assert typed("Icelandic Coast Guard ship Tyr sailed", "Icelandic Coast Guard", EntityType.ORGANISATION) == (
        "Icelandic Coast Guard",
        EntityType.ORGANISATION,
    )
    assert head_type("Quai d'Orsay") == EntityType.PLACE


def test_a_word_capitalised_only_at_a_sentences_start_is_no_name():
    text = "Totality lasted four minutes. Crowds waited for totality. Marsh spoke to a marsh warden."
    spans = [span_of(text, "Totality", EntityType.PERSON), span_of(text, "Marsh", EntityType.PERSON)]
    kept = _without_common_words(spans, text, person_words={"Marsh"})
    assert [span.surface for span in kept] == ["Marsh"]
    # Never written small: a name.
    names = "Pardy waited. The pilot spoke."
    assert _without_common_words([span_of(names, "Pardy", EntityType.PERSON)], names, person_words=set())


def test_a_head_word_alone_after_the_is_a_name():
    assert unmarked("Ms Petrakis told the Observer that the crowd had grown.") == {"Observer": EntityType.ORGANISATION}
    assert unmarked("the Point was that the Observer Corps met") == {}


def test_a_fleet_and_a_peninsula_are_named_with_their_place():
    text = "strikes on Turkey's Aegean fleet and across the Arabian peninsula, and on the Aegean coast"
    assert bounded(text, "Aegean", EntityType.PLACE) == ("Aegean fleet", EntityType.ORGANISATION)
    assert bounded(text, "Arabian", EntityType.GROUP) == ("Arabian peninsula", EntityType.PLACE)
    assert bounded("an Arabian horse", "Arabian", EntityType.GROUP) == ("Arabian", EntityType.GROUP)


def test_an_institute_for_a_subject_is_one_name():
    text = "said Lee of the Hanbit Institute for East Asian Studies in Seoul, and the Hanbit Institute in Busan"
    spans = [
        span_of(text, "Hanbit Institute", EntityType.ORGANISATION),
        span_of(text, "East Asian Studies", EntityType.GROUP),
        span_of(text, "Seoul", EntityType.PLACE),
    ]
    joined = _with_of_names_joined(spans, text)
    assert [(span.surface, span.type) for span in joined] == [
        ("Hanbit Institute for East Asian Studies", EntityType.ORGANISATION),
        ("Seoul", EntityType.PLACE),
    ]
    # Not after a name with no organisation's head word: "Lee of Seoul" stays two names.
    short = "Lee of Seoul"
    people = [span_of(short, "Lee", EntityType.PERSON), span_of(short, "Seoul", EntityType.PLACE)]
    assert _with_of_names_joined(people, short) == people


def test_a_proper_adjective_before_a_named_facility_is_left_out():
    assert unmarked("Rockets rose over the Siberian Plesetsk Cosmodrome at dawn.") == {
        "Plesetsk Cosmodrome": EntityType.FACILITY
    }


def test_a_given_name_the_model_cut_off_comes_back():
    text = "Two were named: Marisol Vega Rojas, 41, and later Secretary of State Ann Lowe spoke."
    spans = [span_of(text, "Vega Rojas", EntityType.PERSON), span_of(text, "Ann Lowe", EntityType.PERSON)]
    assert [span.surface for span in _with_given_names(spans, text)] == ["Marisol Vega Rojas", "Ann Lowe"]
    # Not a proper adjective, a weekday or a place: "said Ukrainian Oleh Kiper", "on Monday Smith".
    other = "said Ukrainian Oleh Kiper, and later Monday Smith"
    spans = [span_of(other, "Oleh Kiper", EntityType.PERSON), span_of(other, "Smith", EntityType.PERSON)]
    assert [span.surface for span in _with_given_names(spans, other)] == ["Oleh Kiper", "Smith"]


def test_a_transcripts_speaker_label_may_stand_on_its_own_line():
    assert SPEAKER_LABEL.match("DANA WHITLOCK, HOST:").group(1) == "DANA WHITLOCK"
    assert SPEAKER_LABEL.match("OKORO: Thank you.").group(1) == "OKORO"
    assert SPEAKER_LABEL.match("NOTE:this") is None


@pytest.mark.django_db
def test_a_river_the_model_calls_an_organisation_is_the_river():
    first = make_document(paragraphs=["The ship struck the bridge over the Patapsco River at night."])
    second = make_document(paragraphs=["The Patapsco was closed to ships, the Patapsco authorities said."])
    documents_extract_entities(documents=[first])
    documents_extract_entities(documents=[second])
    river = Mention.objects.get(document=first, surface="Patapsco River").entity
    assert set(Mention.objects.filter(document=second).values_list("entity", flat=True)) <= {river.pk}
    assert Mention.objects.filter(document=second, entity=river).exists()
    river.refresh_from_db()
    assert river.type == EntityType.PLACE


def test_a_building_the_model_names_alone_keeps_its_noun_outside():
    text = "boats sailed past Sainte-Claire cathedral and under the Vauban bridge"
    cathedral = _refined_type(span_of(text, "Sainte-Claire", EntityType.FACILITY), text, person_words=set())
    bridge = _refined_type(span_of(text, "Vauban", EntityType.ORGANISATION), text, person_words=set())
    assert (cathedral.surface, cathedral.type) == ("Sainte-Claire", EntityType.FACILITY)
    assert (bridge.surface, bridge.type) == ("Vauban bridge", EntityType.FACILITY)


def test_a_counting_word_at_a_sentences_start_and_a_designation_are_no_part_of_a_name():
    text = "First U.S. landfall came at noon. The walls, a UNESCO World Heritage site, cracked."
    assert bounded(text, "First U.S.", EntityType.ORGANISATION) == ("U.S.", EntityType.PLACE)
    assert bounded(text, "UNESCO World Heritage", EntityType.ORGANISATION) == ("UNESCO", EntityType.ORGANISATION)
    # Inside a sentence "First" may be the name's own.
    assert bounded("shares in First Harbour Bank fell", "First Harbour Bank", EntityType.ORGANISATION) == (
        "First Harbour Bank",
        EntityType.ORGANISATION,
    )
