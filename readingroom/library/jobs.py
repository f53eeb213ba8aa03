"""Import jobs: the bookkeeping of files imported in the background (what to import, who holds the
job, how far it got). What importing an item does is the reader's ``readingroom.reader.jobs``."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .fetching import check_url
from .importing import ImportRefused, check_size, read_regular_file
from .models import ImportItem, ImportJob, Source

# A worker that has not stored an item for this long is taken to be gone; its job may be resumed.
STALE_AFTER = timedelta(minutes=2)


class LostJob(Exception):
    """The job was taken over by another worker (this one was taken for gone): stop, store nothing."""


def new_worker_name() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True)
class JobFile:
    """One file for a job: its bytes, or a page's address to fetch, or why it was refused."""

    name: str
    data: bytes = b""
    refusal: str = ""
    url: str = ""


def job_files_from_urls(text: str) -> list[JobFile]:
    """Web addresses pasted one a line (or separated by spaces); a line that is not one is
    refused by name, and the same address twice is fetched once."""
    files: list[JobFile] = []
    seen: set[str] = set()
    for word in text.split():
        try:
            url = check_url(word)
        except ImportRefused as refusal:
            files.append(JobFile(word[:255], refusal=f"“{word[:200]}” {refusal}"))
            continue
        if url not in seen:
            seen.add(url)
            files.append(JobFile(url[:255], url=url))
    return files


def job_files_from_uploads(uploads: Iterable) -> list[JobFile]:
    """Uploaded files (Django's UploadedFile), an oversized one refused before it is read."""
    files = []
    for upload in uploads:
        try:
            check_size(upload.size)
        except ImportRefused as refusal:
            files.append(JobFile(upload.name, refusal=f"“{upload.name}” {refusal}"))
            continue
        files.append(JobFile(upload.name, data=upload.read()))
    return files


@transaction.atomic
def import_job_create(*, files: Iterable[JobFile], source: Source | None = None, user=None) -> ImportJob:
    """A job for these files; a refused file is an item that failed, by name, from the start."""
    job = ImportJob.objects.create(source=source, created_by=user if user and user.is_authenticated else None)
    # Written 200 at a time, so a folder of thousands of files is never all in memory at once.
    items: list[ImportItem] = []
    for position, file in enumerate(files):
        item = ImportItem(
            job=job, position=position, name=file.name[:255], url=file.url, data=None if file.url else file.data
        )
        if file.refusal:
            item.data, item.status, item.message = None, ImportItem.Status.ERROR, file.refusal
            item.finished_at = timezone.now()
        items.append(item)
        job.total += 1
        if len(items) == 200:
            ImportItem.objects.bulk_create(items)
            items = []
    ImportItem.objects.bulk_create(items)
    job.save(update_fields=["total"])
    return job


