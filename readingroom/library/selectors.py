"""Reads that the library's views share."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Document

MAX_COMPARED = 5
MIN_COMPARED = 2


def parse_document_ids(values: Iterable[str]) -> list[int]:
    """Document ids from query values, in order, without repeats; junk values are ignored."""
    ids: list[int] = []
    for value in values:
        value = value.strip()
        # Larger than any id a database column holds: not an id.
        if value.isdigit() and len(value) <= 18 and int(value) not in ids:
            ids.append(int(value))
    return ids


def documents_in_order(ids: list[int]) -> list[Document]:
    """The documents with these ids, in the order given; ids that do not exist are dropped."""
    by_id = Document.objects.select_related("source").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
