"""Full-text search: PostgreSQL's text search where the database is PostgreSQL, SQLite's FTS5
otherwise. Snippets come back as safe HTML with the matched words in <mark>."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Document

MAX_RESULTS = 50
# Markers no document contains (control characters are refused on import); swapped for <mark>
# after escaping, so a document's own text can never become markup.
_OPEN, _CLOSE = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class DocumentHit:
    document: Document
    snippet: SafeString


def _safe_snippet(raw: str) -> SafeString:
    return mark_safe(escape(raw).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)[:12]


def documents_search(query: str) -> list[DocumentHit]:
    """Documents matching every word of the query, best first."""
    words = query_words(query)
    if not words:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(" ".join(words))
    return _search_sqlite(words)


def _search_postgresql(text: str) -> list[DocumentHit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    # The same expression as the GIN index in migration 0003, so PostgreSQL can use it.
    vector = SearchVector("title", weight="A", config="english") + SearchVector(
        "canonical_text", weight="B", config="english"
    )
    query = SearchQuery(text, config="english", search_type="plain")
    documents = (
        Document.objects.select_related("source")
        .annotate(search=vector, rank=SearchRank(vector, query))
        .filter(search=query)  # vector @@ query: every word, not merely a rank above nothing
        .annotate(
            snippet=SearchHeadline(
                "canonical_text",
                query,
                config="english",
                start_sel=_OPEN,
                stop_sel=_CLOSE,
                max_words=18,
                min_words=8,
                # Fragments around the matches, wherever they are in a long article.
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .defer("raw_text", "canonical_text", "blocks")
        .order_by("-rank", "title")[:MAX_RESULTS]
    )
    return [DocumentHit(d, _safe_snippet(d.snippet)) for d in documents]


def _search_sqlite(words: list[str]) -> list[DocumentHit]:
    # Each word quoted: the query is words to find, never FTS5 syntax.
    match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, snippet(library_document_fts, 1, %s, %s, '…', 24) FROM library_document_fts "
            "WHERE library_document_fts MATCH %s ORDER BY bm25(library_document_fts, 10.0, 1.0) LIMIT %s",
            [_OPEN, _CLOSE, match, MAX_RESULTS],
        )
        rows = cursor.fetchall()
    documents = Document.objects.select_related("source").defer("raw_text", "canonical_text", "blocks").in_bulk(
        [pk for pk, _ in rows]
    )
    return [DocumentHit(documents[pk], _safe_snippet(snippet)) for pk, snippet in rows if pk in documents]
