"""A curator's quote decisions found again in quotes extracted afresh.

Extraction deletes a document's quotes and finds them again with new ids (after an edit, a new
revision fetched, or ``extract_quotes``), so a ``QuoteDecision`` names its quote by its words and
their context in the canonical text. Each time, the decision is pointed at the quote that reads
the same words (the one whose context matches best, then the nearest), or else at a quote whose
words were edited a little (rapidfuzz, as annotations are re-anchored), and its anchor takes
that quote's current words and offsets. A decision whose quote is gone keeps its anchor and
names no quote until one turns up again; it is never deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from readingroom.library.models import Document
from readingroom.text.anchoring import CONTEXT_LENGTH, MIN_QUOTE_SIMILARITY

from .models import Quote, QuoteDecision


def anchor_fields(quote: Quote, text: str) -> dict[str, object]:
    """The anchor a decision on ``quote`` keeps: its words, their offsets and their context."""
    return {
        "document_id": quote.document_id,
        "start": quote.start,
        "end": quote.end,
        "exact": quote.text,
        "prefix": text[max(0, quote.start - CONTEXT_LENGTH) : quote.start],
        "suffix": text[quote.end : quote.end + CONTEXT_LENGTH],
        "quote": quote,
    }


def _context_score(decision: QuoteDecision, quote: Quote, text: str) -> float:
    prefix = text[max(0, quote.start - CONTEXT_LENGTH) : quote.start]
    suffix = text[quote.end : quote.end + CONTEXT_LENGTH]
    return (fuzz.ratio(decision.prefix, prefix) + fuzz.ratio(decision.suffix, suffix)) / 2


def _best_quote(decision: QuoteDecision, quotes: Sequence[Quote], text: str) -> Quote | None:
    same = [quote for quote in quotes if quote.text == decision.exact]
    if same:
        return max(same, key=lambda q: (_context_score(decision, q, text), -abs(q.start - decision.start)))
    scored = [(fuzz.ratio(decision.exact, quote.text), quote) for quote in quotes]
    edited = [(score, quote) for score, quote in scored if score >= MIN_QUOTE_SIMILARITY]
    if not edited:
        return None
    return max(edited, key=lambda pair: (pair[0], -abs(pair[1].start - decision.start)))[1]


def decisions_reanchor(*, document: Document, quotes: Sequence[Quote]) -> list[QuoteDecision]:
    """Point the decisions on this document at its quotes just found (``quotes``), each taking its
    quote's current words and offsets; those whose quote is gone name none. Returns the
    decisions that found their quote."""
    decisions = list(QuoteDecision.objects.filter(document=document))
    if not decisions:
        return []
    text = document.canonical_text
    found = []
    for decision in decisions:
        quote = _best_quote(decision, quotes, text)
        if quote is None:
            decision.quote = None
            continue
        for field, value in anchor_fields(quote, text).items():
            setattr(decision, field, value)
        found.append(decision)
    QuoteDecision.objects.bulk_update(decisions, ["start", "end", "exact", "prefix", "suffix", "quote"])
    return found


def kept_apart(quote_ids: Iterable[int]) -> set[int]:
    """Which of these quotes a curator split off: the machine clusters them with nothing."""
    return set(
        QuoteDecision.objects.filter(kind=QuoteDecision.Kind.SPLIT, quote_id__in=list(quote_ids)).values_list(
            "quote_id", flat=True
        )
    )


def curated_groups(quote_ids: Iterable[int]) -> list[list[int]]:
    """The groups of quotes a curator joined that hold any of these quotes: each group's quotes
    found in the current texts (two at least), whichever of them were asked about."""
    groups = set(
        QuoteDecision.objects.filter(kind=QuoteDecision.Kind.JOIN, quote_id__in=list(quote_ids)).values_list(
            "group", flat=True
        )
    )
    members: dict[object, set[int]] = defaultdict(set)
    rows = QuoteDecision.objects.filter(kind=QuoteDecision.Kind.JOIN, group__in=groups, quote__isnull=False)
    for group, quote_id in rows.values_list("group", "quote_id"):
        members[group].add(quote_id)
    return [sorted(ids) for ids in members.values() if len(ids) >= 2]
