"""How sources cover the event: quoted statements, and the clusters of the same statement
reported by several sources."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

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
    # The day the quote's document appeared (days since 1970-01-01, UTC; None: undated): a dated
    # quote is looked up among the quotes of the weeks around it only (quotes.WINDOW_DAYS).
    day = models.IntegerField(null=True, blank=True)
    # The quote's speaker, kept with its words: two quotes of different speakers are never one
    # statement (quotes.joins), so a quote with a speaker reads the postings of its speaker's quotes
    # and of the quotes without one only. An entity merged into another takes its rows along.
    speaker = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="quote_fingerprints"
    )

    class Meta:
        indexes = [
            models.Index(fields=["hash", "day"], name="quote_fingerprint_hash_day"),
            models.Index(fields=["hash", "speaker", "day"], name="quote_fingerprint_speaker"),
        ]

    def __str__(self) -> str:
        return f"{self.hash:x} in quote {self.quote_id}"


class QuoteDecision(models.Model):
    """A curator's correction of one quote, kept across extractions: quotes are found afresh (with
    new ids) whenever their document is extracted, imported again or edited, so a decision names
    its quote by where it is in the document's canonical text (``exact`` with its ``prefix`` and
    ``suffix``, W3C TextQuoteSelector style, and ``start``/``end``) and is re-anchored to the
    quote found there each time (``quote`` is that quote, or None while it is not found).

    One row a decision, one quote a row: ``speaker`` sets the quote's speaker (None: no speaker);
    ``split`` keeps the quote out of every cluster the machine makes (only a curator's join
    groups it again); ``join`` rows sharing a ``group`` are quotes a curator put in one cluster,
    whatever the machine says of them."""

    class Kind(models.TextChoices):
        SPEAKER = "speaker", "Speaker set"
        SPLIT = "split", "Split off"
        JOIN = "join", "Joined"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    quote = models.ForeignKey(
        Quote,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        help_text="The quote the decision names in the current text (empty while it is not found).",
    )
    # A merged entity's decisions follow it (entity_merge moves every relation it can see: not a
    # hidden one, hence the related name); a deleted one takes its decisions with it, and the
    # machine's speaker comes back.
    speaker = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.CASCADE, related_name="quote_decisions")
    group = models.UUIDField(null=True, blank=True, help_text="Join decisions with one group: quotes kept together.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["document", "kind"], name="quote_decision_document")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: “{self.exact[:60]}”"
