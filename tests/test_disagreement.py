"""Where two sentences about the same thing disagree (#19): figures, days and names, as plain text."""

from datetime import date

from readingroom.text.disagreement import disagreement, figures, sentence_facts

PUTIN, KIM, VOSTOCHNY, LAVROV, SHOIGU = 1, 2, 3, 4, 5
TYPES = {PUTIN: "person", KIM: "person", VOSTOCHNY: "place", LAVROV: "person", SHOIGU: "person"}
SURFACES = {PUTIN: "Putin", KIM: "Kim", VOSTOCHNY: "Vostochny", LAVROV: "Lavrov", SHOIGU: "Shoigu"}


def facts(text: str, published: date | None = date(2023, 9, 13)):
    mentions = []
    for entity, surface in SURFACES.items():
        if surface in text:
            start = text.index(surface)
            mentions.append((start, start + len(surface), entity, TYPES[entity]))
    return sentence_facts(text=text, start=0, mentions=sorted(mentions), published=published)


def test_it_finds_the_issue_s_example_some_1000_km_against_about_1500_km():
    found = disagreement(
        facts("Kim met Putin at Vostochny, some 1,000 km from Vladivostok."),
        facts("Putin welcomed Kim to Vostochny, about 1,500 km north of Vladivostok."),
    )
    assert found is not None and found.kind == "figure"
    assert (found.a_text, found.b_text) == ("some 1,000 km", "about 1,500 km")
    assert "1,000 km" in found.reason and "1,500 km" in found.reason


def test_figures_that_can_both_be_true_do_not_disagree():
    near = disagreement(
        facts("Kim met Putin at Vostochny, some 1,000 km from Vladivostok."),
        facts("Putin welcomed Kim to Vostochny, 1,050 kilometres from Vladivostok."),
    )
    bound = disagreement(
        facts("Putin said Kim's train had carried more than 2,000 people to Vostochny."),
        facts("Kim's train carried 2,946 people to Vostochny, Putin said."),
    )
    assert near is None and bound is None


def test_lengths_in_feet_and_metres_are_compared_as_one_length():
    assert figures("about 488 metres (1,600 feet) away")[0].meets(figures("about 488 metres (1,600 feet) away")[1])
    found = disagreement(
        facts("Kim's armoured train stopped 488 metres from Putin at Vostochny."),
        facts("At Vostochny the train stopped 1,600 feet from Putin, Kim's aides said."),
    )
    assert found is None


def test_sentences_about_different_things_are_not_compared():
    # One entity in common and no topic words: not about the same thing.
    assert disagreement(facts("Putin flew 1,000 km."), facts("Putin has 3 dogs in 2,000 km of garden.")) is None
    # Figures counting different things never disagree.
    assert (
        disagreement(
            facts("Putin and Kim talked for 4 hours at Vostochny."),
            facts("Putin and Kim toured 2 launch pads at Vostochny."),
        )
        is None
    )


def test_days_differ_only_between_sentences_saying_nearly_the_same():
    found = disagreement(
        facts("Putin met Kim at Vostochny on Wednesday for summit talks."),
        facts("Putin met Kim at Vostochny on September 12 for summit talks."),
    )
    assert found is not None and found.kind == "date" and (found.a_text, found.b_text) == ("Wednesday", "September 12")
    # The same day named two ways is no disagreement.
    assert (
        disagreement(
            facts("Putin met Kim at Vostochny on Wednesday for summit talks."),
            facts("Putin met Kim at Vostochny on September 13 for summit talks."),
        )
        is None
    )


def test_a_different_person_in_nearly_the_same_sentence_is_a_name_disagreement():
    found = disagreement(
        facts("Putin and Kim were joined at Vostochny by Lavrov for the talks on satellites."),
        facts("Putin and Kim were joined at Vostochny by Shoigu for the talks on satellites."),
    )
    assert found is not None and found.kind == "name" and (found.a_text, found.b_text) == ("Lavrov", "Shoigu")


def test_numbers_that_are_years_or_bare_are_not_figures():
    assert figures("In 2019 the two met; 45 of them left.") == []
    assert [f.unit for f in figures("It cost $1.7 billion and 37% of them, 2,012 people have been killed")] == [
        "$",
        "%",
        "person killed",
    ]
