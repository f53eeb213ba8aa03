"""Highlight versions and the cache keyed by them.

A document's ``HighlightVersion`` goes up on any change to what its highlights show (entity
mentions, quotes, shared passages, annotations, the type or visibility of an entity it mentions):
database triggers keep it (``triggers.py``), so no write path can forget it. Anything rendered
from those rows can be cached under the version and is never served stale.
"""

from __future__ import annotations

import hashlib
import marshal

from django.core.cache import caches
from django.db import connection

from readingroom.fixedsql import column, fetch_fixed

from .models import HighlightVersion

# Bump when the HTML that the same rows give changes (a template-like change in rendering.py),
# so a shared cache never serves the old markup.
RENDERING_VERSION = 2  # 2: links are drawn by links.js, not filled as annotations
CACHE_ALIAS = "highlights"
CACHE_SECONDS = 24 * 3600
MAX_CACHED_CHARACTERS = 2_000_000  # a body larger than this is rendered each time, not kept


def highlight_versions(ids: list[int]) -> dict[int, int]:
    """The documents' highlight versions (0 for a document nothing has changed yet). A caller
    that reads rows for ``highlighted_bodies`` itself reads these first and passes them along."""
    if not ids:
        return {}
    if len(ids) > 8:
        return dict(HighlightVersion.objects.filter(document_id__in=ids).values_list("document_id", "version"))
    # Asked by every page, list and poll-driven refresh for one to five documents: fixed statements.
    return dict(
        fetch_fixed(
            f"highlight-versions-{len(ids)}",
            HighlightVersion,
            lambda quote, meta: (
                f"SELECT {column(meta, 'document_id', quote)}, {column(meta, 'version', quote)} FROM {quote(meta.db_table)}"
                f" WHERE {column(meta, 'document_id', quote)} IN ({', '.join(['%s'] * len(ids))})"
            ),
            list(ids),
            orm=lambda: list(
                HighlightVersion.objects.filter(document_id__in=ids).values_list("document_id", "version")
            ),
        )
    )


def cached_by_version(document_id: int, key: tuple, build):
    """``build()``'s result for this document, kept under its highlight version and ``key`` (which
    must name everything else the result depends on, the reader included); built again after any
    change the triggers count, and kept only if the version did not move while it was built."""
    if not caching_available():
        return build()
    version = highlight_versions([document_id]).get(document_id, 0)
    name = (
        "v:"
        + hashlib.blake2b(marshal.dumps((RENDERING_VERSION, document_id, version, key), 2), digest_size=20).hexdigest()
    )
    cache = caches[CACHE_ALIAS]
    value = cache.get(name)
    if value is None:
        value = build()
        if highlight_versions([document_id]).get(document_id, 0) == version and len(value) <= MAX_CACHED_CHARACTERS:
            cache.set(name, value, CACHE_SECONDS)
    return value


def caching_available() -> bool:
    """The cache is only as good as the triggers that keep the versions: SQLite and PostgreSQL."""
    return connection.vendor in ("sqlite", "postgresql")
