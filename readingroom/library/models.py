"""Sources and documents.

A document's ``canonical_text`` is the one text every later span points into: paragraphs
(``blocks``), entity mentions and annotations are pairs of character offsets (Python code
points) into it. The admin shows it read-only: whatever replaces it must also bump ``revision``
so that anything derived from the old text can tell it is stale.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from readingroom.text.marks import TextBlock

__all__ = [
    "Document",
    "DocumentRevision",
    "Feed",
    "HighlightVersion",
    "ImportItem",
    "ImportJob",
    "LineRemoval",
    "Source",
    "SourceLineRule",
    "TextBlock",
]


class Source(models.Model):
    name = models.CharField("publication", max_length=200, unique=True)
    homepage = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    markers = models.TextField(
        blank=True,
        help_text=(
            "One phrase per line. An imported file that contains one of them, and does not name "
            "its publication itself, is filed under this source."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def marker_phrases(self) -> list[str]:
        return [line.strip() for line in self.markers.splitlines() if line.strip()]


class DocumentQuerySet(models.QuerySet):
    def in_reading_order(self) -> DocumentQuerySet:
        return self.select_related("source").order_by("source__name", "-published_at", "title")

    def for_listing(self) -> DocumentQuerySet:
        # The list never needs the (large) texts.
        return self.in_reading_order().defer("raw_text", "canonical_text", "blocks")


class DocumentManager(models.Manager.from_queryset(DocumentQuerySet)):  # type: ignore[misc]
    """Documents that are not deleted: what every page, selector and job works on. A deleted
    document is only reachable through ``Document.all_objects`` (the admin, backup) and from the
    rows that point to it (its annotations keep their document)."""

    def get_queryset(self) -> DocumentQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Document(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=500)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    url = models.URLField(
        max_length=2000,
        blank=True,
        db_index=True,
        help_text="Where the page was fetched from: fetching it again makes a new revision, not a new document.",
    )
    sha256 = models.CharField(
        "SHA-256 of the imported bytes",
        max_length=64,
        unique=True,
        help_text="Importing the same file again finds this and adds nothing.",
    )
    raw_text = models.TextField(help_text="The file's text as decoded, before cleaning.")
    canonical_text = models.TextField(
        help_text="The cleaned plain text that every paragraph, mention and annotation points into."
    )
    blocks = models.JSONField(
        default=list,
        help_text='Paragraphs as [{"kind", "start", "end", "published_at"?}] offsets into the canonical text.',
    )
    word_count = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(
        default=1, help_text="Goes up by one each time the canonical text is replaced."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Set when a curator deletes the document: hidden everywhere, restorable, its annotations kept.",
    )

    objects = DocumentManager()
    all_objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "-published_at", "title"]
        indexes = [models.Index(fields=["source", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("document_detail", args=[self.pk])

    def text_blocks(self) -> Iterator[TextBlock]:
        for block in self.blocks:
            published_at = block.get("published_at")
            yield TextBlock(
                kind=block["kind"],
                start=block["start"],
                end=block["end"],
                text=self.canonical_text[block["start"] : block["end"]],
                published_at=parse_datetime(published_at) if published_at else None,
            )


class HighlightVersion(models.Model):
    """How often anything a document's highlights show has changed: its entity mentions, its
    quotes, its shared passages, its annotations, or the type or visibility of an entity it
    mentions. Database triggers keep it (migration 0004), so no write path, bulk update or admin
    action can forget it. The reader's HTML cache is keyed by it (``highlights.py``). A document
    without a row has version 0. No foreign key, and rows are never deleted: a version never goes
    back to a number it had, even for a document deleted and imported again.
    """

    document_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"document {self.document_id}: version {self.version}"


class ImportJob(models.Model):
    """Files imported in the background, one item each: who asked, how far it got, what failed.

    A worker holds a job while ``heartbeat_at`` is recent (``worker`` names it). Each item's
    document, entities, quotes and shared passages are stored in one transaction together with
    the item's status, so a worker killed mid-job leaves every item either done or untouched, and
    whoever resumes the job goes on with the untouched ones."""

    class Status(models.TextChoices):
        QUEUED = "queued", "waiting for a worker"
        RUNNING = "running", "running"
        DONE = "done", "done"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Every document of the job is filed under this publication (else found per file).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=64, blank=True)
    # The background task queued for it: a job still waiting when its task has run, failed or
    # vanished (a worker killed between taking the task and taking the job) is queued again.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.total} file{'s' if self.total != 1 else ''} ({self.get_status_display()})"


class ImportItem(models.Model):
    """One file of an import job. Its bytes are kept until it is done, so a worker on another
    machine can import it, then let go."""

    class Status(models.TextChoices):
        PENDING = "pending", "waiting"
        IMPORTED = "imported", "imported"
        REVISED = "revised", "new revision"
        DUPLICATE = "duplicate", "already there"
        ERROR = "error", "failed"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    url = models.URLField(max_length=2000, blank=True, help_text="A page to fetch, instead of a file's bytes.")
    data = models.BinaryField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        indexes = [models.Index(fields=["job", "status", "position"], name="import_item_job_status")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class DocumentRevision(models.Model):
    """A text the document had before it was replaced (a curator's edit, a page fetched again
    whose text had changed): ``number`` is the revision it was, so the reader can show what
    changed from one to the next."""

    class Origin(models.TextChoices):
        EDIT = "edit", "a curator's edit"
        FETCH = "fetch", "the page fetched again"
        CARRIED = "carried", "a curator's edits carried over to the page fetched again"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    canonical_text = models.TextField()
    blocks = models.JSONField(default=list)
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.CharField(max_length=10, choices=Origin.choices)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_revision_per_number")]

    def __str__(self) -> str:
        return f"{self.document} (revision {self.number})"


class Feed(models.Model):
    """An RSS or Atom feed a source publishes: ``poll_feeds`` imports its new items."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    active = models.BooleanField(default=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    modified = models.CharField(max_length=100, blank=True, editable=False)
    seen = models.JSONField(default=list, editable=False, help_text="Item links already queued (the newest 2,000).")

    class Meta:
        ordering = ["source__name", "url"]

    def __str__(self) -> str:
        return f"{self.source}: {self.url}"


