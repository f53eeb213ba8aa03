"""Live-page entries (BBC): "1. Heading textpublished at 15:06 British Summer Time 13 September
2023" becomes a heading carrying its UTC time, followed by a dateline."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from .paragraphs import _Para

# BBC live entry: "1. Heading textpublished at 15:06 British Summer Time 13 September 2023".
# The copy glues the heading to "published at"; the number may be missing
# (when a label such as "Analysis" took it).
_LIVE_ENTRY = re.compile(
    r"^(?:\d{1,3}\.\s+)?(?P<heading>.*?)\s*published at\s+"
    r"(?P<stamp>(?P<time>\d{1,2}:\d{2})\s+(?P<zone>[A-Za-z][A-Za-z ]*?)"
    r"(?:\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4}))?)$"
)
_ZONE_OFFSETS = {
    "british summer time": 1,
    "bst": 1,
    "greenwich mean time": 0,
    "gmt": 0,
    "utc": 0,
    "coordinated universal time": 0,
    "central european time": 1,
    "cet": 1,
    "central european summer time": 2,
    "cest": 2,
    "eastern standard time": -5,
    "est": -5,
    "eastern daylight time": -4,
    "edt": -4,
}


def _live_entry(para: _Para, out: list[_Para]) -> list[_Para]:
    """Split a live entry line into a heading (with its UTC time) and a dateline."""
    match = _LIVE_ENTRY.match(para.text)
    assert match is not None
    published_at = _live_timestamp(match["time"], match["zone"], match["date"])
    dateline = _Para(text=match["stamp"], group=para.group, lines=[], kind="dateline", structural=True)
    heading_text = match["heading"].strip()
    if not heading_text and out and out[-1].kind == "paragraph":
        # "published at …" on its own line: the line before is the heading.
        previous = out.pop()
        heading_text, para = previous.text, replace(previous, lines=previous.lines + para.lines)
    heading = replace(para, kind="heading", text=heading_text, published_at=published_at, structural=True)
    return [heading, dateline] if heading_text else [dateline]


def _live_timestamp(clock: str, zone: str, day: str | None) -> datetime | None:
    offset = _ZONE_OFFSETS.get(zone.strip().lower())
    if offset is None or day is None:
        return None
    try:
        local = datetime.strptime(f"{day} {clock}", "%d %B %Y %H:%M")
    except ValueError:
        return None
    return local.replace(tzinfo=timezone(timedelta(hours=offset))).astimezone(UTC)
