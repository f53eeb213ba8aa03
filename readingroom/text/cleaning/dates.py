"""Step 6, the date: when the article was published, from live-entry times, explicit dates, or
a weekday date ("Wednesday, Sept. 13") whose year is inferred from "today"."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

from .blocks import Block

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_WEEKDAY = (
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\b\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+(?P<year>\d{{4}})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})\b")
_ISO_DATE = re.compile(
    r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?)?\b"
)
# "Published: 10/09/2023 - 22:48": a numeric date only where a label says it dates the page.
_LABELLED_NUMERIC_DATE = re.compile(
    r"\b(?:published|posted|updated|modified|first published)\s*:?\s*(?:on\s+)?"
    r"(?P<first>\d{1,2})[/.](?P<second>\d{1,2})[/.](?P<year>\d{4})"
    r"(?:\s*[-–,|]?\s*(?:at\s+)?(?P<hour>\d{1,2})[:h](?P<minute>\d{2}))?",
    re.IGNORECASE,
)
_WEEKDAY_MONTH_DAY = re.compile(rf"\b{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}\b")
_WEEKDAY_DAY_MONTH = re.compile(rf"\b{_WEEKDAY},?\s+{_DAY}\s+{_MONTH}")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
YEAR_INFERENCE_LIMIT = 60


def _published_at(blocks: list[Block], header: list[str], today: date) -> datetime | None:
    """Newest live-entry time; else the first explicit date; else a weekday
    date ("Wednesday, Sept. 13") whose year is inferred."""
    entry_times = [b.published_at for b in blocks if b.published_at is not None]
    if entry_times:
        return max(entry_times)
    texts = header + [b.text for b in blocks]
    for text in texts:
        if found := _explicit_date(text):
            return found
    for text in texts:
        if found := _weekday_date(text, today):
            return found
    return None


def _month_number(name: str) -> int:
    return ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").index(
        name[:3].lower()
    ) + 1


def _explicit_date(text: str) -> datetime | None:
    candidates = []
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            parsed = _safe_datetime(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            if parsed:
                candidates.append((match.start(), parsed))
    for match in _ISO_DATE.finditer(text):
        parsed = _iso_datetime(match)
        if parsed:
            candidates.append((match.start(), parsed))
    for match in _LABELLED_NUMERIC_DATE.finditer(text):
        parsed = _numeric_datetime(match)
        if parsed:
            candidates.append((match.start(), parsed))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _numeric_datetime(match: re.Match[str]) -> datetime | None:
    """Day first, as most of the world writes it ("10/09/2023" is 10 September), unless the
    first number cannot be a month's day and the second can ("03/26/2024")."""
    first, second = int(match["first"]), int(match["second"])
    day, month = (second, first) if second > 12 >= first else (first, second)
    return _safe_datetime(int(match["year"]), month, day, int(match["hour"] or 0), int(match["minute"] or 0))


def _safe_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def _iso_datetime(match: re.Match[str]) -> datetime | None:
    parsed = _safe_datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        int(match["hour"] or 0),
        int(match["minute"] or 0),
        int(match["second"] or 0),
    )
    offset = match["offset"]
    if parsed is None or not offset or offset == "Z":
        return parsed  # no offset given: read it as UTC
    sign = 1 if offset[0] == "+" else -1
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return (parsed.replace(tzinfo=timezone(sign * delta))).astimezone(UTC)


def _weekday_date(text: str, today: date) -> datetime | None:
    for pattern in (_WEEKDAY_MONTH_DAY, _WEEKDAY_DAY_MONTH):
        match = pattern.search(text)
        if match:
            weekday = _WEEKDAYS.index(match["weekday"][:3].lower())
            year = _infer_year(_month_number(match["month"]), int(match["day"]), weekday, today)
            if year is not None:
                return datetime(year, _month_number(match["month"]), int(match["day"]), tzinfo=UTC)
    return None


def _infer_year(month: int, day: int, weekday: int, today: date) -> int | None:
    """The most recent year, not in the future, in which month/day fell on weekday."""
    for year in range(today.year, today.year - YEAR_INFERENCE_LIMIT, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February in a common year
        if candidate <= today and candidate.weekday() == weekday:
            return year
    return None
