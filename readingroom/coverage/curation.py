"""A curator's corrections of quotes: the speaker, splitting a quote off its cluster, joining it
with another quote's. Each is kept as a ``QuoteDecision`` (who, when, and which words of which
document), applied at once and again by every later extraction (``quotes`` and ``decisions``).

A split quote is kept out of every cluster the machine makes, the one it left and any other; only
a curator's join groups it again. A join puts the two quotes in one cluster, merging the clusters
they are in; to move a quote from one statement to another, split it off, then join it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from readingroom.entities.models import Entity
from readingroom.library.models import Document

from .decisions import anchor_fields, kept_apart
from .models import Quote, QuoteDecision, QuoteFingerprint
from .quotes import SPEAKER_TYPES, clusters_recompute, document_quotes_extract, groups_join, quotes_file, with_dates

PERMISSION = "coverage.change_quote"

Curator = User | AnonymousUser


class QuoteCurationError(ValueError):
    """A correction that cannot be made; the message is for the curator."""


def _check_curator(user: Curator) -> None:
    if not user.has_perm(PERMISSION):
        raise PermissionDenied("Only curators can correct quotes.")


def _decide(*, quote: Quote, kind: str, user: Curator, **fields: object) -> QuoteDecision:
    return QuoteDecision.objects.create(
        kind=kind,
        created_by=user if user.is_authenticated else None,
        **anchor_fields(quote, quote.document.canonical_text),
        **fields,
    )


def _leave_groups(quote: Quote) -> None:
    """Take the quote out of the groups a curator joined it to; a group left with one quote is
    no group."""
    rows = QuoteDecision.objects.filter(kind=QuoteDecision.Kind.JOIN, quote=quote)
    groups = set(rows.values_list("group", flat=True))
    rows.delete()
    for group in groups:
        rest = QuoteDecision.objects.filter(kind=QuoteDecision.Kind.JOIN, group=group)
        if rest.count() < 2:
            rest.delete()


def _refile(quote: Quote) -> None:
    """File the quote again as extraction would now: out of its cluster (which is worked out
    again without it), then with the statements it matches unless it was split off, then with
    the quotes a curator joined it to."""
    cluster = quote.cluster_id
    if cluster is not None:
        Quote.objects.filter(pk=quote.pk).update(cluster=None)
        clusters_recompute(cluster_ids=[cluster])
    QuoteFingerprint.objects.filter(quote=quote).delete()
    if not kept_apart([quote.pk]):
        quotes_file(quotes=[with_dates(Quote.objects.filter(pk=quote.pk)).get()])
    groups_join(quote_ids=[quote.pk])
    quote.refresh_from_db(fields=["cluster", "speaker"])


@transaction.atomic
def quote_speaker_set(*, quote: Quote, speaker: Entity | None, user: Curator) -> QuoteDecision:
    """Say who said the quote (a person or organisation; None: nobody named). The quote is then
    filed again with its new speaker: quotes of different speakers are never one statement."""
    _check_curator(user)
    if speaker is not None and speaker.type not in SPEAKER_TYPES:
        raise QuoteCurationError(
            f"{speaker.name} is a {speaker.get_type_display().lower()}: a speaker is a person or an organisation."
        )
    QuoteDecision.objects.filter(kind=QuoteDecision.Kind.SPEAKER, quote=quote).delete()
    decision = _decide(quote=quote, kind=QuoteDecision.Kind.SPEAKER, user=user, speaker=speaker)
    quote.speaker = speaker
    quote.save(update_fields=["speaker"])
    _refile(quote)
    return decision


@transaction.atomic
def quote_split(*, quote: Quote, user: Curator) -> QuoteDecision:
    """Take the quote out of its cluster for good: the rest of the cluster is worked out again
    without it, and no cluster the machine makes takes it again."""
    _check_curator(user)
    if quote.cluster_id is None:
        raise QuoteCurationError("This quote is in no group: there is nothing to split it from.")
    _leave_groups(quote)
    decision = QuoteDecision.objects.filter(kind=QuoteDecision.Kind.SPLIT, quote=quote).first()
    if decision is None:
        decision = _decide(quote=quote, kind=QuoteDecision.Kind.SPLIT, user=user)
    _refile(quote)
    return decision


@transaction.atomic
def quote_join(*, quote: Quote, other: Quote, user: Curator) -> QuoteDecision:
    """Put the quote in one cluster with ``other`` (a quote of another article), merging the
    clusters they are in, and keep them so."""
    _check_curator(user)
    if quote.pk == other.pk:
        raise QuoteCurationError("A quote cannot be joined with itself.")
    if quote.document_id == other.document_id:
        raise QuoteCurationError("Both quotes are in the same article: join it with a quote of another article.")
    if quote.cluster_id is not None and quote.cluster_id == other.cluster_id:
        raise QuoteCurationError("These quotes are in one group already.")
    rows = QuoteDecision.objects.filter(kind=QuoteDecision.Kind.JOIN)
    groups = set(rows.filter(quote__in=[quote, other]).values_list("group", flat=True))
    group = min(groups, key=str) if groups else uuid.uuid4()
    rows.filter(group__in=groups).update(group=group)
    now = timezone.now()
    decision = None
    for member in (quote, other):
        row = rows.filter(quote=member, group=group).first()
        if row is None:
            row = _decide(quote=member, kind=QuoteDecision.Kind.JOIN, user=user, group=group)
        elif member is quote:
            row.created_by, row.created_at = (user if user.is_authenticated else None), now
            row.save(update_fields=["created_by", "created_at"])
        decision = decision or row
    groups_join(quote_ids=[quote.pk])
    quote.refresh_from_db(fields=["cluster"])
    assert decision is not None  # the loop made or found the quote's row
    return decision


@transaction.atomic
def quote_decisions_remove(*, decisions: Iterable[QuoteDecision]) -> int:
    """Forget these decisions; the machine's answer comes back at once (their documents' quotes
    are found and filed again). Returns how many were removed."""
    decisions = list(decisions)
    document_ids = {decision.document_id for decision in decisions}
    groups = {decision.group for decision in decisions if decision.group is not None}
    removed = QuoteDecision.objects.filter(pk__in=[decision.pk for decision in decisions]).delete()[0]
    for group in groups:
        rest = QuoteDecision.objects.filter(kind=QuoteDecision.Kind.JOIN, group=group)
        if rest.count() < 2:
            rest.delete()
    for document in Document.objects.filter(pk__in=document_ids).order_by("pk"):
        document_quotes_extract(document=document)
    return removed
