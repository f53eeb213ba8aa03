"""Full-text search. The database finds and ranks the documents (PostgreSQL's text search where the
database is PostgreSQL, SQLite's FTS5 otherwise); the snippets are cut here, from a bounded window
of each found document's text, as safe HTML with the query's words in <mark>.

Neither database's own snippet function is used: FTS5's snippet() costs the square of a
document's matches (a common word in a 5 MB document took minutes) and ts_headline parses the
whole document. Here every step is bounded: at most MAX_RESULTS documents, ranking on PostgreSQL
over the title and the first RANK_CHARS of the text, snippets from the first SNIPPET_SCAN_CHARS
(or, for a few long documents, a window around the first place a word occurs), at most MAX_MARKS
marked words each.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connection, transaction
from django.db.models import BooleanField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Lower, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Document

MAX_RESULTS = 50
# PostgreSQL ranks on the title and this much of the text (an article's opening paragraphs):
# ts_rank over a whole document means parsing all of it again at query time (1.4 s for 5 MB),
# and for several words its cost grows with the square of their positions. Parsing this much
# takes about a millisecond, for each document found: a stored tsvector column would spare that.
RANK_CHARS = 5_000
# Snippets are looked for in this much of the start of each document's text: a whole news
# article, and at most a megabyte read for a full page of results.
SNIPPET_SCAN_CHARS = 20_000
SNIPPET_CHARS = 240
SNIPPET_LEAD_CHARS = 60
MAX_MARKS = 8
# Where a snippet starts is chosen among this many of the first matches.
MAX_CANDIDATES = 64
# A longer document with no match in its start gets a window around the first place one of the
# words occurs, found by the database in one pass over the text: for the best few only, as that
# pass reads the whole text.
MAX_LOCATED = 5
LOCATED_WINDOW_CHARS = 2_000

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
# A rough English stemmer, for marking words only: which documents match is the database's
# (Porter / Snowball) decision. Longest first; the remainder must keep three letters.
_SUFFIXES = (
    ("ingly", ""),
    ("sses", "ss"),
    ("edly", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "i"),
    ("ied", "i"),
    ("ss", "ss"),
    ("es", ""),
    ("ed", ""),
    ("ly", ""),
    ("s", ""),
)


@dataclass(frozen=True)
class DocumentHit:
    document: Document
    snippet: SafeString


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)[:12]


def documents_search(query: str) -> list[DocumentHit]:
    """Documents matching every word of the query, best first, each with a snippet."""
    words = query_words(query)
    if not words:
        return []
    ids = _ranked_ids_postgresql(words) if connection.vendor == "postgresql" else _ranked_ids_sqlite(words)
    documents = (
        Document.objects.select_related("source")
        .defer("raw_text", "canonical_text", "blocks")
        .annotate(text_start=Substr("canonical_text", 1, SNIPPET_SCAN_CHARS))
        .in_bulk(ids)
    )
    snippets = _snippets({pk: documents[pk].text_start for pk in ids if pk in documents}, _Marker(words))
    return [DocumentHit(documents[pk], snippets[pk]) for pk in ids if pk in documents]


def _ranked_ids_postgresql(words: list[str]) -> list[int]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    query = SearchQuery(" ".join(words), config="english", search_type="plain")
    ranked = SearchVector("title", weight="A", config="english") + SearchVector(
        Substr("canonical_text", 1, RANK_CHARS), weight="B", config="english"
    )
    documents = (
        Document.objects.filter(RawSQL(_FOUND_BY_INDEX, [" ".join(words)], output_field=BooleanField()))
        .annotate(rank=SearchRank(ranked, query))
        .order_by("-rank", "title")
        .values_list("pk", flat=True)[:MAX_RESULTS]
    )
    # Any plan but the GIN index parses every document's whole text again (1.3 s for 5 MB),
    # and the planner, which prices parsing a text alike at any length, may well pick one: a
    # sequential scan on a small table, another index for the query's other conditions. Hence
    # the documents are found by a subquery of their own, run once, where only a sequential
    # scan competes with the index, and that is ruled out for this one statement.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        ids = list(documents)
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
    return ids


# The expression of the GIN index in migration 0003, word for word, so the index answers it.
# ARRAY(...) makes the subquery an init plan: run once, not again for each row of the outer query.
_FOUND_BY_INDEX = """"library_document"."id" = ANY(ARRAY(SELECT id FROM library_document WHERE (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(canonical_text, '')), 'B')
) @@ plainto_tsquery('english', %s)))"""


def _ranked_ids_sqlite(words: list[str]) -> list[int]:
    # Each word quoted: the query is words to find, never FTS5 syntax. bm25() goes once through
    # each document's matches; it is snippet() that compared them with each other.
    match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM library_document_fts WHERE library_document_fts MATCH %s "
            # Deleted documents stay in the index (they can be restored) but are never results.
            "AND rowid NOT IN (SELECT id FROM library_document WHERE deleted_at IS NOT NULL) "
            "ORDER BY bm25(library_document_fts, 10.0, 1.0) LIMIT %s",
            [match, MAX_RESULTS],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _fold(word: str) -> str:
    # As the FTS5 tokenizer's remove_diacritics and PostgreSQL's lower-casing do: café is cafe.
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


@functools.lru_cache(maxsize=4096)  # a text repeats its words: each is worked out once
def _root(word: str) -> str:
    root = _fold(word)
    for suffix, replacement in _SUFFIXES:
        if root.endswith(suffix) and len(root) - len(suffix) >= 3:
            root = root[: -len(suffix)] + replacement
            break
    if len(root) > 3 and root[-1] == root[-2] and root[-1] not in "aeiolsz":
        root = root[:-1]  # running, run
    if len(root) > 3 and root[-1] == "e":
        root = root[:-1]  # hoping, hope
    if len(root) > 3 and root[-1] == "y":
        root = root[:-1] + "i"  # study, studies
    return root


class _Marker:
    """Finds the query's words, in any of their forms, in a piece of text."""

    def __init__(self, words: list[str]):
        self.roots = {_root(word) for word in words}
        # Every form of a word starts with its root, bar a final i that was a y: the regular
        # expression finds those candidates quickly, the root comparison keeps the real ones.
        starts = {root[:-1] if root.endswith("i") and len(root) > 3 else root for root in self.roots}
        self.candidates = re.compile(
            r"\b(?:" + "|".join(re.escape(start) for start in sorted(starts, key=len, reverse=True)) + r")\w*",
            re.IGNORECASE,
        )
        # The longest word is the least likely to sit inside other words: the one to look for
        # in the whole text, plain and lower-cased.
        self.needle = max(starts, key=len)

    def matches(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, root) of each of the query's words in ``text``, lazily: stop reading
        and the rest of the text is never looked at."""
        for found in self.candidates.finditer(text):
            root = _root(found.group())
            if root in self.roots:
                yield found.start(), found.end(), root


def _snippets(text_starts: dict[int, str], marker: _Marker) -> dict[int, SafeString]:
    snippets: dict[int, SafeString] = {}
    to_locate: list[int] = []
    for pk, text in text_starts.items():  # in rank order
        snippet = _marked_snippet(text, marker, more_before=False, more_after=len(text) >= SNIPPET_SCAN_CHARS)
        if snippet is None and len(text) >= SNIPPET_SCAN_CHARS and len(to_locate) < MAX_LOCATED:
            to_locate.append(pk)
        snippets[pk] = snippet if snippet is not None else _plain_snippet(text)
    if to_locate:
        # StrIndex counts from 1 and gives 0 when the text does not hold the needle, or holds it
        # only inside other words: then the window lies in the text's start, where there was no
        # match, and the plain snippet stays. A window with a match lies past the start.
        found_at = StrIndex(Lower("canonical_text"), Value(marker.needle))
        windows = Document.objects.filter(pk__in=to_locate).values_list(
            "pk", Substr("canonical_text", Greatest(found_at - SNIPPET_LEAD_CHARS, 1), LOCATED_WINDOW_CHARS)
        )
        for pk, window in windows:
            snippet = _marked_snippet(window, marker, more_before=True, more_after=len(window) >= LOCATED_WINDOW_CHARS)
            if snippet is not None:
                snippets[pk] = snippet
    return snippets


def _marked_snippet(text: str, marker: _Marker, *, more_before: bool, more_after: bool) -> SafeString | None:
    """About SNIPPET_CHARS of ``text`` around the first matches, with as many different words of
    the query as the first MAX_CANDIDATES matches allow, marked; None when there is no match.
    ``more_before`` and ``more_after``: whether the document goes on beyond ``text``."""
    matches = list(islice(marker.matches(text), MAX_CANDIDATES))
    if not matches:
        return None
    # Which of the first matches to start from: the one followed by the most different words
    # within a snippet's length, the earliest of those. A fixed number of matches, so the
    # comparison of each with each stays small however often the words repeat.
    reach = SNIPPET_CHARS - SNIPPET_LEAD_CHARS
    best, best_count = 0, 0
    if len(marker.roots) > 1:
        for index, (first_start, _, _) in enumerate(matches):
            count = len({root for _, end, root in matches[index:] if end <= first_start + reach})
            if count > best_count:
                best, best_count = index, count
            if count == len(marker.roots):
                break
    first_start, first_end, _ = matches[best]
    start = _word_start(text, max(0, first_start - SNIPPET_LEAD_CHARS), first_start, mid_text=more_before)
    end = _word_end(text, start + SNIPPET_CHARS, first_end)
    marks = [(mark_start, mark_end) for mark_start, mark_end, _ in matches[best:] if mark_end <= end][:MAX_MARKS]
    # Each piece of the document's text escaped on its own and only our <mark> tags added:
    # nothing in a document can become markup, whatever characters it holds.
    pieces = ["… " if more_before or start > 0 else ""]
    position = start
    for mark_start, mark_end in marks:
        pieces += [escape(text[position:mark_start]), "<mark>", escape(text[mark_start:mark_end]), "</mark>"]
        position = mark_end
    pieces += [escape(text[position:end]), " …" if more_after or end < len(text) else ""]
    return mark_safe(_SPACE.sub(" ", "".join(pieces)))


def _plain_snippet(text: str) -> SafeString:
    # A document found by its title, or by a word form the marker does not know: its opening.
    end = _word_end(text, SNIPPET_CHARS, 0)
    return mark_safe(_SPACE.sub(" ", escape(text[:end]) + (" …" if end < len(text) else "")))


def _word_start(text: str, at: int, limit: int, *, mid_text: bool) -> int:
    """``at``, moved forward to the start of a word, but not past ``limit``. ``mid_text``: the
    document goes on before ``text``, which may start inside a word."""
    if (at == 0 and not mid_text) or (at > 0 and text[at - 1].isspace()):
        return at
    space = _SPACE.search(text, at, limit)
    return space.end() if space else at


def _word_end(text: str, at: int, floor: int) -> int:
    """``at``, moved back to the end of a word, but not before ``floor``."""
    if at >= len(text):
        return len(text)
    cut = max(text.rfind(" ", floor, at), text.rfind("\n", floor, at))
    return cut if cut > floor else at
