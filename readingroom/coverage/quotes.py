"""Quoted speech: finding it, saying who said it, and clustering the same statement across sources.

Quotes are found between straight or curly double quotation marks inside a paragraph. The
speaker is read from the grammar of the sentence that holds the quote (``speakers``): the subject
of its verb of saying ("…," Putin told Kim / said Kim / Kim said: "…"), a pronoun or a role ("he
added", "the company said") resolved to the person or organisation the article named for it.

Clustering compares quotes of different documents with rapidfuzz: the mean of the token-set and
token-sort ratios of their words. Two quotes join when that is at least ``SAME_STATEMENT`` (70),
or at least ``SAME_SPEAKER_STATEMENT`` (60) when both have the same known speaker, which lets
translations such as "without haste" / "leisurely … plenty of time" meet while unrelated quotes
of the same size stay apart. (Measured on the seeds: true pairs score 64–91, unrelated ones at
most 66 and never with the same speaker.) A quote whose words (two at least) are a run of another's
("“the entire cost”" of a statement another article quotes whole) joins it whatever the score;
within one document, such a fragment (or one nearly so, by the same speaker) is filed with the
statement the article quoted whole once that statement is in a cluster.

Quotes of articles more than ``SAME_MOMENT`` (a month) apart never join: a leader repeating a
slogan years later is another statement. A new quote is compared only with the quotes that share
enough of its content words (found through ``QuoteFingerprint``), and joins their cluster; removing quotes splits only the clusters
they were in. ``quotes_recluster_all`` rebuilds every cluster from scratch.

A curator's decisions (``QuoteDecision``, found again in each extraction by ``decisions``) come
first, whatever path clusters a quote: a speaker they set is the quote's before it is compared; a
quote they split off gets no fingerprints, so it is nobody's candidate and is filed with nothing;
quotes they joined are put in one cluster after the machine's filing, and a cluster worked out
again keeps them together.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Least
from rapidfuzz import fuzz

from readingroom.entities.models import EntityType, Mention
from readingroom.fixedsql import insert_rows
from readingroom.library.models import Document
from readingroom.text.fingerprints import quote_fingerprints

from .decisions import curated_groups, decisions_reanchor, kept_apart
from .grouping import DisjointSets
from .models import Quote, QuoteCluster, QuoteDecision, QuoteFingerprint
from .speakers import Named, quote_speakers

MIN_WORDS = 5  # shorter quotations are scare quotes or phrases, not statements
SAME_STATEMENT = 70.0
SAME_SPEAKER_STATEMENT = 60.0
SPEAKER_TYPES = (EntityType.PERSON, EntityType.ORGANISATION)
# Two wordings of one statement share this part of the shorter one's content words, at least.
SHARED_WORDS = 0.3
# A run of this many words at least of one quotation inside another is of its statement.
WITHIN_WORDS = 2
# How like a run of a quotation of its own document, by the same speaker, a shorter one must be
# to be a fragment of it (rapidfuzz's partial ratio).
FRAGMENT_LIKENESS = 85.0
# Quotes of articles further apart than this are not one statement, whatever their words.
SAME_MOMENT = timedelta(days=31)
QUOTE_FIELDS = ("id", "document", "text", "speaker", "cluster", "start", "end", "revision")

# Curly or straight marks, or one of each where a copy mixed them ("…” closed by a curly mark).
_QUOTE = re.compile(r"[“\"]([^“”\"\n]{1,2000})[”\"]")
_WORDS = re.compile(r"[\w']+")
# An opening mark at a word's start whose words run, with no mark, to the paragraph's end.
_RUNNING_ON = re.compile(r"(?<![\w,.])[“\"](?=\w)[^“”\"\n]{8,2000}$", re.MULTILINE)


def normalised_words(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").casefold()
    return " ".join(_WORDS.findall(text))


def similarity(a: str, b: str) -> float:
    na, nb = normalised_words(a), normalised_words(b)
    return (fuzz.token_set_ratio(na, nb) + fuzz.token_sort_ratio(na, nb)) / 2


@dataclass(frozen=True)
class FoundQuote:
    start: int
    end: int
    text: str
    speaker_id: int | None


def _named(document: Document) -> list[Named]:
    """The document's person and organisation mentions, the speakers a quotation may have."""
    return [
        Named(start, end, entity_id, kind)
        for start, end, entity_id, kind in Mention.objects.shown()
        .filter(document=document, entity__type__in=SPEAKER_TYPES)
        .order_by("start")
        .values_list("start", "end", "entity_id", "entity__type")
    ]


