"""`make bench-import`: how fast Reading Room imports a library of news articles, whether one
import costs the same in a big library as in a small one, and whether the indexes behind shared
passages and quote clusters find what comparing every pair finds (issue #15, item 6).

    .venv/bin/python bench/ingest.py [--sizes 100,1000] [--sample 50] [--batch 100]
        [--check-passages 300] [--seed 15] [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--keep]
        [--from-library /tmp/readingroom-bench-import-XXXX/bench.sqlite3]

The issue's full run is ``--sizes 100,1000,10000 --check-passages 300``: 10,060 articles (with
``--sample 20``), 90 minutes on a quiet 2-CPU machine; ``--sizes 100,1000 --check-passages 300``
(1,100) takes about 15. Prints figures, asserts nothing:

1. Synthetic articles from ``bench/synthetic.py`` (events of three to eight articles, 700 to
   3,500 words, shared wire copy, statements quoted in several wordings), written as .txt files.
2. A throw-away database (``bench/scratch_database.py``: SQLite in a temporary folder, or a new
   database on the PostgreSQL server of ``--database-url``, dropped at the end), with DEBUG off.
   Articles go in through ``manage.py import_documents``, called in this process, so the figures
   cover exactly what the command does: reading and cleaning, entities, quotes and their
   clusters, shared passages. The library is filled up to each size a folder of ``--batch``
   files at a time (the fill's rate is printed), then ``--sample`` new articles are imported one
   command each, each timed: the median per-article time at that size.
3. With ``--check-passages N``, when the library holds N articles: the reference found by
   comparing every pair of comparable sentences of different documents with
   ``shared_between``, as ``tests/test_incremental_coverage.py`` does, against the
   ``SharedPassage`` rows the index stored; and the quote clusters that joining every pair of
   quotes of different documents gives (``joins``, union-find) against the stored clusters, as
   pairs of quotes that share a cluster. Exact, not sampled: see ``passages_reference`` and
   ``quote_pairs_reference`` for the bounds that let most pairs be ruled out cheaply.

Targets: per-article time at the largest size ≤ 1.5 × the time at the smallest; shared passages
and quote pairs: precision and recall ≥ 0.99 each. The last thing printed is a Markdown table
for bench/RESULTS.md, with the command line and the date.
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import os
import platform
import resource
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch_database import drop_scratch, scratch_django  # noqa: E402
from bench.synthetic import Article, articles, write_articles  # noqa: E402

PER_ARTICLE_RATIO_TARGET = 1.5
AGREEMENT_TARGET = 0.99
ROWS_PER_BLOCK = 500  # rows of a score matrix computed at once: memory stays under ~100 MB


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Segment:
    """Articles imported in one stretch, and how long the command took over them."""

    articles: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


@dataclass
class Sample:
    """The sample batch at one library size: each article imported by a command of its own."""

    size: int  # articles in the library when the sample started
    seconds: list[float] = field(default_factory=list)
    words: list[int] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def median_ms_per_1000_words(self) -> float:
        return statistics.median(s / w * 1000 for s, w in zip(self.seconds, self.words, strict=True)) * 1000


@dataclass
class Agreement:
    """The index's rows against the reference's."""

    name: str
    articles: int
    reference: int
    stored: int
    both: int
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.both / self.stored if self.stored else 1.0

    @property
    def recall(self) -> float:
        return self.both / self.reference if self.reference else 1.0


# ---------------------------------------------------------------- importing


class Library:
    """The scratch library, filled through ``import_documents`` from an endless article stream."""

    def __init__(self, workdir: Path, seed: int):
        self.folder = workdir / "articles"
        self.stream: Iterator[Article] = articles(seed)
        self.count = 0
        self.total = Segment()

    def resume(self) -> None:
        """Go on from a library an earlier run filled with the same seed: skip the articles it holds."""
        from readingroom.library.models import Document

        self.count = Document.objects.count()
        held = list(itertools.islice(self.stream, self.count))
        if held and not Document.objects.filter(original_filename=held[-1].filename).exists():
            raise RuntimeError("the library was not filled from this seed's articles (or not in their order)")

    def _next(self, count: int) -> list[Article]:
        return list(itertools.islice(self.stream, count))

    def _import(self, path: Path) -> float:
        from django.core.management import call_command

        output = io.StringIO()
        started = time.perf_counter()
        call_command("import_documents", str(path), verbosity=0, stdout=output, stderr=output)
        return time.perf_counter() - started

    def _words(self, batch: list[Article]) -> int:
        from django.db.models import Sum

        from readingroom.library.models import Document

        names = [article.filename for article in batch]
        found = Document.objects.filter(original_filename__in=names)
        if found.count() != len(batch):
            raise RuntimeError(f"{len(batch)} articles imported, {found.count()} documents stored")
        return found.aggregate(words=Sum("word_count"))["words"] or 0

    def fill(self, size: int, batch_size: int) -> Segment:
        """Import new articles, a folder of ``batch_size`` per command, until the library holds
        ``size``."""
        segment = Segment()
        while self.count < size:
            batch = self._next(min(batch_size, size - self.count))
            folder = self.folder / f"batch-{self.count:06d}"
            write_articles(folder, batch)
            seconds = self._import(folder)
            words = self._words(batch)
            for part in (segment, self.total):
                part.articles += len(batch)
                part.words += words
                part.seconds += seconds
            self.count += len(batch)
            log(
                f"  library {self.count:,}/{size:,}: {len(batch)} articles in {seconds:.1f} s "
                f"({words / seconds:,.0f} words/s)"
            )
        return segment

    def sample(self, count: int) -> Sample:
        """Import ``count`` new articles, one ``import_documents`` per article, each timed."""
        sample = Sample(size=self.count)
        batch = self._next(count)
        paths = write_articles(self.folder / f"sample-{self.count:06d}", batch)
        for article, path in zip(batch, paths, strict=True):
            seconds = self._import(path)
            words = self._words([article])
            sample.seconds.append(seconds)
            sample.words.append(words)
            self.total.articles += 1
            self.total.words += words
            self.total.seconds += seconds
            self.count += 1
        return sample


# ---------------------------------------------------------------- the references


def passages_reference(documents: list) -> tuple[set[tuple[int, int, int, int]], dict[str, int]]:
    """What comparing every pair of comparable sentences of different documents with
    ``shared_between`` finds: (document, start, end, other document), both directions, as in
    ``tests/test_incremental_coverage.py``.

    Calling ``shared_between`` on every pair (hundreds of millions at 300 articles) would take
    hours, so each pair is first put to a bound that every shared pair meets, and only the pairs
    that meet it are compared. ``shared_between`` needs the shorter sentence (m characters, in
    the comparable form its alignment reads) to score ``SHARED`` (85) against some window of the
    longer of at most m characters (k), over at least ``MIN_SHARED_CHARACTERS`` (50) of it: so
    m ≥ 50, and 200·L / (m + k) ≥ 85 where L is the longest common subsequence of the two. With
    L ≤ k that gives k ≥ 0.739·m and L ≥ 0.739·m. The window is part of the longer sentence, so
    the longest common subsequence of the two whole sentences is at least L: a pair whose whole
    sentences have less than 0.73·m in common cannot be shared. rapidfuzz's bit-parallel LCS
    answers that in about 0.1 µs a pair; on these articles about one pair in a thousand passes."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import LCSseq

    from readingroom.coverage.passages import MIN_SHARED_CHARACTERS, _comparable, comparable_sentences, shared_between
    from readingroom.text.fingerprints import sentence_fingerprints

    sentences = []
    for document in documents:  # in import order: the earlier document first in each pair, as the test does
        sentences += [s for s in comparable_sentences(document) if len(s.text) >= MIN_SHARED_CHARACTERS]
    texts = [_comparable(sentence.text) for sentence in sentences]
    lengths = np.array([len(text) for text in texts])
    owners = np.array([sentence.document_id for sentence in sentences])
    found: set[tuple[int, int, int, int]] = set()
    counts = {"sentences": len(sentences), "pairs": 0, "compared": 0, "shared": 0, "no shingle in common": 0}
    for start in range(0, len(texts), ROWS_PER_BLOCK):
        stop = min(len(texts), start + ROWS_PER_BLOCK)
        common = process.cdist(texts[start:stop], texts[start:], scorer=LCSseq.similarity, dtype=np.int32, workers=1)
        rows = np.arange(start, stop)[:, None]
        columns = np.arange(start, len(texts))[None, :]
        shorter = np.minimum(lengths[start:stop, None], lengths[None, start:])
        candidate = (columns > rows) & (owners[start:stop, None] != owners[None, start:]) & (common >= 0.73 * shorter)
        counts["pairs"] += int(((columns > rows) & (owners[start:stop, None] != owners[None, start:])).sum())
        for row, column in zip(*np.nonzero(candidate), strict=True):
            a, b = sentences[start + row], sentences[start + column]
            counts["compared"] += 1
            if shared := shared_between(a, b):
                counts["shared"] += 1
                if not sentence_fingerprints(a.text) & sentence_fingerprints(b.text):
                    counts["no shingle in common"] += 1
                found.add((a.document_id, *shared.a_span, b.document_id))
                found.add((b.document_id, *shared.b_span, a.document_id))
    return found, counts


