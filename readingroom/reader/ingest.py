"""What an import does, whoever asked for it (the admin's upload, the command, a background job):
files read and cleaned, the model run over a batch of them at once, then each document stored
with its entities, quotes and shared passages in one transaction. One service, so the steps and
their order are written once, and a document is never left half-imported.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from readingroom.coverage.passages import document_passages_link
from readingroom.coverage.quotes import document_quotes_extract, quotes_refile
from readingroom.entities.extraction import (
    FoundSpan,
    PeopleNames,
    curated_patterns,
    document_extract_entities,
    entities_merge_short_names,
    find_spans_many,
)
from readingroom.library.importing import ImportResult, Prepared, line_removals_record, prepared_store
from readingroom.library.jobs import LostJob
from readingroom.library.models import Document

from . import model_process
from .editing import document_refetched

logger = logging.getLogger(__name__)

# The advisory lock key that serialises storing documents on PostgreSQL ("RR" "ingest").
STORE_LOCK = 0x5252_0001


@dataclass(frozen=True)
class Ingested:
    """What became of one file: the import's result, and why finding its entities or coverage
    failed when it did (the document is then stored alone, and ``extract_entities --pending``
    and ``extract_quotes --pending`` finish it)."""

    result: ImportResult
    error: str = ""

    @property
    def document(self) -> Document | None:
        """The document this file made or changed."""
        return self.result.document if self.result.status in ("imported", "revised") else None


class BatchContext:
    """What a run of batches reads once: the curated patterns and the library's personal names."""

    def __init__(self) -> None:
        self.patterns = curated_patterns()
        self.people = PeopleNames()


def prepared_ingest(
    *,
    prepared: Sequence[Prepared],
    context: BatchContext | None = None,
    on_stored: Callable[[int, Ingested], None] | None = None,
    spans_found: Sequence[list[FoundSpan]] | None = None,
) -> list[Ingested]:
    """Store a batch of prepared files. The model reads the batch's new documents in one pass
    (or has read them already: ``spans_found``, one list for each of ``new_documents(prepared)``);
    then each document, its mentions, quotes and shared passages go in one transaction, with
    whatever ``on_stored(index, outcome)`` writes (a job's item status), so all of it is there or
    none of it. A document whose entities or coverage fail is stored alone and reported."""
    context = context or BatchContext()
    new = new_documents(prepared)
    spans: list[list[FoundSpan] | None]
    if spans_found is not None:
        spans = list(spans_found)
    else:
        try:
            spans = list(find_spans_many(new, patterns=context.patterns))
        except Exception:  # one text the model cannot read: each document is tried alone below
            logger.exception("Entity extraction failed for a batch; trying its documents one by one")
            spans = [None] * len(new)
    spans_of = {id(document): found for document, found in zip(new, spans, strict=True)}
    outcomes: list[Ingested] = []
    for index, item in enumerate(prepared):
        try:
            with transaction.atomic():
                outcome = _store_with_coverage(item, spans_of.get(id(item.document)), context)
                if on_stored is not None:
                    on_stored(index, outcome)
        except LostJob:
            raise
        except Exception as error:  # reported by name; a new document itself is kept
            logger.exception("Finding the entities or coverage of %s failed", item.name)
            why = f"{type(error).__name__}: {error}"
            # The names it had added were rolled back with it: read them afresh.
            context.people = PeopleNames()
            with transaction.atomic():
                if _earlier(item) is not None:
                    # A page fetched again keeps its last good revision; the next fetch tries again.
                    outcome = Ingested(ImportResult(item.name, "error", f"{item.name} could not be revised ({why})"))
                else:
                    outcome = Ingested(prepared_store(item), error=why)
                if on_stored is not None:
                    on_stored(index, outcome)
        outcomes.append(outcome)
    stored = [outcome.document for outcome in outcomes if outcome.document is not None and not outcome.error]
    if stored and (speakers := entities_merge_short_names(documents=stored, people=context.people)):
        quotes_refile(documents=stored, speakers=speakers)
    return outcomes


def new_documents(prepared: Sequence[Prepared]) -> list[Document]:
    """The documents the batch's files make (unsaved): what the model reads."""
    return [item.document for item in prepared if item.document is not None]


