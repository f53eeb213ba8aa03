"""A curator's "remove lines like this one from <source>": a ``SourceLineRule`` made, applied to
every document of the source already there, turned off (its lines put back) and on again.

Every document a rule changes gets a new revision through the curator's edit path
(``editing.document_text_change``): annotations and a curator's mentions are re-anchored,
entities and coverage found again, as for an edit in the admin. What the rule took out of each
document is kept (``LineRemoval``), so turning it off restores exactly those lines. New imports
and pages fetched again are cleaned with the source's active rules (``library.importing``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Count
from django_tasks import task

from readingroom.annotations.services import annotations_reattach
from readingroom.library.models import Document, LineRemoval, Source, SourceLineRule
from readingroom.library.services import TextEditError, document_blocks
from readingroom.text.cleaning import (
    MAX_RULE_LINE,
    Block,
    CuratedRemoval,
    line_shape,
    remove_curated_lines,
    restore_curated_lines,
)

from .editing import document_findings_refresh, document_text_change


class LineRuleError(ValueError):
    """A line no rule can be made from; the message says why."""


@dataclass(frozen=True)
class LinePreview:
    """What a rule made from ``line`` would take out: ``lines`` blocks in ``documents`` of the
    source's ``total`` documents."""

    source: Source
    line: str
    shape: str
    lines: int
    documents: int
    total: int


@dataclass(frozen=True)
class LineRuleReport:
    rule: SourceLineRule
    lines: int  # lines taken out (or put back)
    documents: int  # documents that got a new revision
    kept: int = 0  # documents left as they were: the rule would have taken out all their text
    # The source's other documents, which a background task changes (``line_rule_task``).
    queued: bool = False


def _checked_line(line: str) -> str:
    line = " ".join(line.split())
    if not line:
        raise LineRuleError("Pick a line of the document: this one is empty.")
    if len(line) > MAX_RULE_LINE:
        raise LineRuleError(f"A rule is made from one line of at most {MAX_RULE_LINE} characters.")
    return line


def _documents_of(source: Source):
    return Document.objects.filter(source=source).defer("raw_text").order_by("pk")


def line_rule_preview(*, source: Source, line: str) -> LinePreview:
    """How many lines of how many of the source's documents a rule made from ``line`` takes out."""
    line = _checked_line(line)
    shape = line_shape(line)
    lines = documents = total = 0
    for document in _documents_of(source).iterator():
        total += 1
        found = sum(1 for block in document.text_blocks() if line_shape(block.text) == shape)
        lines += found
        documents += bool(found)
    return LinePreview(source=source, line=line, shape=shape, lines=lines, documents=documents, total=total)


def line_rule_create(*, source: Source, line: str, user: User | AnonymousUser | None = None) -> LineRuleReport:
    """Remove every line shaped like ``line`` from the source's documents, now and at every
    later import or fetch. A rule of that shape made before (even turned off) is the one used."""
    return _apply(_rule_made(source=source, line=line, user=user))


def _rule_made(*, source: Source, line: str, user: User | AnonymousUser | None) -> SourceLineRule:
    line = _checked_line(line)
    shape = line_shape(line)
    created_by = user if isinstance(user, User) else None
    rule, created = SourceLineRule.objects.get_or_create(
        source=source, shape=shape, defaults={"line": line, "created_by": created_by}
    )
    if not created and not rule.active:
        _set_active(rule, True)
    return rule


def _set_active(rule: SourceLineRule, active: bool) -> None:
    """Turn the rule on or off under its row's lock, which each document's change takes too."""
    with transaction.atomic():
        locked = SourceLineRule.objects.select_for_update().get(pk=rule.pk)
        locked.active = active
        locked.save(update_fields=["active", "changed_at"])
    rule.active = active


# --- from a request: the document in view now, the rest of the source in the background --------


def line_rule_create_soon(
    *, source: Source, line: str, user: User | AnonymousUser | None = None, document: Document | None = None
) -> LineRuleReport:
    """``line_rule_create`` as a request runs it: the rule made and applied to ``document`` (the
    one the curator is reading) at once, and to the source's other documents by a background
    task, so that a source of thousands of documents never holds the request."""
    rule = _rule_made(source=source, line=line, user=user)
    now = _apply(rule, only=document)
    line_rule_task.enqueue(rule.pk)
    return LineRuleReport(rule=rule, lines=now.lines, documents=now.documents, kept=now.kept, queued=True)


def line_rule_activate_soon(*, rule: SourceLineRule) -> LineRuleReport:
    """Turn a rule on again; its lines are taken out by a background task."""
    _set_active(rule, True)
    line_rule_task.enqueue(rule.pk)
    return LineRuleReport(rule=rule, lines=0, documents=0, queued=True)


def line_rule_deactivate_soon(*, rule: SourceLineRule, document: Document | None = None) -> LineRuleReport:
    """Turn a rule off: its lines back in ``document`` at once, in the others by a background task."""
    _set_active(rule, False)
    now = _restore(rule, only=document)
    line_rule_task.enqueue(rule.pk)
    return LineRuleReport(rule=rule, lines=now.lines, documents=now.documents, queued=True)