def quote_pairs_reference(quotes: list) -> tuple[set[tuple[int, int]], dict[str, int]]:
    """The pairs of quotes that share a cluster when every pair of quotes of different documents
    is put to ``joins`` and the joined ones are gathered by union-find (clusters of two
    documents or more; a join is always between two documents).

    ``joins`` needs the mean of the token-set and token-sort ratios of the two quotes' normalised
    words to be ``SAME_SPEAKER_STATEMENT`` (60) or more whatever the speakers; rapidfuzz computes
    both ratios for every pair at once, and ``joins`` itself decides the pairs within a point of
    that."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from readingroom.coverage.grouping import DisjointSets
    from readingroom.coverage.quotes import SAME_SPEAKER_STATEMENT, SHARED_WORDS, joins, normalised_words
    from readingroom.text.fingerprints import quote_fingerprints

    words = [normalised_words(quote.text) for quote in quotes]
    fingerprints = [quote_fingerprints(quote.text) for quote in quotes]
    owners = np.array([quote.document_id for quote in quotes])
    sets = DisjointSets(len(quotes))
    counts = {"quotes": len(quotes), "pairs": 0, "compared": 0, "joined": 0, "below the candidate share": 0}
    for start in range(0, len(words), ROWS_PER_BLOCK):
        stop = min(len(words), start + ROWS_PER_BLOCK)
        token_set = process.cdist(words[start:stop], words[start:], scorer=fuzz.token_set_ratio, workers=1)
        token_sort = process.cdist(words[start:stop], words[start:], scorer=fuzz.token_sort_ratio, workers=1)
        rows = np.arange(start, stop)[:, None]
        columns = np.arange(start, len(words))[None, :]
        comparable = (columns > rows) & (owners[start:stop, None] != owners[None, start:])
        counts["pairs"] += int(comparable.sum())
        candidate = comparable & ((token_set + token_sort) / 2 >= SAME_SPEAKER_STATEMENT - 1)
        for row, column in zip(*np.nonzero(candidate), strict=True):
            counts["compared"] += 1
            i, j = start + int(row), start + int(column)
            if joins(quotes[i], quotes[j]):
                counts["joined"] += 1
                shared = len(fingerprints[i] & fingerprints[j])
                if shared < max(1, math.ceil(SHARED_WORDS * min(len(fingerprints[i]), len(fingerprints[j])))):
                    counts["below the candidate share"] += 1
                sets.union(i, j)
    groups = [[quotes[index].pk for index in group] for group in sets.groups() if len(group) >= 2]
    counts["clusters"] = len(groups)
    return _pairs(groups), counts


def _pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {(a, b) for members in groups for a, b in itertools.combinations(sorted(members), 2)}


def check_passages(library_size: int) -> list[Agreement]:
    """The stored shared passages and quote clusters against the all-pairs references."""
    from readingroom.coverage.models import Quote, SharedPassage
    from readingroom.coverage.quotes import with_dates
    from readingroom.library.models import Document

    log(f"checking shared passages and quote clusters against every pair ({library_size:,} articles)")
    documents = list(Document.objects.order_by("pk"))
    started = time.perf_counter()
    reference, counts = passages_reference(documents)
    seconds = time.perf_counter() - started
    rows = list(SharedPassage.objects.values_list("document_id", "start", "end", "other_document_id"))
    stored = set(rows)
    passages = Agreement(
        "shared passages (rows, both directions)",
        library_size,
        len(reference),
        len(stored),
        len(reference & stored),
        seconds,
    )
    passages.notes.append(
        f"{counts['sentences']:,} sentences of 50 characters or more, {counts['pairs']:,} pairs of different "
        f"documents, {counts['compared']:,} within the bound compared, {counts['shared']:,} shared, "
        f"{counts['no shingle in common']:,} of them with no content-word shingle in common (out of the index's reach)"
    )
    if len(rows) != len(stored):
        passages.notes.append(f"{len(rows) - len(stored):,} stored rows repeat another")
    passages.notes += _examples("missed by the index", reference - stored, documents)
    passages.notes += _examples("stored but not in the reference", stored - reference, documents)

    quotes = list(with_dates(Quote.objects.all()).order_by("document_id", "start"))
    started = time.perf_counter()
    reference_pairs, quote_counts = quote_pairs_reference(quotes)
    seconds = time.perf_counter() - started
    clusters: dict[int, list[int]] = defaultdict(list)
    for pk, cluster in Quote.objects.filter(cluster__isnull=False).values_list("pk", "cluster_id"):
        clusters[cluster].append(pk)
    stored_pairs = _pairs(list(clusters.values()))
    quote_agreement = Agreement(
        "quote pairs sharing a cluster",
        library_size,
        len(reference_pairs),
        len(stored_pairs),
        len(reference_pairs & stored_pairs),
        seconds,
    )
    quote_agreement.notes.append(
        f"{quote_counts['quotes']:,} quotes, {quote_counts['pairs']:,} pairs of different documents, "
        f"{quote_counts['compared']:,} within the bound put to joins, {quote_counts['joined']:,} joined "
        f"({quote_counts['below the candidate share']:,} of them sharing less than the index's candidate share "
        "of content words); "
        f"clusters: {quote_counts['clusters']:,} in the reference, {len(clusters):,} stored"
    )
    by_pk = {quote.pk: quote for quote in quotes}
    for label, pairs in (
        ("missed by the index", reference_pairs - stored_pairs),
        ("stored but not in the reference", stored_pairs - reference_pairs),
    ):
        for a, b in sorted(pairs)[:2]:
            quote_agreement.notes.append(f"{label}: “{by_pk[a].text[:70]}” / “{by_pk[b].text[:70]}”")
    return [passages, quote_agreement]


def _examples(label: str, rows: set[tuple[int, int, int, int]], documents: list) -> list[str]:
    texts = {document.pk: document.canonical_text for document in documents}
    return [
        f"{label}: document {document} “{texts[document][start:end][:90]}” (with document {other})"
        for document, start, end, other in sorted(rows)[:2]
    ]


# ---------------------------------------------------------------- report


def peak_memory() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child (the model's worker processes
    when a batch is big enough for them), in MiB; Linux counts KiB."""
    scale = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale,
    )


