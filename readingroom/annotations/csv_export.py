"""Annotations as a spreadsheet (CSV), for the session export and the export command."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .formats import iso
from .models import Annotation

CSV_COLUMNS = [
    "id",
    "document_id",
    "document_title",
    "source",
    "author",
    "created",
    "modified",
    "visibility",
    "anchor_state",
    "start",
    "end",
    "exact",
    "tags",
    "comment",
    "reply_to",
]


def _cell(value) -> str:
    """A spreadsheet cell that a spreadsheet will not run: text starting like a formula is quoted."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def annotations_csv(annotations: Iterable[Annotation]) -> str:
    """A spreadsheet of annotations. Expects ``document__source`` and ``author`` selected."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in annotations:
        row = [
            a.pk,
            a.document_id,
            a.document.title,
            a.document.source.name,
            a.author_name,
            iso(a.created_at),
            iso(a.updated_at),
            a.visibility,
            a.anchor_state,
            "" if a.start is None else a.start,
            "" if a.end is None else a.end,
            a.exact,
            "; ".join(tag.name for tag in a.ordered_tags()),
            a.body,
            a.parent_id or "",
        ]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
