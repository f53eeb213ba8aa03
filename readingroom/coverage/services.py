"""Keeping coverage (quotes and their clusters, shared passages) in step with the documents."""

from __future__ import annotations

from collections.abc import Iterable

from readingroom.library.models import Document

from .passages import passages_link
from .quotes import documents_extract_quotes


def coverage_update(*, documents: Iterable[Document]) -> int:
    """Find these documents' quotes, then rebuild the corpus-wide clusters and shared passages.
    Returns the number of quotes found."""
    quotes = documents_extract_quotes(documents=documents)
    passages_link()
    return quotes
