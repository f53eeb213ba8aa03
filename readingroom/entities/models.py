"""Named entities, the names they go by, and where documents mention them.

A ``Mention`` is a pair of character offsets into its document's canonical text. Mentions found
by the model or the curated ruler are replaced on every extraction; a curator's own mentions,
and the spans a curator rejected, survive it.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse

from readingroom.library.models import Document
from readingroom.text.names import undotted, without_accents


class EntityType(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    PLACE = "place", "Place"
    FACILITY = "facility", "Facility"
    GROUP = "group", "Nationality or group"
    DATE = "date", "Date"
    EVENT = "event", "Event"
    OTHER = "other", "Other"


# Look-alike letters from other scripts that turn up in English news copy (the BBC seed writes
# "Vostochny Сosmodrome" with a Cyrillic С); folded only for matching, never in the text.
_CONFUSABLES = str.maketrans("АВСЕНІЈКМОРЅТХУасеіјорѕху", "ABCEHIJKMOPSTXYaceijopsxy")
_TITLES = re.compile(
    r"^(?:(?:the|president|prime minister|minister|defence minister|defense minister|leader|"
    r"mr|mrs|ms|dr|gen|general|marshal|comrade|chairman|spokesman|spokeswoman|sir)\.?\s+)+",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?$")
_DASHES = re.compile(r"[-‐‑‒–—]")


_LATIN_LETTER = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"\w+")


def fold_confusables(text: str) -> str:
    """Replace look-alike Cyrillic letters inside otherwise Latin words, one character for one.

    The length never changes, so offsets into the folded text are offsets into the original.
    Words written wholly in Cyrillic are left alone.
    """

    def fold(match: re.Match) -> str:
        word = match.group()
        return word.translate(_CONFUSABLES) if _LATIN_LETTER.search(word) else word

    return _WORD.sub(fold, text)


def normalise_name(name: str) -> str:
    """The form names are compared in: case, accents, hyphens, titles, possessives, an acronym's
    dots and look-alikes folded."""
    text = fold_confusables(unicodedata.normalize("NFKC", name))
    # "Céline Dion" is "Celine Dion", "U.S." is "US".
    text = undotted(without_accents(text).strip())
    text = _DASHES.sub(" ", text)
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    text = _TITLES.sub("", text)
    return text.casefold().strip()


class EntityQuerySet(models.QuerySet):
    def shown(self) -> EntityQuerySet:
        return self.filter(hidden=False)


class Entity(models.Model):
    name = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=EntityType.choices, db_index=True)
    description = models.TextField(blank=True)
    hidden = models.BooleanField(
        default=False, help_text="Hidden entities keep their mentions but are not highlighted or listed."
    )
    type_curated = models.BooleanField(
        "type decided by a curator",
        default=False,
        help_text="A curator chose this type: extraction never changes it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("entity_detail", args=[self.pk])


class Alias(models.Model):
    """A surface form of an entity. Curated aliases also teach the extractor's rule matcher."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    surface = models.CharField(max_length=300)
    normalised = models.CharField(max_length=300, unique=True, editable=False)
    curated = models.BooleanField(
        default=False, help_text="Added by a curator: the extractor finds this form everywhere as this entity."
    )
    decided = models.BooleanField(
        "placed by a curator",
        default=False,
        help_text="A curator merged this form into this entity: extraction always links it here (without"
        " hunting for it in every text, as a curated alias is).",
    )

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["surface"]

    def __str__(self) -> str:
        return self.surface

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            self.words.all().delete()
        NameWord.objects.bulk_create(NameWord(word=word, alias=self) for word in name_words(self.normalised))


def name_words(normalised: str) -> list[str]:
    """The words a name of two words or more is found by (none for a one-word name)."""
    words = sorted(set(normalised.split()))
    return words if len(normalised.split()) > 1 else []


class NameWord(models.Model):
    """One word of an alias of two words or more, so that the names holding a word ("okonkwo" in
    "chidi okonkwo") are found through an index, not by reading every name the library knows: a
    bare surname is looked up this way at each import. Kept by ``Alias.save``; a migration that
    rewrites aliases' normalised forms writes their words again."""

    word = models.CharField(max_length=300, db_index=True)
    alias = models.ForeignKey(Alias, on_delete=models.CASCADE, related_name="words")

    def __str__(self) -> str:
        return f"{self.word} in {self.alias_id}"