def database_line() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            version = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            return f"SQLite {version} ({cursor.fetchone()[0].upper()})"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def report(
    args: argparse.Namespace,
    fills: list[tuple[int, Segment]],
    samples: list[Sample],
    total: Segment,
    agreements: list[Agreement],
    started: float,
) -> str:
    from readingroom.coverage.models import Quote, QuoteCluster, SharedPassage
    from readingroom.library.models import Document

    minutes = (time.perf_counter() - started) / 60
    self_mib, children_mib = peak_memory()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join(["bench/ingest.py", *sys.argv[1:]])
    lines = [
        f"`Reading Room import bench, {when}, {platform.node()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {database_line()}; {command}; {minutes:.1f} min`",
        "",
        "| figure | value | target |",
        "|---|---:|---|",
        f"| import, every article (words/s; import, entities, quotes, shared passages) | {total.words_per_second:,.0f} | |",
    ]
    for size, segment in fills:
        lines.append(
            f"| fill to {size:,} articles, {segment.articles:,} in folders of {args.batch} (words/s) | "
            f"{segment.words_per_second:,.0f} | |"
        )
    for sample in samples:
        lines.append(
            f"| one article, library of {sample.size:,} (median of {len(sample.seconds)}, ms) | "
            f"{sample.median_ms:,.0f} ({sample.median_ms_per_1000_words:,.0f} per 1,000 words) | |"
        )
    if len(samples) >= 2:
        first, last = samples[0], samples[-1]
        ratio = last.median_ms / first.median_ms
        verdict = "met" if ratio <= PER_ARTICLE_RATIO_TARGET else "missed"
        lines.append(
            f"| one article, library of {last.size:,} / of {first.size:,} | {ratio:.2f}× "
            f"({last.median_ms_per_1000_words / first.median_ms_per_1000_words:.2f}× per 1,000 words) | "
            f"≤ {PER_ARTICLE_RATIO_TARGET}×: {verdict} |"
        )
    lines.append(
        f"| peak memory (ru_maxrss: this process / largest child, MiB) | {self_mib:,.0f} / {children_mib:,.0f} | |"
    )
    for agreement in agreements:
        met = min(agreement.precision, agreement.recall) >= AGREEMENT_TARGET
        lines.append(
            f"| {agreement.name} against every pair, {agreement.articles:,} articles: precision / recall | "
            f"{agreement.precision:.4f} / {agreement.recall:.4f} ({agreement.both:,} of {agreement.stored:,} stored, "
            f"{agreement.reference:,} in the reference) | ≥ {AGREEMENT_TARGET} each: {'met' if met else 'missed'} |"
        )
    lines += [
        "",
        f"- library at the end: {Document.objects.count():,} documents, {total.words:,} words imported in "
        f"{total.seconds / 60:.1f} min of import; {SharedPassage.objects.count():,} shared-passage rows, "
        f"{Quote.objects.count():,} quotes, {QuoteCluster.objects.count():,} clusters",
    ]
    for sample in samples:
        lines.append(
            f"- sample at {sample.size:,}: one `import_documents` per article, {sum(sample.words):,} words; "
            f"ms per article min {min(sample.seconds) * 1000:,.0f}, median {sample.median_ms:,.0f}, "
            f"max {max(sample.seconds) * 1000:,.0f}"
        )
    for agreement in agreements:
        lines.append(f"- {agreement.name}: reference computed in {agreement.seconds:.0f} s")
        lines += [f"  - {note}" for note in agreement.notes]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        default="100,1000",
        help="library sizes at which a sample is timed, comma-separated (default 100,1000; the issue's: 100,1000,10000)",
    )
    parser.add_argument("--sample", type=int, default=50, help="articles imported one by one at each size (default 50)")
    parser.add_argument(
        "--batch", type=int, default=100, help="articles per import_documents while filling (default 100)"
    )
    parser.add_argument(
        "--check-passages",
        type=int,
        default=0,
        metavar="N",
        help="when the library holds N articles, compare shared passages and quote clusters with every pair (0: no check)",
    )
    parser.add_argument("--seed", type=int, default=15, help="the synthetic library's seed (default 15)")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        default="",
        help="a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres): a new database there, dropped at "
        "the end unless --keep, instead of SQLite in a temporary folder",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (articles, SQLite database)")
    parser.add_argument(
        "--from-library",
        type=Path,
        metavar="FILE",
        help="start from a copy of the SQLite library an earlier run kept (its bench.sqlite3, same --seed): the "
        "stream of articles goes on where it stopped, so a run to 10,000 can be made in parts",
    )
    args = parser.parse_args()
    if args.from_library and args.database_url:
        parser.error("--from-library takes an SQLite library: leave out --database-url")
    args.size_list = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    if not args.size_list and not args.check_passages:
        parser.error("nothing to do: give --sizes, --check-passages or both")
    return args