def find_quotes(document: Document) -> list[FoundQuote]:
    return quotations(document.canonical_text, _named(document))


def quotations(text: str, named: list[Named]) -> list[FoundQuote]:
    """The quotations of a text with their speakers (``named``: its person and organisation
    mentions)."""
    # (opening mark, just after the closing mark or the paragraph's end), (start, end of the words).
    spans = [((m.start(), m.end()), (m.start(1), m.end(1))) for m in _QUOTE.finditer(text)]
    spans = sorted(spans + _running_on(text, spans))
    # Every quotation's sentence is read for its speaker, short ones too: they share sentences.
    speakers = quote_speakers(text, [marks for marks, _ in spans], named)
    found: list[FoundQuote] = []
    for (_, (start, end)), speaker in zip(spans, speakers, strict=True):
        quoted = text[start:end]
        if len(quoted.split()) >= MIN_WORDS:
            found.append(FoundQuote(start, end, quoted, speaker))
    return found


def _running_on(
    text: str, closed: list[tuple[tuple[int, int], tuple[int, int]]]
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Quotations that run on into the next paragraph: opened and not closed before their
    paragraph ends, the next paragraph opening with a quotation mark (the printed convention for
    a quotation of several paragraphs). Each is taken to its paragraph's end."""
    found = []
    for match in _RUNNING_ON.finditer(text):
        start = match.start()
        if any(s <= start < e for (s, e), _ in closed):
            continue
        following = text[match.end() :].lstrip("\n ")
        if not following.startswith(("“", '"')):
            continue
        end = match.start() + len(match.group().rstrip())
        found.append(((start, end), (start + 1, end)))
    return found


@transaction.atomic
def document_quotes_extract(*, document: Document) -> int:
    """Find the document's quotes afresh for its current revision, and file each with the same
    statement in other documents (``quotes_file``). The clusters its old quotes were in are
    worked out again without them. Returns how many quotes were found."""
    document_quotes_forget(document=document)
    quotes = Quote.objects.bulk_create(
        [
            Quote(
                document=document,
                start=q.start,
                end=q.end,
                text=q.text,
                speaker_id=q.speaker_id,
                revision=document.revision,
            )
            for q in find_quotes(document)
        ]
    )
    if quotes and quotes[0].pk is None:  # a database that does not return the new ids
        quotes = list(Quote.objects.filter(document=document).order_by("start"))
    for quote in quotes:
        quote.document = document
    apart = _decisions_apply(document, quotes)
    quotes_file(quotes=[quote for quote in quotes if quote.pk not in apart])
    _fragments_file(document_ids={document.pk, *_documents_sharing_clusters(quotes)}, apart=apart)
    groups_join(quote_ids=[quote.pk for quote in quotes])
    return len(quotes)


def _decisions_apply(document: Document, quotes: list[Quote]) -> set[int]:
    """The curator's decisions on this document found again in its new quotes: the speakers they
    set become the quotes' own. Returns the ids of the quotes they split off."""
    found = decisions_reanchor(document=document, quotes=quotes)
    by_pk = {quote.pk: quote for quote in quotes}
    corrected = []
    for decision in found:
        if decision.kind == QuoteDecision.Kind.SPEAKER and decision.quote_id in by_pk:
            quote = by_pk[decision.quote_id]
            quote.speaker_id = decision.speaker_id
            corrected.append(quote)
    if corrected:
        Quote.objects.bulk_update(corrected, ["speaker"])
    return {
        decision.quote_id
        for decision in found
        if decision.kind == QuoteDecision.Kind.SPLIT and decision.quote_id is not None
    }


def _documents_sharing_clusters(quotes: list[Quote]) -> set[int]:
    """The documents with a quote in a cluster that one of ``quotes`` is in now."""
    clusters = Quote.objects.filter(pk__in=[q.pk for q in quotes], cluster__isnull=False).values("cluster_id")
    return set(Quote.objects.filter(cluster_id__in=clusters).values_list("document_id", flat=True))


def _fragments_file(*, document_ids: set[int], apart: set[int]) -> None:
    """Put each quote of these documents that is in no cluster into the cluster of a quote of
    its own document it is a fragment of (``fragment_of``): the statement the article quoted
    whole, and other articles too. A quote a curator split off (``apart``, and those of the
    decisions) stays out."""
    quotes = list(
        Quote.objects.filter(document_id__in=document_ids).only("id", "document", "text", "speaker", "cluster")
    )
    apart = apart | kept_apart(quote.pk for quote in quotes if quote.cluster_id is None)
    filed: dict[int, list[int]] = defaultdict(list)
    for quote in quotes:
        if quote.cluster_id is not None or quote.pk in apart:
            continue
        home = next(
            (
                other
                for other in quotes
                if other.cluster_id is not None and other.document_id == quote.document_id and fragment_of(quote, other)
            ),
            None,
        )
        if home is not None and home.cluster_id is not None:
            filed[home.cluster_id].append(quote.pk)
    for cluster_id, members in filed.items():
        Quote.objects.filter(pk__in=members).update(cluster_id=cluster_id)
        _cluster_describe(cluster_id)


def groups_join(*, quote_ids: Iterable[int]) -> None:
    """Put each group of quotes a curator joined that holds one of these quotes into one cluster
    (merging the clusters its quotes are in, or making one)."""
    for group in curated_groups(quote_ids):
        now = dict(Quote.objects.filter(pk__in=group).values_list("pk", "cluster_id"))
        clusters = sorted({cluster for cluster in now.values() if cluster is not None})
        if len(clusters) == 1 and all(cluster is not None for cluster in now.values()):
            continue
        target = clusters[0] if clusters else QuoteCluster.objects.create(label="").pk
        if len(clusters) > 1:
            Quote.objects.filter(cluster_id__in=clusters[1:]).update(cluster_id=target)
            QuoteCluster.objects.filter(pk__in=clusters[1:]).delete()
        Quote.objects.filter(pk__in=group).update(cluster_id=target)
        _cluster_describe(target)


def document_quotes_forget(*, document: Document) -> None:
    """Remove the document's quotes, and split or dissolve the clusters that held them."""
    clusters = set(Quote.objects.filter(document=document, cluster__isnull=False).values_list("cluster_id", flat=True))
    Quote.objects.filter(document=document).delete()
    clusters_recompute(cluster_ids=clusters)


def documents_pending_quotes():
    """Documents whose quotes were never found, or found in an older revision."""
    current = Quote.objects.filter(document=OuterRef("pk"), revision=OuterRef("revision"))
    return Document.objects.exclude(Exists(current))


def quoted_within(a: str, b: str) -> bool:
    """Whether the shorter quote's words (``WITHIN_WORDS`` at least) are a run of the longer's:
    a fragment one article quotes ("would pay “the entire cost”") of the statement another
    quotes whole."""
    shorter, longer = sorted((normalised_words(a), normalised_words(b)), key=len)
    return shorter.count(" ") + 1 >= WITHIN_WORDS and f" {shorter} " in f" {longer} "


def fragment_of(a: Quote, b: Quote) -> bool:
    """Whether, of two quotes of one document, the shorter is a fragment of the longer: the
    article quotes a few of the statement's words again ("a “great victory”") in its words
    (``quoted_within``) or nearly (a ``partial_ratio`` of ``FRAGMENT_LIKENESS``, with a speaker
    both have)."""
    if a.speaker_id and b.speaker_id and a.speaker_id != b.speaker_id:
        return False
    if quoted_within(a.text, b.text):
        return True
    shorter, longer = sorted((normalised_words(a.text), normalised_words(b.text)), key=len)
    return (
        bool(a.speaker_id)
        and a.speaker_id == b.speaker_id
        and shorter.count(" ") + 1 >= WITHIN_WORDS
        and fuzz.partial_ratio(shorter, longer) >= FRAGMENT_LIKENESS
    )


def shares_enough_words(a_words: set[int], b_words: set[int]) -> bool:
    """Whether two quotes share ``SHARED_WORDS`` of the shorter one's content words (one at
    least): every wording of one statement measured on the seeds does (a third or more), and the
    index finds exactly these pairs."""
    return len(a_words & b_words) >= _needed(len(a_words), len(b_words))


def _needed(a_count: int, b_count: int) -> int:
    return max(1, math.ceil(SHARED_WORDS * min(a_count, b_count)))


def close_in_time(a: Quote, b: Quote) -> bool:
    """Whether the two quotes' articles appeared within ``SAME_MOMENT`` of each other (or either
    has no date): the same words said again years later are another statement."""
    first, second = a.document.published_at, b.document.published_at
    return first is None or second is None or abs(first - second) <= SAME_MOMENT


EPOCH = date(1970, 1, 1)
# Days either side of a dated quote's day whose quotes can be the same statement: SAME_MOMENT, and
# one more for the hours of the two days (two moments SAME_MOMENT apart are at most that many
# days apart).
WINDOW_DAYS = SAME_MOMENT.days + 1


def publication_day(published_at: datetime | None) -> int | None:
    """The day an article appeared (days since 1970-01-01, UTC) as the quote index keeps it, or
    None for an undated one."""
    if published_at is None:
        return None
    return (published_at.astimezone(UTC).date() - EPOCH).days


def _document_day(document_id: int) -> int | None:
    published = Document.all_objects.filter(pk=document_id).values_list("published_at", flat=True).first()
    return publication_day(published)


def quote_index_redate(*, document: Document) -> None:
    """After a document's date changed without its text: its quotes' index rows take the new day
    (their candidates are looked up within ``WINDOW_DAYS`` of it)."""
    QuoteFingerprint.objects.filter(document=document).update(day=publication_day(document.published_at))


def joins(a: Quote, b: Quote) -> bool:
    """Whether two quotes (of different documents) are the same statement. Their documents are
    read for their dates: load them with ``with_dates``."""
    if a.speaker_id and b.speaker_id and a.speaker_id != b.speaker_id:
        return False
    if not close_in_time(a, b):
        return False
    if not shares_enough_words(quote_fingerprints(a.text), quote_fingerprints(b.text)):
        return False
    if quoted_within(a.text, b.text):
        return True
    score = similarity(a.text, b.text)
    if a.speaker_id and a.speaker_id == b.speaker_id:
        return score >= SAME_SPEAKER_STATEMENT
    return score >= SAME_STATEMENT


def _candidates(quote: Quote, words: set[int], *, day: int | None, same_speaker: bool = False) -> list[Quote]:
    """Quotes of other documents that share enough of this quote's content words
    (``shares_enough_words``), counted and thresholded by the database (a common word is in
    thousands of quotes: only the few that pass come back). With ``same_speaker``, only quotes
    with this quote's speaker. ``day``: the quote's document's ``publication_day``; a dated quote's
    candidates are the undated ones and those within ``WINDOW_DAYS`` (``close_in_time``)."""
    if not words:
        return []
    shared = QuoteFingerprint.objects.filter(hash__in=list(words)).exclude(document_id=quote.document_id)
    if day is not None:
        shared = shared.filter(Q(day__isnull=True) | Q(day__range=(day - WINDOW_DAYS, day + WINDOW_DAYS)))
    if same_speaker:
        shared = shared.filter(speaker_id=quote.speaker_id)
    # count >= ceil(SHARED_WORDS * min(a, b)) is count >= SHARED_WORDS * min(a, b), counts being whole.
    wanted = (
        shared.values("quote_id", "words")
        .annotate(shared=Count("pk"))
        .filter(shared__gte=Value(SHARED_WORDS) * Least(Value(len(words)), F("words"), output_field=FloatField()))
        .values_list("quote_id", flat=True)
    )
    return list(with_dates(Quote.objects.filter(pk__in=list(wanted), document__deleted_at__isnull=True)).order_by("pk"))


def with_dates(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    """The quotes with their documents' dates (what ``joins`` reads), not their texts."""
    return quotes.select_related("document").only(*QUOTE_FIELDS, "document__published_at")


QUOTES_PER_STATEMENT = 400  # content words of a document's quotes looked up in one statement, about


def _candidates_by_quote(
    document_id: int, prints: list[set[int]], *, day: int | None, speakers: list[int | None]
) -> list[list[Quote]]:
    """``_candidates`` for several quotes of one document (their content words ``prints``, their
    ``speakers``), in one statement per few hundred words instead of two queries per quote, whose
    building cost several times what the database took to count (bench/RESULTS.md, 2026-12-02).
    The same rule: shared words counted and thresholded by the database, among the postings a
    quote can join only (``joins``), each read as a range of an index:

    - for a dated document, only the undated quotes and those within ``WINDOW_DAYS`` of ``day``
      (index (hash, day)), so a library that grows over the years costs a new article what the
      weeks around it cost;
    - a quote with a speaker, only the quotes of that speaker and those without one (index (hash,
      speaker, day)): what a quote by somebody else says is never the same statement, and a
      common word's postings are mostly other speakers'. A quote without a speaker reads them all.
    """
    table = connection.ops.quote_name(QuoteFingerprint._meta.db_table)
    found: dict[int, list[int]] = defaultdict(list)
    chunk: list[tuple[int, int, int, int]] = []
    positions = [position for position, words in enumerate(prints) if words]
    # Which postings each wanted word reads: the same speaker's, those without a speaker, or (for
    # a quote without one: speaker 0, no entity's id) those with any speaker.
    postings = f"SELECT wanted.slot, wanted.words AS n, f.quote_id, f.words AS m FROM {table} f JOIN wanted ON f.hash = wanted.hash "
    readers = [
        "AND f.speaker_id = wanted.speaker",
        "AND f.speaker_id IS NULL",
        "AND wanted.speaker = 0 AND f.speaker_id IS NOT NULL",
    ]
    if day is None:
        selects = [postings + f"WHERE f.document_id <> %s {reader}" for reader in readers]
        arguments: list[int] = [document_id] * len(selects)
    else:
        # Separate selects, so that each reads its index as a range: an OR would not.
        selects = [
            postings + f"WHERE {when} AND f.document_id <> %s {reader}"
            for when in ("f.day BETWEEN %s AND %s", "f.day IS NULL")
            for reader in readers
        ]
        arguments = [day - WINDOW_DAYS, day + WINDOW_DAYS, document_id] * len(readers) + [document_id] * len(readers)
    hits = " UNION ALL ".join(selects)
    for number, position in enumerate(positions):
        speaker = speakers[position] or 0
        chunk += [(position, value, len(prints[position]), speaker) for value in sorted(prints[position])]
        if number + 1 < len(positions) and len(chunk) + len(prints[positions[number + 1]]) <= QUOTES_PER_STATEMENT:
            continue
        # A quote's words are never split between statements: its count is one group.
        values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        sql = (
            f"WITH wanted(slot, hash, words, speaker) AS (VALUES {values}), hits AS ({hits}) "
            "SELECT slot, quote_id FROM hits GROUP BY slot, quote_id, n, m "
            "HAVING COUNT(*) >= %s * (CASE WHEN n < m THEN n ELSE m END)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for row in chunk for value in row] + arguments + [SHARED_WORDS])
            for position, quote_id in cursor.fetchall():
                found[position].append(quote_id)
        chunk = []
    wanted = sorted({quote_id for ids in found.values() for quote_id in ids})
    quotes: dict[int, Quote] = {}
    for start in range(0, len(wanted), 500):
        quotes.update(
            (quote.pk, quote)
            for quote in with_dates(
                Quote.objects.filter(pk__in=wanted[start : start + 500], document__deleted_at__isnull=True)
            )
        )
    return [[quotes[pk] for pk in sorted(found[position]) if pk in quotes] for position in range(len(prints))]


def quotes_file(*, quotes: Iterable[Quote], same_speaker: bool = False) -> None:
    """File each new quote: with the quotes of other documents it is the same statement as, in
    their cluster (merging clusters it joins together), or in a new cluster with them. A quote
    nothing matches stays out of every cluster. The result is the same as comparing every pair of
    quotes in the library, at the cost of comparing each with its candidates.

    One document's quotes are never each other's candidates, so theirs are looked up together
    before any of them is filed, and their words go into the index together after."""
    for document_id, group in itertools.groupby(quotes, key=lambda quote: quote.document_id):
        own = list(group)
        prints = [quote_fingerprints(quote.text) for quote in own]
        day = _document_day(document_id)
        if same_speaker:
            candidates = [
                _candidates(quote, words, day=day, same_speaker=True) for quote, words in zip(own, prints, strict=True)
            ]
        else:
            candidates = _candidates_by_quote(
                document_id, prints, day=day, speakers=[quote.speaker_id for quote in own]
            )
        for quote, found in zip(own, candidates, strict=True):
            matches = [other for other in found if joins(quote, other)]
            if matches:
                _file_with(quote, matches)
        insert_rows(
            QuoteFingerprint,
            ("hash", "quote", "document", "words", "day", "speaker"),
            [
                (value, quote.pk, quote.document_id, len(words), day, quote.speaker_id)
                for quote, words in zip(own, prints, strict=True)
                for value in words
            ],
        )


def _file_with(quote: Quote, matches: list[Quote]) -> None:
    """Put ``quote`` in one cluster with ``matches``, merging their clusters."""
    # Clusters as they are now: filing this document's earlier quotes may have merged some.
    now = dict(Quote.objects.filter(pk__in=[other.pk for other in matches]).values_list("pk", "cluster_id"))
    clusters = sorted({now[other.pk] for other in matches if now.get(other.pk) is not None})
    target = clusters[0] if clusters else QuoteCluster.objects.create(label="").pk
    if len(clusters) > 1:
        Quote.objects.filter(cluster_id__in=clusters[1:]).update(cluster_id=target)
        QuoteCluster.objects.filter(pk__in=clusters[1:]).delete()
    loose = [other.pk for other in matches if now.get(other.pk) is None]
    Quote.objects.filter(pk__in=[quote.pk, *loose]).update(cluster_id=target)
    quote.cluster_id = target
    _cluster_describe(target)


@transaction.atomic
def quotes_refile(*, documents: Iterable[Document], speakers: Iterable[int]) -> None:
    """File again these documents' quotes that are in no cluster and whose speaker is one of
    ``speakers``, the entities a short name was merged into after the quotes were filed: two
    quotes that had different speakers ("Putin", "Vladimir Putin") then have one, and the
    same-speaker rule may now join them. Quotes of other speakers were weighed already."""
    loose = list(
        with_dates(
            Quote.objects.filter(document__in=list(documents), cluster__isnull=True, speaker__in=list(speakers))
        ).order_by("document_id", "start")
    )
    apart = kept_apart(quote.pk for quote in loose)
    loose = [quote for quote in loose if quote.pk not in apart]
    QuoteFingerprint.objects.filter(quote__in=loose).delete()
    # Only a pair whose speakers the merge made one can join now: the rest were weighed already.
    quotes_file(quotes=loose, same_speaker=True)


def _cluster_describe(cluster_id: int) -> None:
    """The cluster's speaker (its members' most frequent) and label (its longest wording)."""
    members = list(Quote.objects.filter(cluster_id=cluster_id).only("text", "speaker_id"))
    speakers = [q.speaker_id for q in members if q.speaker_id]
    speaker = max(sorted(set(speakers)), key=speakers.count) if speakers else None
    label = max(members, key=lambda q: len(q.text)).text[:200] if members else ""
    QuoteCluster.objects.filter(pk=cluster_id).update(speaker_id=speaker, label=label)


def clusters_recompute(*, cluster_ids: Iterable[int]) -> None:
    """Work these clusters out again from the quotes left in them (after quotes were removed): a
    cluster is the quotes joined by a chain of same statements, so removing one may split it.
    The largest part keeps the cluster; other parts with two documents or more get new ones;
    a quote left alone, or with only its own document's quotes, leaves the cluster. Quotes a
    curator joined stay together; one they split off is joined by nothing else."""
    for cluster_id in sorted(cluster_ids):
        members = list(with_dates(Quote.objects.filter(cluster_id=cluster_id)).order_by("pk"))
        parts = [part for part in _components(members) if len({q.document_id for q in part}) >= 2]
        parts.sort(key=len, reverse=True)
        kept = {q.pk for part in parts for q in part}
        Quote.objects.filter(pk__in=[q.pk for q in members if q.pk not in kept]).update(cluster=None)
        if not parts:
            QuoteCluster.objects.filter(pk=cluster_id).delete()
            continue
        _cluster_describe(cluster_id)
        for part in parts[1:]:
            cluster = QuoteCluster.objects.create(label="")
            Quote.objects.filter(pk__in=[q.pk for q in part]).update(cluster=cluster)
            _cluster_describe(cluster.pk)


def _components(quotes: list[Quote]) -> list[list[Quote]]:
    """The quotes grouped by chains of same statements between different documents, and by the
    curator's joins (a quote they split off is joined by nothing else)."""
    sets = DisjointSets(len(quotes))
    index = {quote.pk: position for position, quote in enumerate(quotes)}
    apart = kept_apart(index)
    for group in curated_groups(index):
        present = [index[pk] for pk in group if pk in index]
        for other in present[1:]:
            sets.union(present[0], other)
    for i, a in enumerate(quotes):
        if a.pk in apart:
            continue
        for j in range(i + 1, len(quotes)):
            b = quotes[j]
            if b.pk in apart:
                continue
            if sets.same(i, j):
                continue
            if joins(a, b) if a.document_id != b.document_id else fragment_of(a, b):
                sets.union(i, j)
    return [[quotes[index] for index in group] for group in sets.groups()]


def quotes_recluster_all() -> int:
    """Every cluster worked out afresh, quote by quote through the index: what to run after
    changing how quotes are compared. Returns the cluster count."""
    with transaction.atomic():
        Quote.objects.update(cluster=None)
        QuoteCluster.objects.all().delete()
        QuoteFingerprint.objects.all().delete()
        apart = set(
            QuoteDecision.objects.filter(kind=QuoteDecision.Kind.SPLIT, quote__isnull=False).values_list(
                "quote_id", flat=True
            )
        )
        for document in Document.objects.order_by("pk").iterator(chunk_size=100):
            quotes = with_dates(Quote.objects.filter(document=document)).order_by("start")
            quotes_file(quotes=[quote for quote in quotes if quote.pk not in apart])
        joined = QuoteDecision.objects.filter(kind=QuoteDecision.Kind.JOIN, quote__isnull=False)
        groups_join(quote_ids=joined.values_list("quote_id", flat=True))
    return QuoteCluster.objects.count()


def documents_extract_quotes(*, documents: Iterable[Document]) -> int:
    """Quotes for these documents, each filed into the library's clusters as it is found.
    Returns the quote count."""
    return sum(document_quotes_extract(document=document) for document in documents)
