"""Reads for coverage pages: quote marks for the reader, quote clusters with their wordings."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from readingroom.entities.models import Entity, Mention

from .models import Quote, QuoteCluster
from .quotes import SPEAKER_TYPES


def wording_with_differences(text: str, reference: str) -> SafeString:
    """``text`` with the words the reference wording does not share marked."""
    words, reference_words = text.split(), reference.split()

    def key(word: str) -> str:
        return word.replace("’", "'").casefold().strip(".,;:!?“”\"'‘")

    matcher = difflib.SequenceMatcher(a=[key(w) for w in reference_words], b=[key(w) for w in words], autojunk=False)
    shared: set[int] = set()
    for block in matcher.get_matching_blocks():
        shared.update(range(block.b, block.b + block.size))
    parts = [
        escape(word) if index in shared else f'<mark class="differs">{escape(word)}</mark>'
        for index, word in enumerate(words)
    ]
    return mark_safe(" ".join(parts))


@dataclass(frozen=True)
class Wording:
    quote: Quote
    html: SafeString


@dataclass(frozen=True)
class ClusterView:
    cluster: QuoteCluster
    wordings: list[Wording]
    document_ids: list[int]


def quote_clusters(document_ids: list[int] | None = None) -> list[ClusterView]:
    """Clusters (those touching these documents, or all), each wording compared with the longest."""
    quotes = (
        Quote.objects.filter(cluster__isnull=False)
        .select_related("document__source", "cluster__speaker", "speaker")
        .defer("document__raw_text", "document__canonical_text", "document__blocks")
        .filter(document__deleted_at__isnull=True)
    )
    if document_ids:
        quotes = quotes.filter(cluster__quotes__document_id__in=document_ids).distinct()
    by_cluster: dict[int, list[Quote]] = defaultdict(list)
    for quote in quotes.order_by("cluster_id", "document__source__name", "start"):
        if quote.cluster_id is not None:  # the queryset holds clustered quotes only
            by_cluster[quote.cluster_id].append(quote)
    views = []
    for members in by_cluster.values():
        reference = max(members, key=lambda q: len(q.text)).text
        views.append(
            ClusterView(
                cluster=members[0].cluster,  # type: ignore[arg-type]  # clustered, as above
                wordings=[Wording(q, wording_with_differences(q.text, reference)) for q in members],
                document_ids=list(dict.fromkeys(q.document_id for q in members)),
            )
        )
    views.sort(key=lambda view: (-len(view.document_ids), view.cluster.label))
    return views


def quotes_alone(document_ids: list[int]) -> list[Quote]:
    """The quotes of these documents that are in no cluster (no other source has them, or a
    curator split them off), by document and position."""
    return list(
        Quote.objects.filter(document_id__in=document_ids, cluster__isnull=True, document__deleted_at__isnull=True)
        .select_related("document__source", "speaker")
        .defer("document__raw_text", "document__canonical_text", "document__blocks")
        .order_by("document__source__name", "document_id", "start")
    )


def quote_for_curation(pk: int) -> Quote | None:
    """A quote of a document that is not deleted, with what the curation panel shows."""
    return (
        Quote.objects.select_related("document__source", "speaker", "cluster")
        .filter(pk=pk, document__deleted_at__isnull=True)
        .first()
    )


@dataclass(frozen=True)
class SpeakerChoices:
    """The people and organisations a quote's speaker may be: first those its own article names,
    then those the other articles on the page name."""

    in_article: list[Entity]
    elsewhere: list[Entity]


def _named_in(document_ids: list[int]) -> list[Entity]:
    named = Mention.objects.shown().filter(document_id__in=document_ids).values("entity_id")
    return list(Entity.objects.shown().filter(type__in=SPEAKER_TYPES, pk__in=named).order_by("name", "pk"))


def speaker_choices(quote: Quote, document_ids: list[int]) -> SpeakerChoices:
    others = set(document_ids)
    if quote.cluster_id is not None:
        others |= set(Quote.objects.filter(cluster_id=quote.cluster_id).values_list("document_id", flat=True))
    others.discard(quote.document_id)
    in_article = _named_in([quote.document_id])
    if quote.speaker is not None and quote.speaker not in in_article:
        in_article.insert(0, quote.speaker)  # the current speaker is always a choice
    seen = {entity.pk for entity in in_article}
    return SpeakerChoices(in_article, [entity for entity in _named_in(sorted(others)) if entity.pk not in seen])


@dataclass(frozen=True)
class JoinChoice:
    quote_id: int
    label: str


JOIN_CHOICES = 300  # options of each kind at most: a select longer than this helps nobody


def join_choices(quote: Quote, document_ids: list[int]) -> tuple[list[JoinChoice], list[JoinChoice]]:
    """What a quote may be joined with: the other statements' groups (those touching these
    documents, or all), one option each; and the quotes of other documents among these that are
    in no group."""
    clustered = Quote.objects.filter(cluster__isnull=False, document__deleted_at__isnull=True).exclude(
        document_id=quote.document_id
    )
    if quote.cluster_id is not None:
        clustered = clustered.exclude(cluster_id=quote.cluster_id)
    if document_ids:
        clustered = clustered.filter(cluster__quotes__document_id__in=document_ids).distinct()
    groups: dict[int, Quote] = {}
    for member in clustered.select_related("cluster__speaker").order_by("cluster_id", "pk"):
        if member.cluster_id is not None and len(groups) < JOIN_CHOICES:
            groups.setdefault(member.cluster_id, member)
    group_choices = [
        JoinChoice(
            member.pk,
            f"{member.cluster.speaker.name if member.cluster and member.cluster.speaker else 'Unattributed'}: "
            f"“{Truncator(member.cluster.label if member.cluster else member.text).chars(90)}”",
        )
        for member in sorted(groups.values(), key=lambda q: q.cluster.label if q.cluster else q.text)
    ]
    alone = [
        JoinChoice(other.pk, f"{other.document.source.name}: “{Truncator(other.text).chars(90)}”")
        for other in quotes_alone([pk for pk in document_ids if pk != quote.document_id])[:JOIN_CHOICES]
        if other.pk != quote.pk
    ]
    return group_choices, alone
