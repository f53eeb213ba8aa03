"""Suggested links (#19): what the machine already knows about the documents on a compare page,
offered as links an annotator accepts, edits or dismisses.

Three kinds, each with the relation it suggests:

- **same quote**: a quote cluster with quotes in two shown documents or more → "same claim" when
  the wordings agree (one may quote part of the other), "different translation" when they differ;
- **shared passage**: a passage two shown documents print (nearly) word for word → "unattributed
  copy" when it is not quoted speech, nearly verbatim, and the document does not name the other's
  publication; "same claim" otherwise;
- **disagreement**: sentences of two documents about the same thing (``text.disagreement``) whose
  figures, days or names differ → "contradicts".

What a user is offered leaves out what a link they can see already joins and what they dismissed
(in a session for that session, elsewhere for them). The candidates depend only on the documents'
rows, so they are computed once per set of documents and their highlight versions (which database
triggers bump on any change to mentions, quotes and passages) and kept in the highlights cache.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import caches

from readingroom.annotations.links import LinkTarget, link_create
from readingroom.annotations.models import Annotation, AnnotationSession, Relation
from readingroom.annotations.selectors import LinkSummary, links_among
from readingroom.annotations.suggestions import SuggestionError, dismissed_suggestion_keys
from readingroom.coverage.models import Quote, SharedPassage
from readingroom.coverage.quotes import normalised_words
from readingroom.entities.models import Mention
from readingroom.library.importing import UNKNOWN_SOURCE_NAME
from readingroom.library.models import Document
from readingroom.library.versions import CACHE_ALIAS, CACHE_SECONDS, caching_available, highlight_versions
from readingroom.text.disagreement import SentenceFacts, disagreement, sentence_facts
from readingroom.text.sentences import sentence_spans

QUOTE, PASSAGE, DISAGREEMENT = "quote", "passage", "disagreement"
KIND_NAMES = {QUOTE: "Same quote", PASSAGE: "Shared passage", DISAGREEMENT: "Disagreement"}
# A shared passage this similar (rapidfuzz's partial ratio, 0–100) over this many characters is a copy.
COPY_SIMILARITY = 95.0
COPY_CHARACTERS = 100
SUGGESTIONS_VERSION = 1  # part of the cache key: bumped when what is suggested changes


@dataclass(frozen=True)
class SuggestedPassage:
    document_id: int
    start: int
    end: int
    exact: str


@dataclass(frozen=True)
class Suggestion:
    """A link the machine suggests: ``key`` names it for as long as its passages are the same."""

    key: str
    kind: str
    relation_slug: str
    reason: str
    passages: tuple[SuggestedPassage, ...]


def suggestion_key(kind: str, passages: Sequence[SuggestedPassage]) -> str:
    spans = sorted((p.document_id, p.start, p.end) for p in passages)
    text = kind + "|" + "|".join(f"{d}:{s}:{e}" for d, s, e in spans)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _suggestion(kind: str, relation: str, reason: str, passages: list[SuggestedPassage]) -> Suggestion:
    return Suggestion(suggestion_key(kind, passages), kind, relation, reason, tuple(passages))


def _overlaps(a: SuggestedPassage, document_id: int, start: int | None, end: int | None) -> bool:
    return start is not None and end is not None and a.document_id == document_id and a.start < end and start < a.end


# --- the candidates, whoever reads ------------------------------------------------------------


def _quote_suggestions(documents: Sequence[Document], order: dict[int, int]) -> list[Suggestion]:
    texts = {d.pk: d.canonical_text for d in documents}
    by_cluster: dict[int, dict[int, tuple[int, int, str]]] = defaultdict(dict)
    rows = (
        Quote.objects.filter(document_id__in=list(texts), cluster__isnull=False)
        .order_by("document_id", "start")
        .values_list("cluster_id", "document_id", "start", "end", "text")
    )
    for cluster_id, document_id, start, end, text in rows:
        by_cluster[cluster_id].setdefault(document_id, (start, end, text))  # a document's first wording
    found = []
    for quotes in by_cluster.values():
        if len(quotes) < 2:
            continue
        ordered = sorted(quotes.items(), key=lambda item: order[item[0]])
        passages = [SuggestedPassage(pk, start, end, texts[pk][start:end]) for pk, (start, end, _) in ordered]
        wordings = [normalised_words(text) for _, (_, _, text) in ordered]
        longest = max(wordings, key=len)
        # One wording inside another is the same words quoted at more or less length.
        same_words = all(wording in longest for wording in wordings)
        relation = "same-claim" if same_words else "different-translation"
        reason = (
            "The same statement, quoted in the same words" if same_words else "The same statement, worded differently"
        )
        found.append(_suggestion(QUOTE, relation, reason, passages))
    return found


def _passage_suggestions(documents: Sequence[Document], order: dict[int, int]) -> list[Suggestion]:
    by_id = {d.pk: d for d in documents}
    ids = list(by_id)
    halves: dict[int, list[tuple[int, int, int, float]]] = defaultdict(list)
    rows = (
        SharedPassage.objects.filter(document_id__in=ids, other_document_id__in=ids)
        .order_by("pair", "document_id")
        .values_list("pair", "document_id", "start", "end", "similarity")
    )
    for pair, document_id, start, end, score in rows:
        halves[pair].append((document_id, start, end, score))
    quoted = defaultdict(list)
    for document_id, start, end in Quote.objects.filter(document_id__in=ids).values_list("document_id", "start", "end"):
        quoted[document_id].append((start, end))
    found = []
    seen = set()
    for pair, sides in halves.items():
        sides = sorted({side[:3]: side for side in sides}.values(), key=lambda side: order[side[0]])
        if len(sides) != 2 or sides[0][0] == sides[1][0]:
            continue
        passages = [
            SuggestedPassage(pk, start, end, by_id[pk].canonical_text[start:end]) for pk, start, end, _ in sides
        ]
        spans = tuple((p.document_id, p.start, p.end) for p in passages)
        if spans in seen or not pair:
            continue
        seen.add(spans)
        found.append(
            _suggestion(PASSAGE, _passage_relation(passages, sides[0][3], by_id, quoted), _passage_reason(), passages)
        )
    return found


def _passage_reason() -> str:
    return "Both articles print this passage (nearly) word for word"


def _passage_relation(passages: list[SuggestedPassage], score: float, by_id: dict[int, Document], quoted) -> str:
    """ "unattributed-copy" for a long, verbatim passage that is not quoted speech in either
    document, where neither names the other's publication; "same-claim" otherwise."""
    for passage in passages:
        inside = sum(
            max(0, min(end, passage.end) - max(start, passage.start)) for start, end in quoted[passage.document_id]
        )
        if inside * 2 >= passage.end - passage.start:
            return "same-claim"
    if score < COPY_SIMILARITY or min(p.end - p.start for p in passages) < COPY_CHARACTERS:
        return "same-claim"
    a, b = (by_id[p.document_id] for p in passages)
    for document, other in ((a, b), (b, a)):
        # The page as imported (its credit lines too), the text and the byline.
        credits = " ".join((document.byline, document.canonical_text, document.raw_text)).casefold()
        if any(name.casefold() in credits for name in _credited_as(other)):
            return "same-claim"
    return "unattributed-copy"