def import_job_claim(*, job_id: int, worker: str) -> ImportJob | None:
    """Take the job for this worker: a queued one, or a running one whose worker went quiet
    (``STALE_AFTER``). None when it is done, or another worker holds it."""
    now = timezone.now()
    with transaction.atomic():
        taken = ImportJob.objects.filter(pk=job_id).filter(
            Q(status=ImportJob.Status.QUEUED)
            | Q(status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
            | Q(status=ImportJob.Status.RUNNING, worker=worker)
        )
        if not taken.update(status=ImportJob.Status.RUNNING, worker=worker, heartbeat_at=now):
            return None
        job = ImportJob.objects.get(pk=job_id)
        if job.started_at is None:
            job.started_at = now
            job.save(update_fields=["started_at"])
    return job


def import_job_beat(*, job: ImportJob, worker: str) -> None:
    """Say the worker is still at it; raises ``LostJob`` if another worker took the job over.
    Called inside each item's transaction, so a worker that lost its job stores nothing more."""
    if not ImportJob.objects.filter(pk=job.pk, worker=worker).update(heartbeat_at=timezone.now()):
        raise LostJob(f"import job {job.pk} was taken over by another worker")


def import_job_pending(*, job: ImportJob, limit: int, after: int = -1) -> list[ImportItem]:
    """The job's next waiting items, in order; ``after`` a position, those after it (the batch
    being read while the one before it is stored)."""
    waiting = ImportItem.objects.filter(job=job, status=ImportItem.Status.PENDING, position__gt=after)
    return list(waiting.order_by("position")[:limit])


def import_item_done(*, item: ImportItem, status: str, message: str, document=None) -> None:
    """Record an item's outcome and let go of its bytes."""
    ImportItem.objects.filter(pk=item.pk).update(
        status=status, message=message, document=document, data=None, finished_at=timezone.now()
    )


def import_job_finish(*, job: ImportJob, worker: str) -> bool:
    """Mark the job done, unless items are left (then another run goes on with them)."""
    with transaction.atomic():
        if ImportItem.objects.filter(job=job, status=ImportItem.Status.PENDING).exists():
            return False
        return bool(
            ImportJob.objects.filter(pk=job.pk, worker=worker).update(
                status=ImportJob.Status.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now()
            )
        )


def import_jobs_waiting_long() -> list[ImportJob]:
    """Jobs queued more than ``STALE_AFTER`` ago that no worker has taken yet: behind other jobs,
    or their task lost."""
    return list(
        ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=timezone.now() - STALE_AFTER).order_by(
            "pk"
        )
    )


def import_job_task_given(*, job: ImportJob, task_id: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(task_id=task_id)
    job.task_id = task_id


def import_jobs_stalled() -> list[ImportJob]:
    """Running jobs whose worker went quiet: to be resumed."""
    return list(
        ImportJob.objects.filter(
            status=ImportJob.Status.RUNNING, heartbeat_at__lt=timezone.now() - STALE_AFTER
        ).order_by("pk")
    )


@dataclass(frozen=True)
class JobProgress:
    total: int
    done: int
    imported: int
    duplicates: int
    failed: list[tuple[str, str]]  # (file name, why)
    per_second: float | None
    seconds_left: float | None
    stalled: bool

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def import_job_progress(*, job: ImportJob) -> JobProgress:
    counts = dict(
        ImportItem.objects.filter(job=job).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    done = sum(n for status, n in counts.items() if status != ImportItem.Status.PENDING)
    failed = list(
        ImportItem.objects.filter(job=job, status=ImportItem.Status.ERROR)
        .order_by("position")
        .values_list("name", "message")[:200]
    )
    per_second = seconds_left = None
    end = job.finished_at or job.heartbeat_at
    if job.started_at and end and end > job.started_at and done:
        per_second = done / (end - job.started_at).total_seconds()
        seconds_left = (job.total - done) / per_second if job.status != ImportJob.Status.DONE else 0.0
    stalled = (
        job.status == ImportJob.Status.RUNNING
        and job.heartbeat_at is not None
        and job.heartbeat_at < timezone.now() - STALE_AFTER
    )
    return JobProgress(
        total=job.total,
        done=done,
        imported=counts.get(ImportItem.Status.IMPORTED, 0),
        duplicates=counts.get(ImportItem.Status.DUPLICATE, 0),
        failed=failed,
        per_second=per_second,
        seconds_left=seconds_left,
        stalled=stalled,
    )


def job_files_from_paths(paths: Iterable[Path]) -> Iterator[JobFile]:
    """The files' bytes, read one at a time as the job is written; one that cannot be read is
    refused by name."""
    for path in paths:
        try:
            data = read_regular_file(path)
            check_size(len(data))  # the file grew after it was measured
        except ImportRefused as refusal:
            yield JobFile(path.name, refusal=f"“{path.name}” {refusal}")
        except OSError as error:
            yield JobFile(path.name, refusal=f"“{path.name}” could not be read ({error.strerror})")
        else:
            yield JobFile(path.name, data=data)


def import_jobs_visible_to(user):
    """The jobs a user may follow: their own, or every one for staff."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    if user.is_staff:
        return ImportJob.objects.all()
    return ImportJob.objects.filter(created_by=user)