def main() -> int:
    args = parse_args()
    started = time.perf_counter()
    os.environ["DEBUG"] = "0"  # as deployed: no query log kept in memory
    workdir = scratch_django(
        "readingroom-bench-import-", postgres_url=args.database_url or None, sqlite_from=args.from_library
    )
    log(f"scratch database and articles in {workdir}")
    from readingroom.entities.extraction import _base_pipeline

    _base_pipeline()  # the model loads once per process: not part of any import's time
    library = Library(workdir, args.seed)
    if args.from_library:
        library.resume()
        log(f"starting from {args.from_library}: {library.count:,} articles")
    fills: list[tuple[int, Segment]] = []
    samples: list[Sample] = []
    agreements: list[Agreement] = []
    milestones = sorted(set(args.size_list) | ({args.check_passages} if args.check_passages else set()))
    try:
        for milestone in milestones:
            if library.count < milestone:
                log(f"filling the library to {milestone:,} articles")
                fills.append((milestone, library.fill(milestone, args.batch)))
            if milestone == args.check_passages:
                agreements = check_passages(library.count)
            if milestone in args.size_list:
                log(f"timing {args.sample} articles imported one by one into a library of {library.count:,}")
                sample = library.sample(args.sample)
                samples.append(sample)
                log(f"  median {sample.median_ms:,.0f} ms per article")
        text = report(args, fills, samples, library.total, agreements, started)
        print(text)
    finally:
        if args.database_url and not args.keep:
            drop_scratch(workdir)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