_DATELINE_CREDIT = re.compile(r"\(([A-Z][\w.&' -]{1,40})\)")


def _credited_as(document: Document) -> set[str]:
    """The names a copy of this document would credit: its publication, and the agency its
    dateline names ("BALTIMORE, March 26 (Reuters) -")."""
    names = {document.source.name} if document.source.name and document.source.name != UNKNOWN_SOURCE_NAME else set()
    names.update(match.group(1).strip() for match in _DATELINE_CREDIT.finditer(document.canonical_text[:300]))
    return {name for name in names if len(name) >= 2}


def document_facts(document: Document, mentions: list[tuple[int, int, int, str]]) -> list[SentenceFacts]:
    """Each sentence of the document with its figures, days, entities and topic words;
    ``mentions`` are (start, end, entity id, entity type), sorted."""
    text = document.canonical_text
    published = document.published_at.date() if document.published_at else None
    starts = [mention[0] for mention in mentions]
    found = []
    for start, end in sentence_spans(text, document.blocks):
        inside = mentions[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
        inside = [m for m in inside if m[1] <= end]
        # Trailing spaces are not part of a sentence a reader would pick.
        sentence = text[start:end].rstrip()
        found.append(sentence_facts(text=sentence, start=start, mentions=inside, published=published))
    return found


def _facts_by_document(documents: Sequence[Document]) -> dict[int, list[SentenceFacts]]:
    """Each document's sentence facts, from the cache while its text and mentions are unchanged
    (so adding a column works out the new document's alone)."""
    cache = caches[CACHE_ALIAS] if caching_available() else None
    keys = {}
    found: dict[int, list[SentenceFacts]] = {}
    if cache is not None:
        versions = highlight_versions([d.pk for d in documents])
        keys = {
            d.pk: f"sentence-facts:{SUGGESTIONS_VERSION}:{d.pk}.{d.revision}.{versions.get(d.pk, 0)}" for d in documents
        }
        found = {pk: facts for pk, facts in ((pk, cache.get(key)) for pk, key in keys.items()) if facts is not None}
    missing = [d for d in documents if d.pk not in found]
    if missing:
        rows = _mention_rows([d.pk for d in missing])
        for document in missing:
            found[document.pk] = document_facts(document, rows.get(document.pk, []))
            if cache is not None:
                cache.set(keys[document.pk], found[document.pk], CACHE_SECONDS)
    return found


def _disagreement_suggestions(documents: Sequence[Document]) -> list[Suggestion]:
    facts = _facts_by_document(documents)
    found = []
    for index, a in enumerate(documents):
        for b in documents[index + 1 :]:
            # Only sentences sharing an entity are compared: the index says which.
            by_entity: dict[int, list[int]] = defaultdict(list)
            for position, sentence in enumerate(facts[b.pk]):
                for entity in sentence.entities:
                    by_entity[entity].append(position)
            scored = []
            for a_sentence in facts[a.pk]:
                partners = {p for entity in a_sentence.entities for p in by_entity.get(entity, ())}
                for position in sorted(partners):
                    b_sentence = facts[b.pk][position]
                    found_disagreement = disagreement(a_sentence, b_sentence)
                    if found_disagreement is not None:
                        score = (found_disagreement.shared_entities, found_disagreement.shared_words)
                        scored.append((score, a_sentence, b_sentence, found_disagreement))
            # Each sentence in one suggestion at most, with the partner it has most in common with.
            used: set[tuple[int, int]] = set()
            for _, a_sentence, b_sentence, found_disagreement in sorted(scored, key=lambda item: item[0], reverse=True):
                if (a.pk, a_sentence.start) in used or (b.pk, b_sentence.start) in used:
                    continue
                used.update({(a.pk, a_sentence.start), (b.pk, b_sentence.start)})
                passages = [
                    SuggestedPassage(a.pk, a_sentence.start, a_sentence.end, a_sentence.text),
                    SuggestedPassage(b.pk, b_sentence.start, b_sentence.end, b_sentence.text),
                ]
                found.append(_suggestion(DISAGREEMENT, "contradicts", found_disagreement.reason, passages))
    return found


def _mention_rows(ids: list[int]) -> dict[int, list[tuple[int, int, int, str]]]:
    rows: dict[int, list[tuple[int, int, int, str]]] = defaultdict(list)
    for document_id, start, end, entity, kind in (
        Mention.objects.shown()
        .filter(document_id__in=ids)
        .order_by("document_id", "start", "end")
        .values_list("document_id", "start", "end", "entity_id", "entity__type")
    ):
        rows[document_id].append((start, end, entity, kind))
    return rows


def suggestions_among(documents: Sequence[Document]) -> list[Suggestion]:
    """Every suggestion between these documents (in this order), whoever reads: same quotes,
    shared passages (less those a same-quote suggestion already joins) and disagreements."""
    documents = list(documents)
    if len(documents) < 2:
        return []
    ids = [d.pk for d in documents]
    cache = caches[CACHE_ALIAS] if caching_available() else None
    key = ""
    if cache is not None:
        versions = highlight_versions(ids)
        stamp = ",".join(f"{d.pk}.{d.revision}.{versions.get(d.pk, 0)}" for d in documents)
        key = f"suggestions:{SUGGESTIONS_VERSION}:{hashlib.sha256(stamp.encode()).hexdigest()}"
        if (cached := cache.get(key)) is not None:
            return cached
    order = {pk: index for index, pk in enumerate(ids)}
    quotes = _quote_suggestions(documents, order)
    passages = [
        suggestion
        for suggestion in _passage_suggestions(documents, order)
        if not any(_joined_by(suggestion, quote.passages) for quote in quotes)
    ]
    found = quotes + passages + _disagreement_suggestions(documents)
    if cache is not None:
        cache.set(key, found, CACHE_SECONDS)
    return found


def _joined_by(suggestion: Suggestion, passages: Sequence) -> bool:
    """Whether ``passages`` (a link's or another suggestion's) meet two of the suggestion's
    passages in two different documents: then it says what the suggestion would."""
    met = {
        ours.document_id
        for ours in suggestion.passages
        if any(_overlaps(ours, p.document_id, p.start, p.end) for p in passages)
    }
    return len(met) >= 2


# --- what a user is offered ---------------------------------------------------------------------


def suggestions_for(
    *, user, documents: Sequence[Document], session: AnnotationSession | None = None
) -> list[Suggestion]:
    """The suggestions this user is offered between these documents (the shown columns, which
    the caller has read as this user may see them): none for a visitor who is not signed in,
    none a link they can see already joins, none they dismissed here."""
    if user is None or not user.is_authenticated:
        return []
    documents = list(documents)
    if session is not None:
        in_session = set(session.documents.values_list("pk", flat=True))
        documents = [d for d in documents if d.pk in in_session]
    found = suggestions_among(documents)
    if not found:
        return []
    links: list[LinkSummary] = links_among(user, [d.pk for d in documents], session=session)
    dismissed = dismissed_suggestion_keys(user=user, session=session)
    return [
        suggestion
        for suggestion in found
        if suggestion.key not in dismissed and not any(_joined_by(suggestion, link.passages) for link in links)
    ]


def suggestion_accept(
    *,
    user,
    documents: Sequence[Document],
    key: str,
    session: AnnotationSession | None = None,
    relation: Relation | None = None,
) -> Annotation:
    """The suggestion ``key`` made a link with ``user`` as its author (in ``session`` when on a
    session's page), with the relation suggested or the one given; the same checks as any link."""
    suggestion = next(
        (s for s in suggestions_for(user=user, documents=documents, session=session) if s.key == key), None
    )
    if suggestion is None:
        raise SuggestionError("This suggestion is no longer offered: it was accepted, dismissed or its text changed.")
    if relation is None:
        relation = Relation.objects.filter(slug=suggestion.relation_slug).first()
        if relation is None:
            raise SuggestionError("The relation this suggestion names no longer exists: edit it and choose one.")
    by_id = {d.pk: d for d in documents}
    targets = [LinkTarget(by_id[p.document_id], p.start, p.end, p.exact) for p in suggestion.passages]
    return link_create(user=user, targets=targets, relation=relation, session=session)
