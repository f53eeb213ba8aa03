"""Reads that the library's views share."""

from __future__ import annotations

from collections.abc import Iterable

from readingroom.fixedsql import PrimaryKeyReader
from readingroom.ids import parse_ids

from .models import Document, DocumentRevision, Source

MAX_COMPARED = 5
MIN_COMPARED = 2


def parse_document_ids(values: Iterable[str]) -> list[int]:
    """Document ids from query values, in order, without repeats; junk values are ignored."""
    return parse_ids(values)


# The reader page's document, without the imported file's text, and its source: the page every
# reader opens, read with fixed statements (fixedsql.py).
_reading_document = PrimaryKeyReader(Document, leave_out=("raw_text",))
_reading_source = PrimaryKeyReader(Source)


def document_for_reading(pk: int) -> Document | None:
    """The document with its source, or None (also for a deleted one)."""
    document = _reading_document.get(pk)
    if document is not None and document.deleted_at is not None:
        return None
    if document is None:
        return None
    source = _reading_source.get(document.source_id)
    if source is None:  # the foreign key says there is one; a row deleted in between says not
        return None
    document.source = source
    return document


def documents_in_order(ids: list[int]) -> list[Document]:
    """The documents with these ids, in the order given; ids that do not exist are dropped."""
    by_id = Document.objects.select_related("source").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def documents_for_menu(*, exclude: Iterable[int] = (), limit: int = 300) -> list[dict]:
    """``{"pk", "title", "source__name"}`` of the ``limit`` most recently added documents (all of
    them in a library of that size or less), in reading order: by source, newest first, title.

    Recency is the primary key's order, which the database walks and stops after ``limit``; the
    reading order of a whole library would have to sort every document on each compare page, and
    the reading order is then applied to the few chosen here. Only these columns are read:
    columns stored after the texts make SQLite walk each text's overflow pages."""
    rows = list(
        Document.objects.exclude(pk__in=list(exclude))
        .order_by("-pk")
        .values("pk", "title", "source__name", "published_at")[:limit]
    )

    def reading_order(row: dict):
        published = row["published_at"]
        return (row["source__name"], published is None, -published.timestamp() if published else 0.0, row["title"])

    return sorted(rows, key=reading_order)


def document_revisions(*, document: Document):
    """The texts the document had before, oldest first."""
    return DocumentRevision.objects.filter(document=document).order_by("number")
