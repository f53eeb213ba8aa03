"""Each document's reader HTML with every highlight, rendered once and then served from the cache.

Rendering the marks of a long document with hundreds of annotations is the main cost of the reader
and of the compare page (about 10 ms a document). What it depends on is small and cheap to read:
the document's text and paragraphs, and the rows behind its marks (entity mentions, quotes,
shared passages with the documents shown beside it, and the annotations this reader may see).
Those rows are read on every request (plain tuples, no ordering joins) and their digest is the
cache key, so the HTML is exactly what rendering them would give, whoever changed what and
however: a new annotation, a curator's merge or an edited text gives a new key, and the stale
entry simply ages out of the cache.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import caches
from django.db.models.fields.json import KT
from django.utils.safestring import SafeString, mark_safe

from readingroom.annotations.models import AnchorState, Annotation
from readingroom.coverage.models import Quote
from readingroom.coverage.passages import passage_marks_from_rows, passage_rows
from readingroom.entities.models import Mention

from .models import Document
from .rendering import Mark, document_body_html

# Bump when the HTML that the same rows give changes (a template-like change in rendering.py),
# so a shared cache never serves the old markup.
RENDERING_VERSION = 1
CACHE_ALIAS = "highlights"
CACHE_SECONDS = 24 * 3600

Rows = dict[int, list[tuple]]


def _by_document(rows: Iterable[tuple]) -> Rows:
    """Rows (document id first) grouped by document, each group sorted: the same rows always
    give the same marks in the same order, and so the same digest."""
    grouped: Rows = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    for spans in grouped.values():
        spans.sort()  # every kind of row has a unique id before any column that may be None
    return grouped


def entity_rows(document_ids: list[int]) -> Rows:
    """(document id, start, end, entity id, entity type) of the shown mentions, by document."""
    return _by_document(
        Mention.objects.shown()
        .filter(document_id__in=document_ids)
        .order_by()
        .values_list("document_id", "start", "end", "entity_id", "entity__type")
    )


def quote_rows(document_ids: list[int]) -> Rows:
    """(document id, start, end, quote id, cluster id) of the quotes that belong to a cluster, by document."""
    return _by_document(
        Quote.objects.filter(document_id__in=document_ids, cluster__isnull=False)
        .order_by()
        .values_list("document_id", "start", "end", "pk", "cluster_id")
    )


def annotation_rows(user, document_ids: list[int], *, session=None) -> tuple[Rows, dict[int, list[int]]]:
    """(document id, start, end, annotation id, first tag id or None) of the anchored threads this
    user may see (in a session: the session's), by document; and the ids of the orphaned ones
    (read in the same query: a document page lists them)."""
    annotations = Annotation.objects.visible_threads_to(user).filter(document_id__in=document_ids)
    if session is not None:
        annotations = annotations.filter(session=session)
    # The first tag's id as text straight from the JSON column: no JSON decoding per row.
    rows = annotations.order_by().values_list("document_id", "start", "end", "pk", KT("tag_order__0"), "anchor_state")
    anchored, orphaned = [], defaultdict(list)
    for row in rows:
        if row[5] == AnchorState.ORPHANED:
            orphaned[row[0]].append(row[3])
        else:
            anchored.append(row[:5])
    return _by_document(anchored), orphaned


def marks_from_rows(entities: list[tuple], quotes: list[tuple], annotations: list[tuple]) -> list[Mark]:
    marks = [
        Mark(start, end, (("class", "quote"), ("data-quote-cluster", str(cluster_id)), ("id", f"quote-{pk}")))
        for _, start, end, pk, cluster_id in quotes
    ]
    marks += [
        Mark(start, end, (("class", f"entity entity--{entity_type}"), ("data-entity", str(entity_id)), ("tabindex", "0")))
        for _, start, end, entity_id, entity_type in entities
    ]
    marks += [
        Mark(start, end, (("class", f"annotation tag-{first_tag}" if first_tag else "annotation"), ("data-annotation", str(pk))))
        for _, start, end, pk, first_tag in annotations
    ]
    return marks


def _digest(document: Document, shown_ids: tuple[int, ...], *parts) -> str:
    """A digest of everything the document's HTML is made from. marshal's version 2 encodes the
    tuples, numbers and strings unambiguously and without back-references, so equal inputs give
    equal bytes, and it is some ten times quicker than repr() on a few thousand rows."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(marshal.dumps((RENDERING_VERSION, document.pk, document.revision, document.blocks, shown_ids, parts), 2))
    digest.update(document.canonical_text.encode())
    return "hl:" + digest.hexdigest()


@dataclass
class Highlights:
    bodies: dict[int, SafeString]  # by document id
    orphaned: dict[int, list[int]]  # ids of the visible threads whose passage is gone, by document id


def highlighted_bodies(
    user, documents: list[Document], *, session=None, compared_ids: list[int] | None = None, entities: Rows | None = None
) -> Highlights:
    """Each document's HTML with its entity highlights, its quotes, the annotations this user may
    see (in a session: the session's) and, when compared with others, its shared and unique passages.
    ``entities``: ``entity_rows`` of (at least) these documents, when the caller has them already."""
    ids = [document.pk for document in documents]
    entities = entity_rows(ids) if entities is None else entities
    quotes = quote_rows(ids)
    annotations, orphaned = annotation_rows(user, ids, session=session)
    compared = tuple(compared_ids or ())
    passages = passage_rows(ids, list(compared)) if compared else {}
    inputs = {
        document.pk: (entities.get(document.pk, []), quotes.get(document.pk, []), annotations.get(document.pk, []),
                      passages.get(document.pk, []))
        for document in documents
    }
    keys = {document.pk: _digest(document, compared, inputs[document.pk]) for document in documents}
    cache = caches[CACHE_ALIAS]
    found = cache.get_many(list(keys.values()))
    bodies: dict[int, SafeString] = {}
    rendered = {}
    for document in documents:
        key = keys[document.pk]
        if key in found:
            bodies[document.pk] = mark_safe(found[key])
            continue
        entity_spans, quote_spans, annotation_spans, passage_spans = inputs[document.pk]
        marks = passage_marks_from_rows(document, passage_spans, compared) if compared else []
        marks += marks_from_rows(entity_spans, quote_spans, annotation_spans)
        html = document_body_html(document, marks)
        bodies[document.pk] = html
        rendered[key] = str(html)
    if rendered:
        cache.set_many(rendered, CACHE_SECONDS)
    return Highlights(bodies, orphaned)
