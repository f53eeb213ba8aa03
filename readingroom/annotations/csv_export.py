"""Annotations as a spreadsheet (CSV), for the session export and the export command."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .formats import iso
from .models import Annotation, AnnotationTarget

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
    "relation",
    "target",
]


def _cell(value) -> str:
    """A spreadsheet cell that a spreadsheet will not run: text starting like a formula is quoted."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def annotations_csv(annotations: Iterable[Annotation]) -> str:
    """A spreadsheet of annotations. Expects ``document__source`` and ``author`` selected. A link
    (#19) takes one row per passage, each with the link's id, relation and comment and the
    passage's number (``target``, from 1), document, state, offsets and quote."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in annotations:
        passages: list = [a]
        relation = ""
        if a.relation is not None:
            relation = a.relation.slug
            passages += list(AnnotationTarget.objects.filter(annotation=a).select_related("document__source"))
        for number, passage in enumerate(passages, start=1):
            row = [
                a.pk,
                passage.document_id,
                passage.document.title,
                passage.document.source.name,
                a.author_name,
                iso(a.created_at),
                iso(a.updated_at),
                a.visibility,
                passage.anchor_state,
                "" if passage.start is None else passage.start,
                "" if passage.end is None else passage.end,
                passage.exact,
                "; ".join(tag.name for tag in a.ordered_tags()),
                a.body,
                a.parent_id or "",
                relation,
                number if relation else "",
            ]
            writer.writerow([_cell(value) for value in row])
    return out.getvalue()
