"""Small factories: each test says what it needs and gets just that."""

from __future__ import annotations

import hashlib
import itertools

from readingroom.library.importing import assemble_canonical_text
from readingroom.library.models import Document, Source
from readingroom.text.cleaning import Block

_counter = itertools.count(1)


def make_source(*, name: str | None = None, **fields) -> Source:
    # Migrations ship a few known publications; asking for one of those returns it.
    return Source.objects.get_or_create(name=name or f"Source {next(_counter)}", defaults=fields)[0]


def make_document(
    *,
    source: Source | None = None,
    title: str | None = None,
    paragraphs: list[str] | None = None,
    **fields,
) -> Document:
    number = next(_counter)
    paragraphs = paragraphs or [f"Paragraph one of document {number}.", f"Paragraph two of document {number}."]
    canonical_text, blocks = assemble_canonical_text([Block(kind="paragraph", text=text) for text in paragraphs])
    return Document.objects.create(
        source=source or make_source(),
        title=title or f"Document {number}",
        sha256=hashlib.sha256(f"document {number} {canonical_text}".encode()).hexdigest(),
        raw_text=canonical_text,
        canonical_text=canonical_text,
        blocks=blocks,
        word_count=len(canonical_text.split()),
        **fields,
    )


def make_user(username: str | None = None, **fields):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username=username or f"reader{next(_counter)}", password="a-long-passphrase", **fields
    )


def make_annotation(*, user=None, document=None, quote: str | None = None, occurrence: int = 0, **fields):
    """An annotation on the ``occurrence``-th appearance of ``quote`` (default: the first word)."""
    from readingroom.annotations.services import annotation_create

    document = document or make_document()
    text = document.canonical_text
    quote = quote or text.split()[0]
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return annotation_create(
        user=user or make_user(), document=document, start=start, end=start + len(quote), exact=quote, **fields
    )
