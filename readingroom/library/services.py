"""Changing a document's canonical text, the one change that moves every span pointing into it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.dateparse import parse_datetime

from readingroom.text.cleaning import Block

from .importing import BLOCK_SEPARATOR, assemble_canonical_text
from .models import Document, DocumentRevision


class TextEditError(ValueError):
    """A text the document cannot take; the message says why."""


def blocks_for_edited_text(document: Document, canonical_text: str) -> list[Block]:
    """Paragraphs of an edited text: split at blank lines; a paragraph whose text is unchanged
    keeps its kind (heading, item, dateline…) and time, a new one is a paragraph."""
    old = defaultdict(list)
    for block in document.text_blocks():
        old[block.text].append(block)
    blocks = []
    normalised = canonical_text.replace("\r\n", "\n").replace("\r", "\n")
    for piece in normalised.split(BLOCK_SEPARATOR):
        text = " ".join(piece.split("\n")).strip()
        if not text:
            continue
        if old[text]:
            previous = old[text].pop(0)
            blocks.append(Block(kind=previous.kind, text=text, published_at=previous.published_at))
        else:
            blocks.append(Block(kind="paragraph", text=text))
    return blocks


@dataclass(frozen=True)
class TextEdit:
    document: Document
    old_text: str
    changed: bool


@transaction.atomic
def document_text_replace(
    *,
    document: Document,
    canonical_text: str = "",
    blocks: list[Block] | None = None,
    replaced_by: str = DocumentRevision.Origin.EDIT,
) -> TextEdit:
    """Replace the canonical text (a curator's edited text, or the ``blocks`` of a page fetched
    again), keep the old one as a ``DocumentRevision`` and bump the revision. Callers then
    re-anchor what pointed into the old text (``reader.editing.document_text_edit`` does all)."""
    old_text = document.canonical_text
    if blocks is None:
        blocks = blocks_for_edited_text(document, canonical_text)
    new_text, spans = assemble_canonical_text(blocks)
    if not new_text.strip():
        raise TextEditError("A document needs some text; delete the document instead.")
    if new_text == old_text:
        return TextEdit(document, old_text, changed=False)
    DocumentRevision.objects.create(
        document=document,
        number=document.revision,
        canonical_text=old_text,
        blocks=document.blocks,
        replaced_by=replaced_by,
    )
    document.canonical_text = new_text
    document.blocks = spans
    document.word_count = len(new_text.split())
    document.revision += 1
    document.save(update_fields=["canonical_text", "blocks", "word_count", "revision", "updated_at"])
    return TextEdit(document, old_text, changed=True)


def revision_blocks(*, revision: DocumentRevision) -> list[Block]:
    """The paragraphs of a text the document had."""
    return [
        Block(
            kind=span["kind"],
            text=revision.canonical_text[span["start"] : span["end"]],
            published_at=parse_datetime(span["published_at"]) if span.get("published_at") else None,
        )
        for span in revision.blocks
    ]


def document_blocks(*, document: Document) -> list[Block]:
    return [
        Block(kind=block.kind, text=block.text, published_at=block.published_at) for block in document.text_blocks()
    ]


def document_fetched_base(*, document: Document) -> list[Block] | None:
    """When a curator has edited the text since the page was last fetched (or imported): that
    fetched text, the base their edits are changes to. None when the text is the page's own."""
    base = None
    curated = (DocumentRevision.Origin.EDIT, DocumentRevision.Origin.CARRIED)
    for revision in DocumentRevision.objects.filter(document=document).order_by("-number").iterator():
        if revision.replaced_by not in curated:
            break
        base = revision
    return revision_blocks(revision=base) if base is not None else None
