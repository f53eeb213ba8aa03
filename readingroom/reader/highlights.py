"""Each document's reader HTML with every highlight, rendered once and then served from the cache.

Rendering the marks of a long document with hundreds of annotations is the main cost of the reader
and of the compare page (about 10 ms a document), and reading the rows behind them (mentions,
quotes, passages, annotations) costs a few milliseconds more. Neither is done again while nothing
has changed: the cache key is the document's ``HighlightVersion``, which database triggers bump
on any change to those rows (whatever makes it: a service, a bulk update, the admin), its
revision and a digest of its text, the documents shown beside it, and who is reading: the user
and the sessions they belong to (anonymous readers share entries). A reader is only ever served
HTML rendered for that same key, and a stale entry simply ages out.
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
from readingroom.annotations.selectors import reader_key, shown_on_session_page
from readingroom.coverage.models import Quote
from readingroom.coverage.passages import passage_marks_from_rows, passage_rows
from readingroom.entities.models import Mention
from readingroom.library.models import Document
from readingroom.library.rendering import document_body_html
from readingroom.library.versions import (
    CACHE_ALIAS,
    CACHE_SECONDS,
    MAX_CACHED_CHARACTERS,
    RENDERING_VERSION,
    caching_available,
    highlight_versions,
)
from readingroom.text.marks import Mark

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


def annotation_rows(
    user, document_ids: list[int], *, session=None, sessions: tuple[int, ...] | None = None
) -> tuple[Rows, dict[int, list[int]]]:
    """(document id, start, end, annotation id, first tag id or None) of the anchored threads this
    user may see (in a session: the session's, and the public ones outside any session), by document; and the ids of the orphaned ones
    (read in the same query: a document page lists them). ``sessions``: the user's sessions as
    already read for a cache key, so that the rows are exactly what that key stands for."""
    # Links (#19) are not filled as annotations: the compare page marks every passage of one and
    # draws its connectors (static/js/links.js).
    annotations = Annotation.objects.visible_threads_to(user, sessions=sessions).filter(
        document_id__in=document_ids, relation__isnull=True
    )
    if session is not None:
        annotations = shown_on_session_page(annotations, session)
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
        Mark(
            start, end, (("class", f"entity entity--{entity_type}"), ("data-entity", str(entity_id)), ("tabindex", "0"))
        )
        for _, start, end, entity_id, entity_type in entities
    ]
    marks += [
        Mark(
            start,
            end,
            (("class", f"annotation tag-{first_tag}" if first_tag else "annotation"), ("data-annotation", str(pk))),
        )
        for _, start, end, pk, first_tag in annotations
    ]
    return marks


def _key(document: Document, version: int, shown_ids: tuple[int, ...], viewer: tuple) -> str:
    """marshal's version 2 encodes tuples, numbers and strings unambiguously and without
    back-references: equal inputs give equal bytes."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(marshal.dumps((RENDERING_VERSION, document.pk, document.revision, version, shown_ids, viewer), 2))
    digest.update(marshal.dumps(document.blocks, 2))
    digest.update(document.canonical_text.encode())
    return "hl:" + digest.hexdigest()


@dataclass
class Highlights:
    bodies: dict[int, SafeString]  # by document id
    orphaned: dict[int, list[int]]  # ids of the visible threads whose passage is gone, by document id


def highlighted_bodies(
    user,
    documents: list[Document],
    *,
    session=None,
    compared_ids: list[int] | None = None,
    entities: Rows | None = None,
    versions: dict[int, int] | None = None,
) -> Highlights:
    """Each document's HTML with its entity highlights, its quotes, the annotations this user may
    see (in a session: the session's) and, when compared with others, its shared and unique passages.
    ``entities``: ``entity_rows`` of (at least) these documents, when the caller has them already;
    then also ``versions``, the ``highlight_versions`` it read before them, so that rows older than
    a version are never filed under it."""
    ids = [document.pk for document in documents]
    compared = tuple(compared_ids or ())
    viewer, sessions = reader_key(user)
    viewer += (session.pk if session else None,)
    if entities is not None and versions is None:
        raise ValueError("Pass the highlight versions read before the entity rows.")
    versions = highlight_versions(ids) if versions is None else versions
    # The marks depend on which documents are shown beside this one, not on their order.
    keys = {d.pk: _key(d, versions.get(d.pk, 0), tuple(sorted(compared)), viewer) for d in documents}
    cache = caches[CACHE_ALIAS]
    found = cache.get_many(list(keys.values())) if caching_available() else {}
    bodies: dict[int, SafeString] = {}
    orphaned: dict[int, list[int]] = {}
    for document in documents:
        if keys[document.pk] in found:
            html, orphaned[document.pk] = found[keys[document.pk]]
            bodies[document.pk] = mark_safe(html)
    missing = [document for document in documents if document.pk not in bodies]
    if not missing:
        return Highlights(bodies, orphaned)

    missing_ids = [document.pk for document in missing]
    entities = entity_rows(missing_ids) if entities is None else entities
    quotes = quote_rows(missing_ids)
    annotations, missing_orphans = annotation_rows(user, missing_ids, session=session, sessions=sessions)
    passages = passage_rows(missing_ids, list(compared)) if compared else {}
    rendered = {}
    for document in missing:
        marks = passage_marks_from_rows(document, passages.get(document.pk, []), compared) if compared else []
        marks += marks_from_rows(
            entities.get(document.pk, []), quotes.get(document.pk, []), annotations.get(document.pk, [])
        )
        bodies[document.pk] = document_body_html(document, marks)
        orphaned[document.pk] = missing_orphans.get(document.pk, [])
        rendered[document.pk] = (str(bodies[document.pk]), orphaned[document.pk])
    # Cached only if nothing changed while the rows were read: the version only goes up, so an
    # unchanged version means the rows are those of that version. Very large bodies are not kept.
    if caching_available():
        now = highlight_versions(missing_ids)
        cache.set_many(
            {
                keys[pk]: value
                for pk, value in rendered.items()
                if now.get(pk, 0) == versions.get(pk, 0) and len(value[0]) <= MAX_CACHED_CHARACTERS
            },
            CACHE_SECONDS,
        )
    return Highlights(bodies, orphaned)
