"""A curator's edit of a document's text, and everything that has to follow it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from readingroom.annotations.services import annotations_reanchor
from readingroom.coverage.services import coverage_update
from readingroom.entities.extraction import document_extract_entities
from readingroom.entities.services import mentions_reanchor
from readingroom.library.models import Document, DocumentRevision, SourceLineRule
from readingroom.library.services import document_blocks, document_fetched_base, document_text_replace
from readingroom.text.cleaning import Block, remove_curated_lines
from readingroom.text.merging import merge_three


@dataclass(frozen=True)
class TextEditReport:
    changed: bool
    anchored: int = 0
    moved: int = 0
    orphaned: int = 0
    mentions: int = 0
    carried: bool = False  # a curator's edits were carried over to the page fetched again
    kept_edit: bool = False  # the page and a curator changed the same paragraphs: nothing replaced

    @classmethod
    def reanchored(cls, counts: dict[str, int], *, mentions: int = 0, carried: bool = False) -> TextEditReport:
        """A changed text, with what ``annotations_reanchor`` counted."""
        return cls(
            changed=True,
            anchored=counts["anchored"],
            moved=counts["moved"],
            orphaned=counts["orphaned"],
            mentions=mentions,
            carried=carried,
        )


def document_text_edit(
    *, document: Document, canonical_text: str = "", blocks: list[Block] | None = None
) -> TextEditReport:
    """Replace the text (``canonical_text``, or ``blocks`` when the paragraphs' kinds are known), re-anchor every annotation from its quote (moved ones get new offsets,
    lost ones become orphaned and are kept), carry a curator's mentions over, and find the
    entities again.

    The text, the annotations and the curator's mentions change together or not at all (one
    transaction). Extraction and coverage follow after it commits: they take seconds, which a
    write lock must not be held for. Should they fail or be cut short, the document's extraction
    and quotes stay behind its new revision, and ``extract_entities --pending`` and
    ``extract_quotes --pending`` finish the work."""
    report = document_text_change(document=document, canonical_text=canonical_text, blocks=blocks)
    if not report.changed:
        return report
    mentions = document_findings_refresh(documents=[document])
    return TextEditReport.reanchored(
        {"anchored": report.anchored, "moved": report.moved, "orphaned": report.orphaned}, mentions=mentions
    )


@transaction.atomic
def document_text_change(
    *, document: Document, canonical_text: str = "", blocks: list[Block] | None = None
) -> TextEditReport:
    """The part of ``document_text_edit`` that is one transaction: the text replaced, annotations
    and a curator's mentions re-anchored. A caller that writes more with it (a line rule's
    removals) wraps both in its own transaction, then calls ``document_findings_refresh``."""
    edit = document_text_replace(document=document, canonical_text=canonical_text, blocks=blocks)
    if not edit.changed:
        return TextEditReport(changed=False)
    counts = annotations_reanchor(document=document, old_text=edit.old_text)
    mentions_reanchor(document=document, old_text=edit.old_text)
    return TextEditReport.reanchored(counts)


def document_findings_refresh(*, documents: list[Document]) -> int:
    """Entities found again in texts that changed, and their coverage redone (outside any
    transaction: seconds of model work). Returns how many mentions were found."""
    mentions = sum(document_extract_entities(document=document).mentions for document in documents)
    coverage_update(documents=documents)
    return mentions


def document_refetched(*, document: Document, fetched: Document) -> TextEditReport:
    """A page fetched again (``fetched``, prepared but unsaved): its text, if it changed, becomes
    the document's new revision (the old one kept), annotations and a curator's mentions are
    re-anchored as for an edit, and the document takes the new bytes' digest, so fetching the same
    bytes again is recognised at once. The caller finds entities and coverage again, in the same
    transaction.

    A curator's corrections since the last fetch are not lost: the page's changes are merged into
    the curator's text paragraph by paragraph (two revisions: the page as fetched, then the
    curator's edits carried over). Where both changed the same paragraphs, nothing is replaced
    and the report says so (``kept_edit``); the next fetch tries again."""
    page = document_blocks(document=fetched)
    base = document_fetched_base(document=document)
    if base is not None:
        # The source's line rules took their lines out of the page as fetched: out of the base
        # too, so that a rule's removals are not read as a curator's edits the page conflicts with.
        shapes = set(
            SourceLineRule.objects.active().filter(source_id=document.source_id).values_list("shape", flat=True)
        )
        base, _ = remove_curated_lines(base, shapes)
    revision = document.revision
    if base is None:
        edit = document_text_replace(document=document, blocks=page, replaced_by=DocumentRevision.Origin.FETCH)
        old_text = edit.old_text
    else:
        current = document_blocks(document=document)
        merged = merge_three(base, current, page)
        if merged is None:
            # Remembered as fetched, so the same page is not reported again at every poll; the
            # base of the next merge stays the page as last merged.
            document.raw_text, document.sha256 = fetched.raw_text, fetched.sha256
            document.save(update_fields=["raw_text", "sha256", "updated_at"])
            return TextEditReport(changed=False, kept_edit=True)
        old_text = document.canonical_text
        if page != base:
            # The page as fetched, kept as a revision of its own: the base of the next merge (even
            # when its change was the curator's already and the text ends as it was).
            document_text_replace(document=document, blocks=page, replaced_by=DocumentRevision.Origin.FETCH)
            document_text_replace(document=document, blocks=merged, replaced_by=DocumentRevision.Origin.CARRIED)
    document.raw_text, document.sha256 = fetched.raw_text, fetched.sha256
    document.save(update_fields=["raw_text", "sha256", "updated_at"])
    if document.revision == revision:
        return TextEditReport(changed=False)
    counts = annotations_reanchor(document=document, old_text=old_text)
    mentions_reanchor(document=document, old_text=old_text)
    return TextEditReport.reanchored(counts, carried=base is not None)