@task()
def line_rule_task(rule_id: int) -> None:
    """The background half of making, turning on or off a rule: whatever the rule is when it runs,
    the source's documents are made to agree with it (run twice, the second run finds nothing to do)."""
    rule = SourceLineRule.objects.select_related("source").filter(pk=rule_id).first()
    if rule is None:
        return
    if rule.active:
        _apply(rule)
    else:
        _restore(rule)


def line_rule_activate(*, rule: SourceLineRule) -> LineRuleReport:
    """Turn a rule on again: its lines are taken out of the source's documents once more."""
    if not rule.active:
        _set_active(rule, True)
    return _apply(rule)


def _still_active(rule: SourceLineRule) -> bool:
    """Whether the rule is on, read under its row's lock (inside a transaction): a rule turned off
    meanwhile is not applied to one more document."""
    return SourceLineRule.objects.select_for_update().filter(pk=rule.pk, active=True).exists()


def _apply(rule: SourceLineRule, *, only: Document | None = None) -> LineRuleReport:
    changed: list[Document] = []
    lines = kept = 0
    documents = _documents_of(rule.source)
    if only is not None:
        documents = documents.filter(pk=only.pk)
    for pk in documents.values_list("pk", flat=True):
        with transaction.atomic():
            if not _still_active(rule):
                break
            document = Document.objects.select_for_update().defer("raw_text").filter(pk=pk).first()
            if document is None:
                continue
            blocks = document_blocks(document=document)
            remaining, removed = remove_curated_lines(blocks, {rule.shape})
            if not removed:
                continue
            try:
                document_text_change(document=document, blocks=remaining)
            except TextEditError:
                kept += 1  # every line of it has the shape: not furniture of this document
                continue
            LineRemoval.objects.bulk_create(
                [
                    LineRemoval(
                        rule=rule,
                        document=document,
                        text=removal.block.text,
                        kind=removal.block.kind,
                        published_at=removal.block.published_at,
                        position=removal.position,
                        after=removal.after,
                    )
                    for removal in removed
                ]
            )
        lines += len(removed)
        changed.append(document)
    document_findings_refresh(documents=changed)
    return LineRuleReport(rule=rule, lines=lines, documents=len(changed), kept=kept)


def line_rule_deactivate(*, rule: SourceLineRule) -> LineRuleReport:
    """Turn a rule off: every line it took out goes back where it was, each changed document
    getting a new revision (annotations re-anchored), and later imports keep such lines."""
    if rule.active:
        _set_active(rule, False)
    return _restore(rule)


def _restore(rule: SourceLineRule, *, only: Document | None = None) -> LineRuleReport:
    changed: list[Document] = []
    lines = 0
    removals_left = LineRemoval.objects.filter(rule=rule)
    if only is not None:
        removals_left = removals_left.filter(document=only)
    document_ids = sorted(set(removals_left.values_list("document_id", flat=True)))
    restored_documents = 0
    for pk in document_ids:
        with transaction.atomic():
            if SourceLineRule.objects.select_for_update().filter(pk=rule.pk, active=True).exists():
                break  # turned on again meanwhile: its lines stay out
            # A deleted document gets its lines back too: restoring it shows them.
            document = Document.all_objects.select_for_update().defer("raw_text").get(pk=pk)
            removals = list(LineRemoval.objects.filter(rule=rule, document=document).order_by("position", "pk"))
            if not removals:
                continue  # another worker put them back already
            restored = restore_curated_lines(
                document_blocks(document=document),
                [
                    CuratedRemoval(
                        rule.shape,
                        Block(kind=removal.kind, text=removal.text, published_at=removal.published_at),
                        removal.position,
                        removal.after,
                    )
                    for removal in removals
                ],
            )
            document_text_change(document=document, blocks=restored)
            # An annotation made on a line the rule then took out was kept, orphaned: it comes back with its line.
            annotations_reattach(document=document)
            LineRemoval.objects.filter(pk__in=[removal.pk for removal in removals]).delete()
        lines += len(removals)
        restored_documents += 1
        if document.deleted_at is None:
            changed.append(document)
    document_findings_refresh(documents=changed)
    return LineRuleReport(rule=rule, lines=lines, documents=restored_documents)


def line_rule_counts(*, rules: list[SourceLineRule]) -> dict[int, tuple[int, int]]:
    """For each rule: how many lines it has taken out, of how many documents."""
    counts = {rule.pk: (0, 0) for rule in rules}
    rows = (
        LineRemoval.objects.filter(rule__in=rules)
        .values("rule_id")
        .annotate(lines=Count("pk"), documents=Count("document_id", distinct=True))
        .order_by()
    )
    for row in rows:
        counts[row["rule_id"]] = (row["lines"], row["documents"])
    return counts
