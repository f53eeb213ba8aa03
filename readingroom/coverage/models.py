"""How sources cover the event: quoted statements, and the clusters of the same statement
reported by several sources."""

from __future__ import annotations

from django.db import models

from readingroom.entities.models import Entity
from readingroom.library.models import Document


class QuoteCluster(models.Model):
    """One statement as several documents quote it (wordings may differ: translations)."""

    speaker = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.label


class Quote(models.Model):
    """Quoted speech in a document: ``start``/``end`` cover the words inside the quotation marks."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="quotes")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    speaker = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes")
    revision = models.PositiveIntegerField(help_text="The document revision the quote was found in.")
    cluster = models.ForeignKey(QuoteCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes")

    class Meta:
        ordering = ["document", "start"]
        indexes = [models.Index(fields=["document", "start"], name="quote_document_start")]

    def __str__(self) -> str:
        return self.text[:80]


class SharedPassage(models.Model):
    """A passage of ``document`` that ``other_document`` has (nearly) word for word: syndicated
    agency copy, or the same quotation. Stored in both directions."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="shared_passages")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    other_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()
    # The two directions of one shared passage carry the same number, so a click on one finds the other.
    pair = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["document", "other_document"], name="shared_passage_pair")]

    def __str__(self) -> str:
        return f"document {self.document_id} {self.start}–{self.end}, shared with document {self.other_document_id}"


class PassageFingerprint(models.Model):
    """One content-word shingle hash of a sentence (``start`` is where the sentence starts in
    its document): the index through which a new document finds the few sentences it may share,
    instead of being compared with every sentence in the library."""

    hash = models.BigIntegerField()
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # How many fingerprints the sentence has: how many two sentences must share to be compared.
    shingles = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["hash"], name="passage_fingerprint_hash")]

    def __str__(self) -> str:
        return f"{self.hash:x} in the sentence of document {self.document_id} at {self.start}"


class QuoteFingerprint(models.Model):
    """One content word of a quote (hashed), with how many content words the quote has, so that
    a new quote is compared only with the quotes that share enough of its words."""

    hash = models.BigIntegerField()
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    words = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["hash"], name="quote_fingerprint_hash")]

    def __str__(self) -> str:
        return f"{self.hash:x} in quote {self.quote_id}"
