"""Annotations read for the JSON-LD pages of the API without building model instances: a page of
a thousand annotations in two queries, straight from the cursor (``annotation_rows``)."""

from __future__ import annotations

import json
from datetime import datetime

from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast

from .formats import creator, iso
from .models import Annotation, AnnotationTarget


class _Author:
    __slots__ = ("username", "first_name", "last_name", "creator")

    def __init__(self, username: str, first_name: str, last_name: str):
        self.username, self.first_name, self.last_name = username, first_name, last_name
        self.creator = None
        self.creator = creator(self)

    def get_username(self) -> str:
        return self.username

    def get_full_name(self) -> str:  # as django.contrib.auth's AbstractUser has it
        return f"{self.first_name or ''} {self.last_name or ''}".strip()


class _TagName:
    __slots__ = ("pk", "name")

    def __init__(self, pk: int, name: str):
        self.pk, self.name = pk, name


class AnnotationRow:
    """What ``annotation_to_jsonld`` reads of an annotation, from one row of ``values_list``: a
    page of a thousand annotations without building a thousand model instances."""

    FIELDS = (
        "pk",
        "document_id",
        "parent_id",
        "session_id",
        "visibility",
        "anchor_state",
        "created_text",
        "updated_text",
        "body",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "tag_order",
        "author__username",
        "author__first_name",
        "author__last_name",
        "canonical",
        "via",
        "relation_id",
        "relation__slug",
    )
    __slots__ = FIELDS[:15] + (
        "canonical",
        "via",
        "relation_id",
        "relation_slug",
        "link_targets",
        "created_at",
        "updated_at",
        "author",
        "tags",
    )

    def __init__(self, row: tuple, tags: list[_TagName], author: _Author):
        (
            self.pk,
            self.document_id,
            self.parent_id,
            self.session_id,
            self.visibility,
            self.anchor_state,
            self.created_text,
            self.updated_text,
            self.body,
            self.exact,
            self.prefix,
            self.suffix,
            self.start,
            self.end,
            tag_order,
        ) = row[:15]
        self.canonical, self.via, self.relation_id, self.relation_slug = row[18:22]
        self.link_targets: list[AnnotationTarget] = []
        self.tag_order = _tag_order(tag_order)
        self.created_at, self.updated_at = _iso_text(self.created_text), _iso_text(self.updated_text)
        self.author = author
        self.tags = tags

    def ordered_tags(self) -> list[_TagName]:
        if not self.tags:
            return []
        position = {pk: index for index, pk in enumerate(self.tag_order)}
        return sorted(self.tags, key=lambda tag: (position.get(tag.pk, len(position)), tag.name))


def _tag_order(value) -> list[int]:
    """The tag order column as read without Django's converters: JSON text (or already a list)."""
    if not value or value == "[]":
        return []
    return json.loads(value) if isinstance(value, str) else value


def _iso_text(text: str) -> str:
    """``iso`` of a datetime column cast to text. SQLite's text is Python's own ISO form of the
    UTC time with a space (what Django stores), so it needs no parsing; anything else is parsed."""
    if len(text) in (19, 26) and text[10] == " " and "+" not in text:
        return f"{text[:10]}T{text[11:]}Z"
    return iso(_datetime(text))


def _datetime(text: str) -> datetime:
    """A datetime column cast to text: "2026-11-23 18:02:37.701873" from SQLite, which keeps UTC
    (USE_TZ), or with "+00" from PostgreSQL, whose connections Django sets to UTC."""
    offset = "+" in text[19:] or "-" in text[19:]
    return datetime.fromisoformat(text if offset else text + "+00:00")


def annotation_rows(queryset) -> list[AnnotationRow]:
    """The annotations of ``queryset`` (sliced and ordered as wanted) for ``annotation_page``, in
    two queries: the rows, and the tag names of all of them.

    The rows are read with the SQL the ORM compiles for them, but from the cursor: Django's
    per-value converters (a regular expression for each SQLite datetime, JSON decoding of every tag
    order) took more than half of the time of a page of 500. The datetimes are cast to text and
    parsed with ``datetime.fromisoformat``; a tag order is decoded only when it is not empty."""
    query = queryset.annotate(
        created_text=Cast("created_at", output_field=CharField()),
        updated_text=Cast("updated_at", output_field=CharField()),
    ).values_list(*AnnotationRow.FIELDS)
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    tags: dict[int, list[_TagName]] = {row[0]: [] for row in rows}
    # Only annotations with a tag order have tags: the services set both together (and the admin
    # edits neither), so most pages of comments need no second query.
    tagged = [row[0] for row in rows if _tag_order(row[14])]
    if tagged:
        links = Annotation.tags.through.objects.filter(annotation_id__in=tagged).values_list(
            "annotation_id", "tag_id", "tag__name"
        )
        for annotation_id, tag_id, name in links:
            tags[annotation_id].append(_TagName(tag_id, name))
    # A link's other passages, for the links among them only (a third query, when there are any).
    targets: dict[int, list[AnnotationTarget]] = {row[0]: [] for row in rows if row[20] is not None}
    if targets:
        for target in AnnotationTarget.objects.filter(annotation_id__in=list(targets)).order_by(
            "annotation_id", "position"
        ):
            targets[target.annotation_id].append(target)
    authors: dict[tuple, _Author] = {}
    annotations = [
        AnnotationRow(
            row, tags[row[0]], authors.get(row[15:18]) or authors.setdefault(row[15:18], _Author(*row[15:18]))
        )
        for row in rows
    ]
    for annotation in annotations:
        if annotation.relation_id is not None:
            annotation.link_targets = targets[annotation.pk]
    return annotations
