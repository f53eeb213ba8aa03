"""Keeping coverage (quotes and their clusters, shared passages) in step with the documents."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from readingroom.library.models import Document

from .passages import document_passages_link, document_passages_unlink
from .quotes import document_quotes_extract, document_quotes_forget


def coverage_update(*, documents: Iterable[Document]) -> int:
    """Find these documents' quotes and shared passages afresh, each document in a transaction
    of its own and compared only with what the indexes say it may share; what other documents
    share among themselves is left as it is. Returns the number of quotes found."""
    quotes = 0
    for document in documents:
        with transaction.atomic():
            quotes += document_quotes_extract(document=document)
            document_passages_link(document=document)
    return quotes


def coverage_forget(*, documents: Iterable[Document]) -> None:
    """Remove these documents' quotes and shared passages (the clusters their quotes were in are
    worked out again without them), as when they are deleted."""
    with transaction.atomic():
        for document in documents:
            document_quotes_forget(document=document)
            document_passages_unlink(document=document)
