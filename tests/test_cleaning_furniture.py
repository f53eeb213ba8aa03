"""Page furniture recognised by what it is, not by one site's phrases (text/cleaning/furniture.py),
and the dates a labelled numeric line gives (text/cleaning/dates.py)."""

from datetime import UTC, datetime

import pytest

from readingroom.text.cleaning import clean_text

OPENING = "The river rose two metres overnight and the old ferry landing went under before dawn, officials said."
CLOSING = "Engineers will inspect the embankment on Monday before the road along the quay reopens to traffic."


def article_with(*lines: str) -> str:
    return "\n\n".join([OPENING, *lines, CLOSING])


def body_of(raw: str) -> list[str]:
    return [block.text for block in clean_text(raw).blocks]


@pytest.mark.parametrize(
    "line",
    [
        "5 min read",
        "Listen · 12:07",
        "Load earlier posts",
        "Show key moments only",
        "Please turn on JavaScript to use the live feed.",
        "Comments are closed for this article.",
        "Sign in or register to comment.",
        "Most viewed",
        "More Sport",
        "Related: Ferry fares to rise in the spring",
        "Also in Business: Port tolls frozen · Dockers vote on pay",
        "(Reporting by Ana Costa in Porto; Editing by Tim Hale)",
        "Additional reporting by Lea Braun",
        "Wire services contributed to this report.",
        "This story was republished from a partner newsroom.",
        "Tips? Write to the desk at news@example.org",
        "Tom Reyes is a columnist for the Valley Herald and writes about water.",
        "Floodwater covers the ferry landing on Tuesday. REUTERS/Staff",
        "A crane lifts a car from the quay, March 3, 2025. - Jo Lind / AFP",
        "Share: Facebook · X · WhatsApp",
        "Share   Save   Print",
        "Get the Valley Briefing",
        "The day's top stories in your inbox every morning.",
        "Sources: Valley Water Board, regional police",
    ],
)
def test_it_removes_furniture_by_what_it_is(line):
    assert line not in body_of(article_with(line))


@pytest.mark.parametrize(
    "line",
    [
        "He declined to comment.",
        "More rain is forecast for the weekend, and the quay will stay closed until it stops.",
        "Get the facts",
        "This article is the first of a series on the river.",
        "Hospital staff said they had treated four people for hypothermia overnight.",
        "Prices fell 20% off their peak before the flood.",
    ],
)
def test_it_keeps_article_text_that_resembles_furniture(line):
    assert line in body_of(article_with(line))


def test_the_headlines_under_a_read_more_label_go_with_it():
    raw = article_with("Read more:\nFerry fares to rise in the spring\nDockers vote on a new pay offer")
    body = body_of(raw)
    assert "Ferry fares to rise in the spring" not in body
    assert "Dockers vote on a new pay offer" not in body
    assert OPENING in body and CLOSING in body


def test_a_footer_menu_below_the_article_is_removed():
    assert "Valley Herald | Contact us | Advertise | Privacy" not in body_of(
        article_with("Valley Herald | Contact us | Advertise | Privacy")
    )


def test_a_labelled_numeric_date_dates_the_article_day_first():
    raw = "Ferry landing flooded\n\nBy Ana Costa\n\nPublished: 04/03/2025 - 07:15\n\n" + OPENING + "\n\n" + CLOSING
    assert clean_text(raw).published_at == datetime(2025, 3, 4, 7, 15, tzinfo=UTC)


def test_a_numeric_date_that_cannot_be_day_first_is_month_first():
    raw = "Ferry landing flooded\n\nBy Ana Costa\n\nPosted 03/26/2025\n\n" + OPENING + "\n\n" + CLOSING
    assert clean_text(raw).published_at == datetime(2025, 3, 26, tzinfo=UTC)