class SourceLineRuleQuerySet(models.QuerySet):
    def active(self) -> SourceLineRuleQuerySet:
        return self.filter(active=True)


class SourceLineRule(models.Model):
    """A curator's "remove lines like this one from <source>": every block of the source's
    documents whose whole text has ``shape`` (``readingroom.text.cleaning.line_shape``: case,
    spaces, numbers, times, day and month names generalised) is taken out, at import and in the
    documents already there. What it took out of each document is kept (``LineRemoval``), so
    turning it off puts every line back. Rules are turned off, never deleted."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="line_rules")
    line = models.CharField(max_length=500, help_text="The line as the curator saw it.")
    shape = models.CharField(max_length=500, help_text="What it matches: a whole line of this shape.")
    active = models.BooleanField(default=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    objects = SourceLineRuleQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["source", "shape"], name="one_line_rule_per_shape")]
        verbose_name = "source line rule"

    def __str__(self) -> str:
        return f"{self.source}: “{self.line}”"


class LineRemoval(models.Model):
    """One block a line rule took out of one document, with where it goes back: after the block
    whose text is ``after`` ("" at the top), else at ``position`` (its index before removal)."""

    rule = models.ForeignKey(SourceLineRule, on_delete=models.PROTECT, related_name="removals")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="line_removals")
    text = models.TextField()
    kind = models.CharField(max_length=20)
    published_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField()
    after = models.TextField(blank=True)
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "position"]
        indexes = [models.Index(fields=["rule", "document"], name="line_removal_rule_document")]

    def __str__(self) -> str:
        return f"“{self.text}” from {self.document}"
