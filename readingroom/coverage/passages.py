"""Shared and unique passages: sentences that several sources carry (nearly) word for word, and
the ones only one source has.

Every sentence of 40 characters or more is compared with the sentences of the other documents
with rapidfuzz's partial-ratio alignment (the shorter sentence against the best window of the
longer); a score of ``SHARED`` (85) or more over at least ``MIN_SHARED_CHARACTERS`` makes the
pair shared. On the seeds this finds the AFP sentence the Kyiv Post and the Guardian both print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from rapidfuzz import fuzz

from readingroom.library.models import Document
from readingroom.text.marks import Mark

from .models import SharedPassage

SHARED = 85.0
MIN_SENTENCE_CHARACTERS = 40
MIN_SHARED_CHARACTERS = 50
SKIPPED_BLOCKS = {"dateline", "label", "byline"}
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[A-Z“\"‘(])")


@dataclass(frozen=True)
class Sentence:
    document_id: int
    start: int
    end: int
    text: str


def sentences(document: Document) -> list[Sentence]:
    found = []
    for block in document.text_blocks():
        if block.kind in SKIPPED_BLOCKS:
            continue
        position = 0
        for part in _SENTENCE_BREAK.split(block.text):
            offset = block.text.find(part, position)
            position = offset + len(part)
            if part.strip():
                found.append(Sentence(document.pk, block.start + offset, block.start + position, part))
    return found


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


@transaction.atomic
def passages_link() -> int:
    """Find every shared passage in the corpus afresh. Returns how many pairs were found."""
    candidates = [
        (sentence, _comparable(sentence.text))
        for document in Document.objects.all()
        for sentence in sentences(document)
        if len(sentence.text) >= MIN_SENTENCE_CHARACTERS
    ]
    links: list[SharedPassage] = []
    for index, (a, comparable_a) in enumerate(candidates):
        for b, comparable_b in candidates[index + 1 :]:
            if a.document_id == b.document_id:
                continue
            short, long_ = (a, b) if len(a.text) <= len(b.text) else (b, a)
            short_text, long_text = (comparable_a, comparable_b) if short is a else (comparable_b, comparable_a)
            alignment = fuzz.partial_ratio_alignment(short_text, long_text, score_cutoff=SHARED)
            if alignment is None or alignment.src_end - alignment.src_start < MIN_SHARED_CHARACTERS:
                continue
            for sentence, other, (start, end) in (
                (short, long_, _snap(short.text, alignment.src_start, alignment.src_end)),
                (long_, short, _snap(long_.text, alignment.dest_start, alignment.dest_end)),
            ):
                links.append(
                    SharedPassage(
                        document_id=sentence.document_id,
                        start=sentence.start + start,
                        end=sentence.start + end,
                        other_document_id=other.document_id,
                        similarity=alignment.score,
                        pair=len(links) // 2 + 1,
                    )
                )
    SharedPassage.objects.all().delete()
    SharedPassage.objects.bulk_create(links)
    return len(links) // 2


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
