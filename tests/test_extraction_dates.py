"""Dates as a reader compares them: the calendar day an article names, resolved against the
article's own date, so a "Tuesday" of one event is never the "Tuesday" of another."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from readingroom.entities.extraction import documents_extract_entities
from readingroom.entities.models import Entity, EntityType, Mention
from readingroom.text.dates import calendar_day, day_names
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def published(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def date_entities(document) -> dict[str, str]:
    return {m.surface: m.entity.name for m in Mention.objects.filter(document=document, entity__type=EntityType.DATE)}


def test_it_makes_one_day_of_a_weekday_and_a_calendar_date_in_two_articles():
    first = make_document(
        paragraphs=["The ship struck the bridge early Tuesday, officials in Baltimore said."],
        published_at=published(date(2024, 3, 26)),
    )
    second = make_document(
        paragraphs=["Divers searched the river on March 26 after the collapse, the governor said on Wednesday."],
        published_at=published(date(2024, 3, 27)),
    )
    documents_extract_entities(documents=[first, second])
    assert date_entities(first) == {"Tuesday": "Tuesday 26 March 2024"}
    assert date_entities(second) == {"March 26": "Tuesday 26 March 2024", "Wednesday": "Wednesday 27 March 2024"}
    tuesday = Mention.objects.get(document=first, surface="Tuesday").entity
    assert Mention.objects.get(document=second, surface="March 26").entity == tuesday


def test_it_keeps_the_wednesdays_of_two_events_apart():
    bridge = make_document(
        paragraphs=["The governor spoke to reporters on Wednesday in Baltimore."],
        published_at=published(date(2024, 3, 28)),
    )
    canal = make_document(
        paragraphs=["The canal authority spoke to reporters on Wednesday in Ismailia."],
        published_at=published(date(2021, 3, 25)),
    )
    documents_extract_entities(documents=[bridge, canal])
    assert date_entities(bridge) == {"Wednesday": "Wednesday 27 March 2024"}
    assert date_entities(canal) == {"Wednesday": "Wednesday 24 March 2021"}


def test_a_weekday_in_an_article_without_a_date_stays_in_its_article():
    first = make_document(paragraphs=["The mayor met residents on Friday in Rabat."])
    second = make_document(paragraphs=["The minister met farmers on Friday in Agadir."])
    documents_extract_entities(documents=[first, second])
    one = Mention.objects.get(document=first, surface="Friday").entity
    other = Mention.objects.get(document=second, surface="Friday").entity
    assert one != other
    # Extracting again (an edit, a new model) leaves no weekday behind without its mentions.
    days_before = Entity.objects.filter(type=EntityType.DATE).count()
    documents_extract_entities(documents=[first, second])
    documents_extract_entities(documents=[first])
    assert Entity.objects.filter(type=EntityType.DATE).count() == days_before
    assert not Entity.objects.filter(type=EntityType.DATE, mentions__isnull=True).exists()


def test_lengths_of_time_and_times_of_day_are_not_dates():
    document = make_document(
        paragraphs=["For three years the town waited; on Sunday night, after about an hour, the rain stopped in 2021."],
        published_at=published(date(2021, 3, 29)),
    )
    documents_extract_entities(documents=[document])
    assert date_entities(document) == {"Sunday": "Sunday 28 March 2021"}


@pytest.mark.parametrize(
    ("before", "day"),
    [
        ("The ship was freed on ", date(2024, 7, 20)),
        ("Recovery to begin ", date(2024, 7, 27)),
        ("He spoke to reporters on ", date(2024, 7, 20)),
        ("Recovery is expected to begin ", date(2024, 7, 27)),
        ("It ran aground last ", date(2024, 7, 20)),
    ],
)
def test_a_weekday_is_the_one_before_the_article_unless_the_sentence_looks_ahead(before, day):
    (saturday,) = day_names("Saturday")
    assert calendar_day(saturday, published=date(2024, 7, 26), context=before) == day


def test_it_reads_the_ways_news_copy_writes_a_day():
    assert [name.text for name in day_names("late Friday 26 July, then Aug. 23, 2044 and the 3rd of May")] == [
        "Friday",
        "26 July",
        "Aug. 23, 2044",
        "3rd of May",
    ]
    assert day_names("August 2044, Mayday, the summer of 2021") == []
