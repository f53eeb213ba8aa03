"""Deleting documents so that nothing anyone made is lost by a click.

A curator's delete is soft: the document disappears from every page, list, search and job, but
its row, its annotations (everyone's) and its entity mentions (with the curators' decisions
among them) stay, and restoring it brings them all back. Quotes and shared passages are measured
across documents, so they are removed with it and found again on restoring. Only a superuser's
purge, of documents already deleted and after a page listing whose work goes with them, removes
anything for good.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from readingroom.annotations.models import DELETED_USER, Annotation, AnnotationSession
from readingroom.coverage.services import coverage_forget, coverage_update
from readingroom.library.models import Document


@transaction.atomic
def documents_delete(*, documents: Iterable[Document]) -> int:
    """Soft-delete; returns how many were deleted (already deleted ones count for nothing)."""
    ids = [document.pk for document in documents if document.deleted_at is None]
    if not ids:
        return 0
    # Pairs and clusters between other documents keep their rows and ids.
    coverage_forget(documents=Document.objects.filter(pk__in=ids))
    Document.all_objects.filter(pk__in=ids).update(deleted_at=timezone.now())
    return len(ids)


def documents_restore(*, documents: Iterable[Document]) -> int:
    """Undo a soft delete; quotes and shared passages are found again."""
    with transaction.atomic():
        ids = [document.pk for document in documents if document.deleted_at is not None]
        Document.all_objects.filter(pk__in=ids).update(deleted_at=None)
    restored = list(Document.objects.filter(pk__in=ids))
    if restored:
        coverage_update(documents=restored)
    return len(restored)


@dataclass(frozen=True)
class PurgePlan:
    documents: list[Document]
    # (author, annotations and replies of theirs that go), most first
    annotations_by_author: list[tuple[str, int]]
    sessions: int

    @property
    def annotation_count(self) -> int:
        return sum(count for _, count in self.annotations_by_author)


def purge_plan(*, documents: Iterable[Document]) -> PurgePlan:
    """Whose work a purge of these (deleted) documents takes with it."""
    deleted = [document for document in documents if document.deleted_at is not None]
    ids = [document.pk for document in deleted]
    authors = Counter(
        username or DELETED_USER
        for username in Annotation.objects.filter(document_id__in=ids).values_list("author__username", flat=True)
    )
    return PurgePlan(
        documents=deleted,
        annotations_by_author=authors.most_common(),
        sessions=AnnotationSession.objects.filter(documents__id__in=ids).distinct().count(),
    )


@transaction.atomic
def documents_purge(*, documents: Iterable[Document]) -> PurgePlan:
    """Delete for good documents that were already (soft-)deleted, with everything on them."""
    plan = purge_plan(documents=documents)
    Document.all_objects.filter(pk__in=[document.pk for document in plan.documents]).delete()
    return plan
