"""Shared and unique passages: sentences that several sources carry (nearly) word for word, and
the ones only one source has.

Every sentence of 40 characters or more is compared with the sentences of the other documents
with rapidfuzz's partial-ratio alignment (the shorter sentence against the best window of the
longer); a score of ``SHARED`` (85) or more over at least ``MIN_SHARED_CHARACTERS`` makes the
pair shared. On the seeds this finds the AFP sentence the Kyiv Post and the Guardian both print.

A document is compared only with the sentences that share one of its sentences' fingerprints
(content-word shingles, stored in ``PassageFingerprint``), and only its own links are replaced:
importing, editing or deleting one document costs the same in a library of 100 or 10,000, and the
ids of the pairs between other documents never change under a reader.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from readingroom.fixedsql import insert_rows
from readingroom.library.models import Document
from readingroom.text.fingerprints import sentence_fingerprints
from readingroom.text.marks import Mark
from readingroom.text.sentences import sentence_spans

from .models import PassageFingerprint, SharedPassage

SHARED = 85.0
MIN_SENTENCE_CHARACTERS = 40
MIN_SHARED_CHARACTERS = 50
QUERY_CHUNK = 500  # fingerprints per query: well under every database's limit on parameters
MIN_SHARED_SHINGLES = 1


@dataclass(frozen=True)
class Sentence:
    document_id: int
    start: int
    end: int
    text: str


def sentences(document: Document) -> list[Sentence]:
    text = document.canonical_text
    return [Sentence(document.pk, start, end, text[start:end]) for start, end in sentence_spans(text, document.blocks)]


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen an alignment to whole words."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _comparable(text: str) -> str:
    # Same length as the text, so alignments are offsets into it.
    return text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


@dataclass(frozen=True)
class Shared:
    """Where two sentences of different documents say the same thing: a span (offsets into its
    document's text) in each, and the alignment's score."""

    a: Sentence
    a_span: tuple[int, int]
    b: Sentence
    b_span: tuple[int, int]
    score: float


def shared_between(a: Sentence, b: Sentence) -> Shared | None:
    """The passage two sentences share, if they share one: the shorter one aligned against the
    best window of the longer (rapidfuzz's partial ratio) scoring ``SHARED`` or more over at
    least ``MIN_SHARED_CHARACTERS``, widened to whole words."""
    # The shorter against the longer; of two as long, the same one whichever is ``a``, so that a
    # pair gives the same passage whichever document was linked first.
    short, long_ = (a, b) if (len(a.text), a.document_id, a.start) <= (len(b.text), b.document_id, b.start) else (b, a)
    short_text, long_text = _comparable(short.text), _comparable(long_.text)
    # The alignment is the whole shorter sentence (m characters) against a window of the longer
    # (k <= m characters) scoring 200·L / (m + k) >= SHARED, L their longest common subsequence:
    # so m >= MIN_SHARED_CHARACTERS and L >= m·SHARED / (200 - SHARED), and the two whole
    # sentences have at least that L in common. Most candidates (they share one content-word
    # shingle) fail that bound, which is many times cheaper to compute than the alignment.
    if len(short_text) < MIN_SHARED_CHARACTERS:
        return None
    if not LCSseq.similarity(short_text, long_text, score_cutoff=int(len(short_text) * SHARED / (200 - SHARED))):
        return None
    alignment = fuzz.partial_ratio_alignment(short_text, long_text, score_cutoff=SHARED)
    if alignment is None or alignment.src_end - alignment.src_start < MIN_SHARED_CHARACTERS:
        return None
    short_start, short_end = _snap(short.text, alignment.src_start, alignment.src_end)
    long_start, long_end = _snap(long_.text, alignment.dest_start, alignment.dest_end)
    short_span = (short.start + short_start, short.start + short_end)
    long_span = (long_.start + long_start, long_.start + long_end)
    a_span, b_span = (short_span, long_span) if short is a else (long_span, short_span)
    return Shared(a=a, a_span=a_span, b=b, b_span=b_span, score=alignment.score)


def comparable_sentences(document: Document) -> list[Sentence]:
    """The sentences long enough to be compared."""
    return [sentence for sentence in sentences(document) if len(sentence.text) >= MIN_SENTENCE_CHARACTERS]


def enough_shared(shared: int, a_shingles: int, b_shingles: int) -> bool:
    """Whether two sentences share enough fingerprints to be compared: ``MIN_SHARED_SHINGLES``,
    or all of the smaller one's when it has fewer.

    Measured with make bench-import (1,050 synthetic articles): requiring two left out 2.3 % of
    the passages comparing every pair finds (recall 0.977), one shingle 0.6 % (0.994), while one
    import in a library of 1,000 cost 1.33x and 1.48x its cost in a library of 100. One it is; a
    shingle's frequency (a common one is no evidence) is the next thing to weigh."""
    return shared >= min(MIN_SHARED_SHINGLES, a_shingles, b_shingles)


@dataclass(frozen=True)
class _Candidate:
    document_id: int
    start: int
    end: int
    shingles: int


def _candidates(document: Document, own: list[Sentence], prints: list[set[int]]) -> dict[_Candidate, list[int]]:
    """The other documents' sentences that share enough fingerprints with one of ``own`` to be
    compared, each with the indexes of those own sentences."""
    by_hash: dict[int, list[int]] = defaultdict(list)
    for index, values in enumerate(prints):
        for value in values:
            by_hash[value].append(index)
    # Counted by plain tuples (document, start, end, shingles, own index): a row is one posting,
    # and a library's postings of a document's shingles grow with the library.
    shared: Counter[tuple[int, int, int, int, int]] = Counter()
    hashes = list(by_hash)
    for chunk_start in range(0, len(hashes), QUERY_CHUNK):
        # By the hash index alone: a join to skip deleted documents here made SQLite walk every
        # document instead (their fingerprints go when they are deleted, and the sentences' texts
        # are read below from live documents only).
        rows = (
            PassageFingerprint.objects.filter(hash__in=hashes[chunk_start : chunk_start + QUERY_CHUNK])
            .exclude(document=document)
            .values_list("hash", "document_id", "start", "end", "shingles")
        )
        for value, other_document, start, end, shingles in rows:
            for index in by_hash[value]:
                shared[(other_document, start, end, shingles, index)] += 1
    found: dict[_Candidate, list[int]] = defaultdict(list)
    for (other_document, start, end, shingles, index), count in shared.items():
        if enough_shared(count, len(prints[index]), shingles):
            found[_Candidate(other_document, start, end, shingles)].append(index)
    return found


SENTENCES_PER_QUERY = 300


def _sentence_texts(candidates: list[_Candidate]) -> dict[tuple[int, int, int], str]:
    """The candidate sentences' texts, cut out of their documents by the database: a candidate
    document's whole text is not read into this process for the sentence or two it shares (the
    texts read grew with the library: 13 ms a document at 2,000 articles). Deleted documents'
    sentences are left out. By place: (document, start, end)."""
    table = connection.ops.quote_name(Document._meta.db_table)
    texts: dict[tuple[int, int, int], str] = {}
    places = sorted({(candidate.document_id, candidate.start, candidate.end) for candidate in candidates})
    for chunk_start in range(0, len(places), SENTENCES_PER_QUERY):
        chunk = places[chunk_start : chunk_start + SENTENCES_PER_QUERY]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH wanted(document_id, start, stop) AS (VALUES {values}) "
                "SELECT wanted.document_id, wanted.start, wanted.stop, "
                "SUBSTR(d.canonical_text, CAST(wanted.start AS INTEGER) + 1, CAST(wanted.stop - wanted.start AS INTEGER)) "
                f"FROM wanted JOIN {table} d ON d.id = wanted.document_id WHERE d.deleted_at IS NULL",
                [value for place in chunk for value in place],
            )
            for document_id, start, stop, text in cursor.fetchall():
                texts[(document_id, start, stop)] = text
    return texts


@transaction.atomic
def document_passages_link(*, document: Document) -> int:
    """Find the passages this document shares with the rest of the library, replacing the ones
    found before; links between other documents are left as they are, ids and all. Returns how
    many pairs were found.

    Only the sentences that share enough content-word shingles with one of this document's are
    compared (``readingroom.text.fingerprints``), so the cost follows how much of the library
    says the same thing, not how big the library is."""
    document_passages_unlink(document=document)
    own = comparable_sentences(document)
    prints = [sentence_fingerprints(sentence.text) for sentence in own]
    candidates = _candidates(document, own, prints)
    texts = _sentence_texts(list(candidates))
    found: list[Shared] = []
    for candidate, indexes in sorted(candidates.items(), key=lambda item: (item[0].document_id, item[0].start)):
        text = texts.get((candidate.document_id, candidate.start, candidate.end))
        if text is None:
            continue  # deleted meanwhile
        other = Sentence(candidate.document_id, candidate.start, candidate.end, text)
        for index in sorted(indexes):
            shared = shared_between(own[index], other)
            if shared is not None:
                found.append(shared)
    _store(found)
    insert_rows(
        PassageFingerprint,
        ("hash", "document", "start", "end", "shingles"),
        [
            (value, document.pk, sentence.start, sentence.end, len(values))
            for sentence, values in zip(own, prints, strict=True)
            for value in values
        ],
    )
    return len(found)


def _store(found: list[Shared]) -> None:
    """Both directions of each shared passage; the two carry the same ``pair``: the id of the
    first."""
    if not found:
        return
    forward = [_row(shared.a, shared.a_span, shared.b, shared.score) for shared in found]
    if connection.features.can_return_rows_from_bulk_insert:
        SharedPassage.objects.bulk_create(forward)
    else:
        for row in forward:
            row.save()
    ids = [row.pk for row in forward]
    for chunk_start in range(0, len(ids), QUERY_CHUNK):
        SharedPassage.objects.filter(pk__in=ids[chunk_start : chunk_start + QUERY_CHUNK]).update(pair=F("pk"))
    SharedPassage.objects.bulk_create(
        [
            _row(shared.b, shared.b_span, shared.a, shared.score, pair=row.pk)
            for shared, row in zip(found, forward, strict=True)
        ]
    )


def _row(sentence: Sentence, span: tuple[int, int], other: Sentence, score: float, pair: int = 0) -> SharedPassage:
    return SharedPassage(
        document_id=sentence.document_id,
        start=span[0],
        end=span[1],
        other_document_id=other.document_id,
        similarity=score,
        pair=pair,
    )


def document_passages_unlink(*, document: Document) -> None:
    """Forget the document's shared passages (both directions) and its fingerprints."""
    SharedPassage.objects.filter(Q(document=document) | Q(other_document=document)).delete()
    PassageFingerprint.objects.filter(document=document).delete()


def documents_passages_link(*, documents: Iterable[Document]) -> int:
    """Link each of these documents in turn (each a transaction of its own), so that documents
    imported together find each other too. Returns how many pairs were found."""
    return sum(document_passages_link(document=document) for document in documents)


def passages_relink_all() -> int:
    """Every shared passage found afresh, document by document, through the index: what to run
    after changing how sentences are split or compared. Returns how many pairs were found."""
    with transaction.atomic():
        SharedPassage.objects.all().delete()
        PassageFingerprint.objects.all().delete()
    return documents_passages_link(documents=Document.objects.order_by("pk").iterator(chunk_size=100))


def passage_rows(document_ids: list[int], shown_ids: list[int]) -> dict[int, list[tuple[int, int, int, int]]]:
    """(start, end, other document, pair) of each document's passages shared with the shown
    documents, sorted, by document (one query for all of them)."""
    found: dict[int, list[tuple[int, int, int, int]]] = {pk: [] for pk in document_ids}
    rows = (
        SharedPassage.objects.filter(document__in=document_ids, other_document_id__in=shown_ids)
        .order_by()
        .values_list("document_id", "start", "end", "other_document_id", "pair")
    )
    for document_id, start, end, other, pair in rows:
        if other != document_id:
            found[document_id].append((start, end, other, pair))
    for spans in found.values():
        spans.sort()
    return found


def passage_marks_from_rows(document: Document, rows: list[tuple[int, int, int, int]], shown_ids) -> list:
    """Marks for a document's shared passages (``passage_rows``) and for its sentences that none
    of the other shown documents has."""
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for start, end, other, pair in rows:
        spans.setdefault((start, end), []).append((other, pair))
    found = [
        Mark(
            start,
            end,
            (
                ("class", "passage passage--shared"),
                ("data-shared-with", " ".join(str(other) for other, _ in sorted(links))),
                ("data-passage-pairs", " ".join(str(pair) for _, pair in sorted(links))),
            ),
        )
        for (start, end), links in spans.items()
    ]
    if any(pk != document.pk for pk in shown_ids):
        for sentence in sentences(document):
            if not any(start < sentence.end and end > sentence.start for start, end in spans):
                found.append(Mark(sentence.start, sentence.end, (("class", "passage passage--unique"),)))
    return found
