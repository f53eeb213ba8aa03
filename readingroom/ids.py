"""Database ids in URLs and query strings.

An id is 1 to 18 ASCII digits: larger numbers do not fit the 64-bit columns (SQLite raises
OverflowError, PostgreSQL an out-of-range error), and ``str.isdigit()`` also accepts characters
such as "²" that ``int()`` refuses. Every id read from a request goes through here, so junk is
"not found" (404) or ignored, never a server error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ID_PATTERN = "[0-9]{1,18}"
_ID = re.compile(ID_PATTERN)


def parse_id(value: str | None) -> int | None:
    """The id ``value`` spells, or None when it is not one."""
    if value is None:
        return None
    value = value.strip()
    return int(value) if _ID.fullmatch(value) else None


def parse_ids(values: Iterable[str]) -> list[int]:
    """Ids from query values, in order, without repeats; junk values are ignored."""
    ids: list[int] = []
    for value in values:
        number = parse_id(value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


class IdConverter:
    """``<id:pk>`` in URL patterns: like ``<int:pk>``, but a number too long for a database id
    does not match, so the URL answers 404."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)
