"""Reads for coverage pages: quote marks for the reader, quote clusters with their wordings."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Quote, QuoteCluster


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
        .select_related("document__source", "cluster__speaker")
        .defer("document__raw_text", "document__canonical_text", "document__blocks")
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