# A batch the model process has not read in this long is read here instead (a batch of fifty
# long articles takes it about twenty seconds).
MODEL_PROCESS_SECONDS = 600


class ModelAhead:
    """The entity model reading the next batch in a process of its own while this process stores
    the batch before it: on two cores the model and the database work overlap instead of taking
    turns. The process is started on first use (a new interpreter: it loads Django and the model
    once a job) and reads with one core; anything that goes wrong there leaves the batch to be
    read here, as without it. A new interpreter imports the ``__main__`` of the process that
    starts it: every entry point (manage.py, gunicorn, bench/) guards its work with
    ``if __name__ == "__main__"``. Measured: 100 synthetic articles in batches of 20, 66 s -> 56 s
    on two cores."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def read(self, documents: list[Document], *, patterns: Sequence[dict]) -> Future | None:
        if not documents:
            return None
        try:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=model_process.start
                )
            return self._pool.submit(model_process.read, documents, list(patterns))
        except Exception:
            logger.exception("The model's process could not be started; reading in this one")
            return None

    def spans(self, future: Future | None) -> list[list[FoundSpan]] | None:
        """What the model process found, or None (to be read here) when it failed or took longer
        than ``MODEL_PROCESS_SECONDS``; the process is then let go (a new one for the next batch)."""
        if future is None:
            return None
        try:
            return future.result(timeout=MODEL_PROCESS_SECONDS)
        except Exception:
            logger.exception("The model's process failed on a batch; reading it in this one")
            self.close(wait=False)
            return None

    def close(self, *, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None


def _store_with_coverage(item: Prepared, spans: list[FoundSpan] | None, context: BatchContext) -> Ingested:
    # Workers on PostgreSQL store one document at a time, so that two documents stored at once
    # still see each other's fingerprints and one page fetched twice is one document.
    serialise_stores()
    fetched = item.document
    earlier = _earlier(item)
    if earlier is not None and earlier.deleted_at is not None:
        message = (
            f"{item.name} was imported before as “{earlier.title}”, which a curator deleted: restore it in the admin"
        )
        return Ingested(ImportResult(item.name, "duplicate", message, earlier))
    if earlier is not None and fetched is not None:
        # The same page fetched again: a new revision of its document if its text changed.
        report = document_refetched(document=earlier, fetched=fetched)
        if report.kept_edit:
            return Ingested(
                ImportResult(
                    item.name,
                    "error",
                    f"{fetched.url} changed since it was last fetched, in paragraphs a curator has edited: "
                    f"“{earlier.title}” keeps the curator's text (edit it to take the page's changes)",
                    earlier,
                )
            )
        if not report.changed:
            return Ingested(
                ImportResult(item.name, "duplicate", f"{fetched.url} is unchanged since it was last fetched", earlier)
            )
        # What the source's line rules took out of the page as fetched, to put back should one be turned off.
        line_removals_record(document=earlier, removals=item.line_removals)
        carried = ", a curator's edits carried over" if report.carried else ""
        result = ImportResult(
            item.name,
            "revised",
            f"{fetched.url} changed since it was last fetched: revision {earlier.revision} of “{earlier.title}”"
            f"{carried} ({report.moved} annotation(s) moved, {report.orphaned} orphaned)",
            earlier,
        )
        document = earlier
        if report.carried:
            spans = None  # found in the page as fetched; the text is now the merge: read it again
    else:
        result = prepared_store(item)
        if result.status != "imported" or result.document is None:
            return Ingested(result)
        document = result.document
    document_extract_entities(document=document, patterns=context.patterns, spans=spans, people=context.people)
    document_quotes_extract(document=document)
    document_passages_link(document=document)
    return Ingested(result)


def _earlier(item: Prepared) -> Document | None:
    """The document an earlier fetch of the same page made, if this item is a page."""
    if item.document is None or not item.document.url:
        return None
    # A live document first; a deleted one only when there is no other.
    documents = Document.all_objects.filter(url=item.document.url)
    return documents.order_by(F("deleted_at").asc(nulls_first=True), "pk").first()


def serialise_stores() -> None:
    """Inside a transaction on PostgreSQL: wait until no other transaction is storing a document
    (an advisory lock, let go at commit). SQLite's writers take turns already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STORE_LOCK])
