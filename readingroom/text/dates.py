"""Calendar days named in news copy, and the day each one means.

A reader compares articles by the days they talk about: "Tuesday", "March 26" and "yesterday"
in three articles can be one day, and the "Wednesday" of one event is never the "Wednesday" of
another. Only the words that name a day are kept ("Sunday" of "late Sunday night", both
"Friday" and "26 July" of "Friday 26 July"); lengths of time, times of day, seasons, months and
years alone name no day and are left out. A relative day is resolved against the article's own
date; without one it means nothing outside its article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?P<{name}>(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?))"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:1[89]|2\d)\d\d)"
_DAY_PATTERN = re.compile(
    "(?:"
    + "|".join(
        (
            # March 26, March 26, 2024, Aug. 23 2044
            _MONTH.format(name="m1") + r"\s+" + _DAY.format(name="d1") + r"(?:,?\s+" + _YEAR.format(name="y1") + r")?",
            # 26 March, 26th of March 2024
            _DAY.format(name="d2")
            + r"\s+(?:of\s+)?"
            + _MONTH.format(name="m2")
            + r"(?:,?\s+"
            + _YEAR.format(name="y2")
            + r")?",
            r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)",
            r"(?P<relative>[Tt]oday|[Yy]esterday|[Tt]omorrow)",
        )
    )
    + r")(?!\w)"
)
# Words before a weekday that point to the days after the article's date.
_FUTURE = re.compile(
    r"\b(?:will|won['’]t|shall|next|coming|upcoming|expected|scheduled|due|plans?|planned|set to|"
    r"going to|forecasts?|would)\b",
    re.IGNORECASE,
)
_PAST = re.compile(r"\b(?:last|ago|was|were|had|did)\b", re.IGNORECASE)
# "recovery to begin Wednesday": an infinitive just before it.
_FUTURE_JUST_BEFORE = re.compile(r"\bto\s+\w+\s+$", re.IGNORECASE)
_LAST_NEXT = re.compile(r"\b(last|next|this)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class DayName:
    """Words naming one day: offsets into the text they were found in, and what they say."""

    start: int
    end: int
    text: str
    weekday: int | None = None  # 0 for Monday
    relative: int | None = None  # days after the article's date: -1 yesterday, 0 today, 1 tomorrow
    month: int | None = None
    day: int | None = None
    year: int | None = None


def day_names(text: str) -> list[DayName]:
    """Every run of words in ``text`` that names a day, in order."""
    found = []
    for match in _DAY_PATTERN.finditer(text):
        if not (match.start() == 0 or not text[match.start() - 1].isalnum()):
            continue
        groups = match.groupdict()
        if groups["weekday"]:
            found.append(
                DayName(
                    match.start(),
                    match.end(),
                    match.group(),
                    weekday=WEEKDAYS.index(groups["weekday"].casefold()),
                )
            )
        elif groups["relative"]:
            relative = {"today": 0, "yesterday": -1, "tomorrow": 1}[groups["relative"].casefold()]
            found.append(DayName(match.start(), match.end(), match.group(), relative=relative))
        else:
            month_word = (groups["m1"] or groups["m2"]).rstrip(".").casefold()
            day = int(groups["d1"] or groups["d2"])
            year = groups["y1"] or groups["y2"]
            if not 1 <= day <= 31:
                continue
            found.append(
                DayName(
                    match.start(),
                    match.end(),
                    match.group(),
                    month=_MONTHS[month_word],
                    day=day,
                    year=int(year) if year else None,
                )
            )
    return found


def calendar_day(name: DayName, *, published: date | None, context: str = "") -> date | None:
    """The day ``name`` means in an article published on ``published``; ``context`` is the text
    before it in its sentence ("will reopen on", "last"), which says whether a weekday is the one
    before the article's date or after it. None when the article's date is needed and unknown."""
    if name.month is not None and name.day is not None:
        year = name.year
        if year is None:
            if published is None:
                return None
            year = published.year
            # "December 30" in a January article is last year's.
            if date(year, name.month, 1) > published + timedelta(days=183):
                year -= 1
        try:
            return date(year, name.month, name.day)
        except ValueError:
            return None
    if published is None:
        return None
    if name.relative is not None:
        return published + timedelta(days=name.relative)
    assert name.weekday is not None
    back = (published.weekday() - name.weekday) % 7
    forward = 7 - back if back else 0
    if (last_next := _LAST_NEXT.search(context)) is not None:
        word = last_next.group(1).casefold()
        if word == "last":
            return published - timedelta(days=back or 7)
        if word == "next":
            return published + timedelta(days=forward or 7)
    if back == 0:
        return published
    words = context[-80:]
    future, past = _FUTURE.search(words), _PAST.search(words)
    if (future and not (past and past.start() > future.start())) or (_FUTURE_JUST_BEFORE.search(words) and not past):
        return published + timedelta(days=forward)
    return published - timedelta(days=back)


def day_label(day: date) -> str:
    """How a day is named as an entity: "Tuesday 26 March 2024"."""
    return f"{day:%A} {day.day} {day:%B %Y}"
