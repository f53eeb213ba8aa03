"""A document's reader HTML: its blocks marked up by ``readingroom.text.marks``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString

from readingroom.text.marks import Mark, blocks_html

from .models import Document


def document_body_html(document: Document, marks: Iterable[Mark] = ()) -> SafeString:
    """The document's blocks as HTML, with ``marks`` (offsets into its canonical text)."""
    return blocks_html(list(document.text_blocks()), marks)
