"""Running import jobs: in a background worker (Django's tasks API, ``import_job_task``), or in the
process that asked (the import command without ``--background``). Either way the same
``import_job_run``, so the admin's upload, the command and the seeds of ``make run`` import the
same way.

A job is worked through in batches of ``READINGROOM_IMPORT_BATCH`` files. Each item's document
and everything found in it are stored in one transaction with the item's status
(``prepared_ingest``): a worker killed at any moment leaves each item done or untouched, and
resuming the job (``resume_imports``, or any worker's next job) goes on with the untouched ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from datetime import timedelta

from django.conf import settings
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from readingroom.library.feeds import FeedCheck, feed_check, feeds_due
from readingroom.library.fetching import fetch, filename_for
from readingroom.library.importing import ImportRefused, ImportResult, Prepared, document_prepare
from readingroom.library.jobs import (
    JobFile,
    import_item_done,
    import_job_beat,
    import_job_claim,
    import_job_create,
    import_job_finish,
    import_job_pending,
    import_job_task_given,
    import_jobs_stalled,
    import_jobs_waiting_long,
    new_worker_name,
)
from readingroom.library.models import ImportItem, ImportJob

from .ingest import BatchContext, Ingested, ModelAhead, new_documents, prepared_ingest

logger = logging.getLogger(__name__)

_STATUS = {
    "imported": ImportItem.Status.IMPORTED,
    "revised": ImportItem.Status.REVISED,
    "duplicate": ImportItem.Status.DUPLICATE,
    "error": ImportItem.Status.ERROR,
}


def import_job_run(
    *,
    job_id: int,
    worker: str | None = None,
    progress: Callable[[ImportItem, Ingested], None] | None = None,
) -> ImportJob | None:
    """Import the job's waiting items; returns the job, or None when it is done already or another
    live worker holds it."""
    worker = worker or new_worker_name()
    job = import_job_claim(job_id=job_id, worker=worker)
    if job is None:
        return None
    context = BatchContext()
    # With more than one batch to go, the model reads each batch in a process of its own while
    # the one before it is stored (``ModelAhead``).
    ahead = ModelAhead() if settings.READINGROOM_IMPORT_PIPELINE else None
    read: tuple[list[ImportItem], list[Prepared], Future | None] | None = None
    after = -1
    try:
        while True:
            items = import_job_pending(job=job, limit=settings.READINGROOM_IMPORT_BATCH, after=after)
            if items:
                after = items[-1].position
                prepared = []
                for item in items:
                    # Fetching a batch of pages takes a while: say the worker is alive as it goes.
                    import_job_beat(job=job, worker=worker)
                    prepared.append(_prepare(item, job))
                future = None
                if ahead is not None and (read is not None or len(items) == settings.READINGROOM_IMPORT_BATCH):
                    future = ahead.read(new_documents(prepared), patterns=context.patterns)
            if read is not None:
                _store_batch(job, worker, context, *read, ahead=ahead, progress=progress)
            if not items:
                break
            read = (items, prepared, future)
    finally:
        if ahead is not None:
            ahead.close()
    import_job_finish(job=job, worker=worker)
    job.refresh_from_db()
    return job


def _store_batch(
    job: ImportJob,
    worker: str,
    context: BatchContext,
    items: list[ImportItem],
    prepared: list[Prepared],
    future: Future | None,
    *,
    ahead: ModelAhead | None,
    progress: Callable[[ImportItem, Ingested], None] | None,
) -> None:
    def stored(index: int, outcome: Ingested) -> None:
        import_job_beat(job=job, worker=worker)
        result = outcome.result
        message = result.message
        if outcome.error:
            message += f"; its entities or quotes could not be found ({outcome.error}): run extract_entities --pending"
        import_item_done(item=items[index], status=_STATUS[result.status], message=message, document=result.document)

    outcomes = prepared_ingest(
        prepared=prepared,
        context=context,
        on_stored=stored,
        spans_found=ahead.spans(future) if ahead is not None else None,
    )
    if progress is not None:
        for item, outcome in zip(items, outcomes, strict=True):
            progress(item, outcome)


def _prepare(item: ImportItem, job: ImportJob) -> Prepared:
    """The item's file, or its page fetched now, read and cleaned (nothing stored yet)."""
    if not item.url:
        return document_prepare(data=bytes(item.data or b""), filename=item.name, source=job.source)
    try:
        fetched = fetch(item.url)
    except ImportRefused as refusal:
        return Prepared(item.name, refusal=ImportResult(item.name, "error", f"{item.url} {refusal}"))
    except Exception as error:  # whatever a page does, it fails this item alone, never the job
        logger.exception("Fetching %s failed", item.url)
        why = f"could not be fetched ({type(error).__name__})"
        return Prepared(item.name, refusal=ImportResult(item.name, "error", f"{item.url} {why}"))
    return document_prepare(data=fetched.data, filename=filename_for(fetched), source=job.source, url=item.url)


@task()
def import_job_task(job_id: int) -> None:
    """The background worker's entry: run the job, then resume any job whose worker went quiet."""
    import_job_run(job_id=job_id)
    for stalled in import_jobs_stalled():
        import_job_run(job_id=stalled.pk)


def import_job_enqueue(*, job: ImportJob) -> None:
    """Hand the job to the background workers. The database backend writes the task in the
    caller's transaction, so no worker sees it before the job's items are there."""
    result = import_job_task.enqueue(job.pk)
    import_job_task_given(job=job, task_id=str(result.id))


def import_job_task_lost(*, job: ImportJob) -> bool:
    """Whether a job still waiting for a worker has no task left to start it: its task ran, failed
    or is gone (a worker killed after taking the task, before taking the job; results pruned).
    Backends that cannot look a task up (the immediate one runs it at once) never lose one."""
    if job.status != ImportJob.Status.QUEUED:
        return False
    if not job.task_id:
        return True
    if not import_job_task.get_backend().supports_get_result:
        return False
    try:
        result = import_job_task.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return True
    return result.status != TaskResultStatus.READY


def import_jobs_resume(*, among: Iterable[int] | None = None) -> list[ImportJob]:
    """Queue again the jobs whose worker went quiet (killed, or its machine gone) and the queued
    jobs whose task was lost: all of them, or those of them whose ids are ``among``."""
    lost = [job for job in import_jobs_waiting_long() if import_job_task_lost(job=job)]
    resumed = sorted([*import_jobs_stalled(), *lost], key=lambda job: job.pk)
    if among is not None:
        wanted = set(among)
        resumed = [job for job in resumed if job.pk in wanted]
    for job in resumed:
        import_job_enqueue(job=job)
    return resumed


def feeds_poll(*, every: timedelta = timedelta(0)) -> list[tuple[FeedCheck, ImportJob | None]]:
    """Check the feeds due and queue a job for each one's new items (filed under its source)."""
    checked = []
    for feed in feeds_due(every=every):
        check = feed_check(feed=feed)
        job = None
        if check.new_links:
            job = import_job_create(
                files=[JobFile(link[:255], url=link) for link in check.new_links], source=feed.source
            )
            import_job_enqueue(job=job)
        checked.append((check, job))
    return checked