class MentionOrigin(models.TextChoices):
    MODEL = "model", "Model"
    RULER = "ruler", "Curated rule"
    CURATOR = "curator", "Curator"


class MentionQuerySet(models.QuerySet):
    def shown(self) -> MentionQuerySet:
        """Mentions the reader highlights: not rejected, of entities that are not hidden, in
        documents that are not deleted (a deleted document's mentions wait for its restoring)."""
        return self.filter(rejected=False, entity__hidden=False, document__deleted_at__isnull=True)

    def kept_on_extraction(self) -> MentionQuerySet:
        """A curator's decisions, which re-extraction must not undo: added or rejected mentions."""
        return self.filter(models.Q(origin=MentionOrigin.CURATOR) | models.Q(rejected=True))


class Mention(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField(help_text="Offset of the first character in the canonical text.")
    end = models.PositiveIntegerField(help_text="Offset just past the last character.")
    surface = models.CharField(max_length=300)
    origin = models.CharField(max_length=10, choices=MentionOrigin.choices, default=MentionOrigin.MODEL)
    rejected = models.BooleanField(
        default=False, help_text="A curator said this is not a mention; re-extraction will not bring it back."
    )

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "start"]
        indexes = [
            models.Index(fields=["entity", "document"], name="mention_entity_document"),
            models.Index(fields=["document", "start"], name="mention_document_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="mention_end_after_start"),
            models.UniqueConstraint(fields=["document", "start", "end"], name="one_mention_per_span"),
        ]

    def __str__(self) -> str:
        return f"{self.surface} [{self.start}:{self.end}]"


class DocumentExtraction(models.Model):
    """When a document's entities were last extracted, and from which revision of its text."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="extraction")
    revision = models.PositiveIntegerField()
    pipeline = models.CharField(max_length=100)
    extracted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.document} (revision {self.revision}, {self.pipeline})"


class RejectedWriting(models.Model):
    """A writing a curator said is never an entity ("Sort by", "GMT"): extraction finds it nowhere."""

    surface = models.CharField(max_length=300)
    normalised = models.CharField(max_length=300, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surface"]

    def __str__(self) -> str:
        return self.surface


class CurationAction(models.TextChoices):
    MERGE = "merge", "Merged"
    SPLIT = "split", "Split off"
    RETYPE = "retype", "Changed type"
    REJECT_MENTION = "reject_mention", "Not an entity (one mention)"
    REJECT_WRITING = "reject_writing", "Not an entity (every mention of a writing)"


class CurationDecisionQuerySet(models.QuerySet):
    def standing(self) -> CurationDecisionQuerySet:
        return self.filter(undone_at__isnull=True)


class CurationDecision(models.Model):
    """One curator's decision taken from an entity card: the curation log the admin lists. Names
    are kept as written at the time, so the log still reads after the entities change; ``undo``
    holds what reversing it needs (ids of what moved, the type before)."""

    action = models.CharField(max_length=20, choices=CurationAction.choices, db_index=True)
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions", help_text="The entity now."
    )
    entity_name = models.CharField("entity", max_length=300)
    other_entity = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The entity merged in, or the one a writing was split from.",
    )
    other_name = models.CharField("from", max_length=300, blank=True)
    surface = models.CharField("writing", max_length=300, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.CharField(max_length=300, blank=True)
    undo = models.JSONField(default=dict, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CurationDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        """The decision in one sentence, as the card's message and the log say it."""
        match self.action:
            case CurationAction.MERGE:
                return f"Merged {self.other_name} into {self.entity_name}."
            case CurationAction.SPLIT:
                return f"Split “{self.surface}” off {self.other_name} into {self.entity_name}."
            case CurationAction.RETYPE:
                return f"{self.entity_name} is now a {self.detail.lower()}."
            case CurationAction.REJECT_MENTION:
                return f"“{self.surface}” here is not an entity."
            case CurationAction.REJECT_WRITING:
                return f"“{self.surface}” is never an entity ({self.detail})."
        return self.get_action_display()
