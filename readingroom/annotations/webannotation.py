"""W3C Web Annotation Data Model: annotations to and from JSON-LD, collections and pages, CSV.

An exported annotation carries the document's absolute URL as its target ``source`` and both a
TextQuoteSelector and a TextPositionSelector (code points). Replies are annotations with the
``replying`` motivation whose target is their parent. ``visibility`` is Reading Room's own term.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse

from readingroom.fixedsql import PrimaryKeyReader
from readingroom.ids import parse_id
from readingroom.library.models import Document

from .models import DELETED_USER, Annotation, Visibility

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def page_size() -> int:
    """Items per AnnotationPage: large enough that a document's annotations usually come in one
    request (``READINGROOM_ANNOTATION_PAGE_SIZE``, default 1,000)."""
    from django.conf import settings

    return settings.READINGROOM_ANNOTATION_PAGE_SIZE


class InvalidAnnotation(ValueError):
    """JSON that is not an annotation we can store; the message says what is wrong."""


def _iso(value) -> str:
    if isinstance(value, str):  # already ISO 8601 in UTC (an AnnotationRow's)
        return value
    return value.isoformat().replace("+00:00", "Z")


class _Urls:
    """Annotation and document addresses for many ids: one reverse() each, then string joins."""

    def __init__(self, base_url: str):
        self.annotation = self._maker(base_url, "annotation_detail")
        self.document = self._maker(base_url, "document_detail")

    @staticmethod
    def _maker(base_url: str, name: str):
        head, tail = _url_around_id(name, get_script_prefix(), get_urlconf())
        head = base_url + head
        return lambda pk: f"{head}{pk}{tail}"


@functools.lru_cache(maxsize=64)
def _url_around_id(name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    """What a URL with one id has before and after the id (under the script prefix and URLconf
    reverse() uses now, which the cache key names)."""
    head, tail = reverse(name, args=[0]).rsplit("0", 1)
    return head, tail


def annotation_to_jsonld(
    annotation: Annotation | AnnotationRow, *, base_url: str, context: bool = True, urls: _Urls | None = None, tags=None
) -> dict:
    """One annotation as W3C JSON-LD. Expects ``author`` selected and ``tags`` prefetched (or an
    ``AnnotationRow``, which has both), unless the caller passes its ``tags`` in order."""
    urls = urls or _Urls(base_url)
    data: dict = {}
    if context:
        data["@context"] = ANNO_CONTEXT
    data.update(
        {
            "id": urls.annotation(annotation.pk),
            "type": "Annotation",
            "created": _iso(annotation.created_at),
            "modified": _iso(annotation.updated_at),
            "creator": _creator(annotation.author),
            "visibility": annotation.visibility,
        }
    )
    if annotation.session_id:
        data["session"] = annotation.session_id
    if annotation.parent_id is None:
        data["state"] = annotation.anchor_state
    tags = annotation.ordered_tags() if tags is None else tags
    bodies = [{"type": "TextualBody", "purpose": "tagging", "value": tag.name} for tag in tags]
    if annotation.body:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": annotation.body, "format": "text/markdown"}
        )
    data["body"] = bodies
    if annotation.parent_id:
        data["motivation"] = "replying"
        data["target"] = urls.annotation(annotation.parent_id)
        return data
    selectors: list[dict] = [
        {
            "type": "TextQuoteSelector",
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        }
    ]
    if annotation.start is not None:
        selectors.append({"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end})
    data["motivation"] = "commenting" if annotation.body else "tagging" if bodies else "highlighting"
    data["target"] = {"source": urls.document(annotation.document_id), "selector": selectors}
    return data


def _creator(author) -> dict:
    known = getattr(author, "creator", None)  # an _Author's, made once for all its annotations
    if known is not None:
        return known
    if author is None or author.get_username() is None:  # the account was deleted
        return {"type": "Person", "name": DELETED_USER}
    return {
        "type": "Person",
        "nickname": author.get_username(),
        "name": author.get_full_name() or author.get_username(),
    }


class _Author:
    __slots__ = ("username", "first_name", "last_name", "creator")

    def __init__(self, username: str, first_name: str, last_name: str):
        self.username, self.first_name, self.last_name = username, first_name, last_name
        self.creator = None
        self.creator = _creator(self)

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
    )
    __slots__ = FIELDS[:15] + ("created_at", "updated_at", "author", "tags")

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
    """``_iso`` of a datetime column cast to text. SQLite's text is Python's own ISO form of the
    UTC time with a space (what Django stores), so it needs no parsing; anything else is parsed."""
    if len(text) in (19, 26) and text[10] == " " and "+" not in text:
        return f"{text[:10]}T{text[11:]}Z"
    return _iso(_datetime(text))


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
    authors: dict[tuple, _Author] = {}
    return [
        AnnotationRow(
            row, tags[row[0]], authors.get(row[15:18]) or authors.setdefault(row[15:18], _Author(*row[15:18]))
        )
        for row in rows
    ]


def annotation_page(
    annotations: Sequence[Annotation | AnnotationRow],
    *,
    base_url: str,
    page_url,
    collection_url: str,
    total: int,
    page: int,
    size: int,
) -> dict:
    """An AnnotationPage of ``size`` items at most; ``page_url(n)`` gives the URL of page n."""
    urls = _Urls(base_url)
    data = {
        "@context": ANNO_CONTEXT,
        "id": page_url(page),
        "type": "AnnotationPage",
        "partOf": {"id": collection_url, "type": "AnnotationCollection", "total": total},
        "startIndex": page * size,
        "items": [annotation_to_jsonld(a, base_url=base_url, context=False, urls=urls) for a in annotations],
    }
    if page > 0:
        data["prev"] = page_url(page - 1)
    if (page + 1) * size < total:
        data["next"] = page_url(page + 1)
    return data


def annotation_collection(annotations: Sequence[Annotation], *, base_url: str, label: str, collection_url: str) -> dict:
    """Everything in one collection with one embedded page: the export file format."""
    urls = _Urls(base_url)
    return {
        "@context": ANNO_CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(annotations),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [annotation_to_jsonld(a, base_url=base_url, context=False, urls=urls) for a in annotations],
        },
    }


# --- reading JSON-LD --------------------------------------------------------------------------


@dataclass
class ParsedAnnotation:
    document: Document | None = None
    start: int | None = None
    end: int | None = None
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)
    visibility: str | None = None  # None: the default for where it is made
    session_id: int | None = None  # Reading Room's own term: the session it is made in
    reply_to: str | None = None  # the parent's id (a URL) for replies
    source_id: str | None = None  # the annotation's own id, when it had one (imports)
    orphaned: bool = False  # Reading Room's "state": its passage was lost to a text edit
    creator_nickname: str | None = None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def document_from_url(url: str) -> Document | None:
    """The document a target ``source`` URL names (any host: exports move between servers)."""
    if not isinstance(url, str):
        return None
    path = urlsplit(url).path
    # The reader's own address, as every annotation the popover sends names it: no URL resolving.
    head, tail = _url_around_id("document_detail", get_script_prefix(), get_urlconf())
    pk = path[len(head) : len(path) - len(tail)]
    if path.startswith(head) and path.endswith(tail) and parse_id(pk) is not None:
        return document_for_annotating(int(pk))
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name not in ("document_detail", "document_text"):
        return None
    return document_for_annotating(match.kwargs["pk"])


# Without the imported file's text and the paragraph list: large, and not needed to check a
# selection (read on access if ever needed). Every save asks for the document.
_document_reader = PrimaryKeyReader(Document, leave_out=("raw_text", "blocks"))


def document_for_annotating(pk: int) -> Document | None:
    document = _document_reader.get(pk)
    return None if document is None or document.deleted_at is not None else document


def _text(value, what: str, *, limit: int = 20_000) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidAnnotation(f"{what} must be a string.")
    if len(value) > limit:
        raise InvalidAnnotation(f"{what} is too long.")
    return value


def _whole_number(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAnnotation(f"{what} must be a whole number.")
    return value


def parse_annotation(data) -> ParsedAnnotation:
    """Read a JSON-LD annotation a client sent. Checks its shape; the services check its content."""
    if not isinstance(data, dict):
        raise InvalidAnnotation("An annotation must be a JSON object.")
    if data.get("type", "Annotation") != "Annotation":
        raise InvalidAnnotation('The "type" of an annotation must be "Annotation".')
    parsed = ParsedAnnotation(source_id=data.get("id") if isinstance(data.get("id"), str) else None)
    visibility = data.get("visibility")
    if visibility is not None and visibility not in Visibility.values:
        raise InvalidAnnotation(f'"visibility" must be one of: {", ".join(Visibility.values)}.')
    parsed.visibility = visibility
    session = data.get("session")
    if session is not None:
        parsed.session_id = _whole_number(session, '"session"')
    creator = data.get("creator")
    if isinstance(creator, dict) and isinstance(creator.get("nickname"), str):
        parsed.creator_nickname = creator["nickname"]

    bodies = _as_list(data.get("body"))
    if len(bodies) > 50:
        raise InvalidAnnotation("Too many bodies.")
    for body in bodies:
        if isinstance(body, str):
            parsed.body = _text(body, "A body")
            continue
        if not isinstance(body, dict):
            raise InvalidAnnotation("Each body must be an object or a string.")
        purpose = body.get("purpose")
        value = _text(body.get("value"), "A body's value")
        if purpose == "tagging":
            parsed.tags.append(value)
        elif purpose in (None, "commenting", "describing", "replying"):
            parsed.body = value
        else:
            raise InvalidAnnotation(f'A body\'s "purpose" must be "tagging" or "commenting", not {purpose!r}.')

    target = data.get("target")
    if data.get("motivation") == "replying" or isinstance(target, str):
        if not isinstance(target, str):
            raise InvalidAnnotation("A reply's target must be the URL of the annotation it answers.")
        parsed.reply_to = target
        return parsed
    targets = _as_list(target)
    if len(targets) != 1 or not isinstance(targets[0], dict):
        raise InvalidAnnotation('An annotation needs one "target" with a "source" and a "selector".')
    target = targets[0]
    source = target.get("source")
    if not isinstance(source, str):
        raise InvalidAnnotation('The target\'s "source" must be the address of a document.')
    document = document_from_url(source)
    if document is None:
        raise InvalidAnnotation(f"No document at the target source {source[:200]!r}.")
    parsed.document = document
    selectors = _as_list(target.get("selector"))
    if len(selectors) > 10:
        raise InvalidAnnotation("Too many selectors.")
    for selector in selectors:
        if not isinstance(selector, dict):
            raise InvalidAnnotation("Each selector must be an object.")
        if selector.get("type") == "TextPositionSelector":
            parsed.start = _whole_number(selector.get("start"), "A TextPositionSelector's start")
            parsed.end = _whole_number(selector.get("end"), "A TextPositionSelector's end")
        elif selector.get("type") == "TextQuoteSelector":
            parsed.exact = _text(selector.get("exact"), "A TextQuoteSelector's exact")
            parsed.prefix = _text(selector.get("prefix"), "A TextQuoteSelector's prefix")
            parsed.suffix = _text(selector.get("suffix"), "A TextQuoteSelector's suffix")
    if parsed.start is None and parsed.exact:
        if data.get("state") == "orphaned":
            # Exported after its passage was edited away: it comes back orphaned, quote and all.
            parsed.orphaned = True
            return parsed
        parsed.start, parsed.end = _position_of_quote(parsed)
    if parsed.start is None:
        raise InvalidAnnotation("The target needs a TextPositionSelector or a TextQuoteSelector that matches once.")
    if not parsed.exact and parsed.end is not None:
        # A position alone: the quote is whatever is there.
        text = document.canonical_text
        if 0 <= parsed.start < parsed.end <= len(text):
            parsed.exact = text[parsed.start : parsed.end]
    return parsed


def _position_of_quote(parsed: ParsedAnnotation) -> tuple[int, int]:
    assert parsed.document is not None  # parse_annotation found it before asking
    text = parsed.document.canonical_text
    needle = parsed.prefix + parsed.exact + parsed.suffix
    first = text.find(needle)
    if first == -1 or text.find(needle, first + 1) != -1:
        raise InvalidAnnotation("The TextQuoteSelector does not match exactly one place in the document.")
    start = first + len(parsed.prefix)
    return start, start + len(parsed.exact)


def items_of(data) -> list[dict]:
    """The annotations inside an export: a collection, a page, a list or one annotation."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise InvalidAnnotation("Expected a JSON object or list.")
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        return list(first.get("items", [])) if isinstance(first, dict) else []
    if kind == "AnnotationPage":
        return list(data.get("items", []))
    return [data]


# --- CSV --------------------------------------------------------------------------------------

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
            _iso(a.created_at),
            _iso(a.updated_at),
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
