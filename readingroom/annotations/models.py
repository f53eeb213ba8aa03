"""Tags and annotations.

An annotation points into its document's canonical text twice over, as the W3C Web Annotation
selectors do: by position (``start``/``end``, code points) and by quote (``exact`` with
``prefix``/``suffix`` context). The quote is what re-anchors it when the text is edited.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse

from readingroom.library.models import Document
from readingroom.text.anchoring import AnchorState

# Colours a new tag gets, picked by its name so the same name always gets the same colour.
TAG_PALETTE = [
    "#f4a261",
    "#e76f51",
    "#2a9d8f",
    "#8ab17d",
    "#e9c46a",
    "#9d4edd",
    "#4895ef",
    "#f15bb5",
    "#00bbf9",
    "#ef476f",
    "#06d6a0",
    "#b5838d",
]


def default_tag_colour(name: str) -> str:
    digest = hashlib.sha256(name.casefold().encode()).digest()
    return TAG_PALETTE[digest[0] % len(TAG_PALETTE)]


class Tag(models.Model):
    name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=60, unique=True)
    colour = models.CharField(
        max_length=7,
        default="#e9c46a",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour is # and six hex digits, such as #e9c46a.")],
        help_text="A hex colour such as #e9c46a.",
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ignoring_case")]

    def __str__(self) -> str:
        return self.name


class Relation(models.Model):
    """How the passages of a link relate ("same claim", "contradicts"…): curators add and edit
    them in the admin; a data migration adds the first five."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="The relation's name in the W3C API and exports.")
    colour = models.CharField(
        max_length=7,
        default="#4895ef",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour is # and six hex digits, such as #4895ef.")],
        help_text="A hex colour such as #4895ef: the connectors of its links.",
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Where it comes in the list of relations.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


# How an annotation whose author's account was deleted names its author.
DELETED_USER = "deleted user"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    SESSION = "session", "Members of the session"
    PUBLIC = "public", "Everyone"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ANNOTATOR = "annotator", "Annotator"
    VIEWER = "viewer", "Viewer"


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class AnnotationSessionQuerySet(models.QuerySet):
    def for_member(self, user) -> AnnotationSessionQuerySet:
        """Sessions the user belongs to; everyone else gets none of them (and so a 404)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class AnnotationSession(models.Model):
    """A group annotating the same articles together."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    documents = models.ManyToManyField(Document, related_name="annotation_sessions")
    # Who started it. When that account is deleted the session passes to another member
    # (annotations/users.py); with nobody left it is closed and keeps no owner.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_sessions"
    )
    closed = models.BooleanField(default=False, help_text="A closed session is read-only.")
    invite_token = models.CharField(max_length=64, unique=True, default=new_invite_token, editable=False)
    # Goes up on every change to the session's annotations: what live clients poll for.
    version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnotationSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("session_detail", args=[self.pk])


class Membership(models.Model):
    session = models.ForeignKey(AnnotationSession, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ANNOTATOR)
    last_seen = models.DateTimeField(null=True, blank=True, help_text="When this member last had the session open.")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.session}"

    @property
    def can_annotate(self) -> bool:
        return self.role in (Role.OWNER, Role.ANNOTATOR) and not self.session.closed


class SessionChange(models.Model):
    """One change to a session's annotations, numbered by the session's version: lets a live
    client ask "what changed since version N" and refresh only that."""

    session = models.ForeignKey(AnnotationSession, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveBigIntegerField()
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    annotation_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["session", "version"], name="session_change_version")]

    def __str__(self) -> str:
        return f"session {self.session_id}, version {self.version}: annotation {self.annotation_id}"


ANCHOR_STATE_LABELS = {
    AnchorState.ANCHORED: "Anchored",
    AnchorState.MOVED: "Moved by a text edit",
    AnchorState.ORPHANED: "Orphaned: its passage is gone",
}


class AnnotationQuerySet(models.QuerySet):
    @staticmethod
    def _own_visible(user, prefix: str = "", sessions=None) -> models.Q:
        """Who sees an annotation by its own visibility (``prefix`` "parent__": by its thread's):
        everyone when public, its author, and the members of its session when session-only.
        ``sessions``: the user's sessions as the caller has already read them, so that what it
        shows and what it files that under agree; by default, read in the same query."""
        if user is None or not user.is_authenticated:
            return models.Q(**{f"{prefix}visibility": Visibility.PUBLIC})
        # Replies carry their thread's session, so the membership test answers for the thread too.
        # (An IN over the user's memberships: quicker to build and to run than a correlated EXISTS.)
        if sessions is None:
            sessions = Membership.objects.filter(user=user).values("session")
        return (
            models.Q(**{f"{prefix}visibility": Visibility.PUBLIC})
            | models.Q(**{f"{prefix}author": user})
            | models.Q(**{f"{prefix}visibility": Visibility.SESSION, "session__in": sessions})
        )

    @staticmethod
    def _targets_visible(prefix: str = "") -> models.Q:
        """A link (an annotation with a relation) is seen whole or not at all: none of its other
        targets may be on a document readers cannot see (a deleted one). Plain annotations have
        no relation, so the subquery runs for links only."""
        hidden = AnnotationTarget.objects.filter(
            annotation_id=OuterRef(f"{prefix}pk"), document__deleted_at__isnull=False
        )
        return models.Q(**{f"{prefix}relation__isnull": True}) | models.Q(~Exists(hidden))

    def visible_to(self, user, *, sessions=None) -> AnnotationQuerySet:
        """The one place that decides who sees which annotation: public ones, your own, and the
        session ones of sessions you belong to. A reply also needs its thread to be visible, and
        keeps the visibility it was written with as a ceiling: a thread made public later never
        makes someone's session-only reply public. Your own replies you always see."""
        own_visible = self._own_visible(user, sessions=sessions)
        parent_visible = self._own_visible(user, "parent__", sessions=sessions)
        reply_visible = parent_visible & own_visible
        if user is not None and user.is_authenticated:
            reply_visible = models.Q(author=user) | reply_visible
        return self.filter(
            models.Q(parent__isnull=True) & own_visible & self._targets_visible()
            | models.Q(parent__isnull=False) & reply_visible & self._targets_visible("parent__"),
            document__deleted_at__isnull=True,  # kept while their document is deleted, shown again with it
        )

    def visible_threads_to(self, user, *, sessions=None) -> AnnotationQuerySet:
        """``visible_to(user).threads()``, built from the same rule without its half for replies:
        the reader's hot path, cheaper to build and to run. ``sessions``: see ``_own_visible``."""
        return self.threads().filter(
            self._own_visible(user, sessions=sessions), self._targets_visible(), document__deleted_at__isnull=True
        )

    def links(self) -> AnnotationQuerySet:
        return self.threads().filter(relation__isnull=False)

    def threads(self) -> AnnotationQuerySet:
        return self.filter(parent__isnull=True)

    def anchored(self) -> AnnotationQuerySet:
        return self.threads().exclude(anchor_state=AnchorState.ORPHANED)

    def orphaned(self) -> AnnotationQuerySet:
        return self.threads().filter(anchor_state=AnchorState.ORPHANED)


class Annotation(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annotations")
    # Empty once the author's account is deleted: what others could see stays, as "deleted user"
    # (annotations/users.py), so nobody's replies and threads go with someone else's account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="Set on replies.",
        db_index=False,  # indexed for replies only, below
    )
    session = models.ForeignKey(
        "AnnotationSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="annotations",
        help_text="The session it was made in, if any.",
    )
    # The target (empty on replies, which target their parent).
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    anchor_state = models.CharField(
        max_length=10,
        choices=[(state.value, label) for state, label in ANCHOR_STATE_LABELS.items()],
        default=AnchorState.ANCHORED.value,
    )
    # Set on links only: the target above is the link's first passage, ``targets`` the others.
    relation = models.ForeignKey(
        Relation, null=True, blank=True, on_delete=models.PROTECT, related_name="annotations", db_index=False
    )

    body = models.TextField("comment (Markdown)", blank=True)
    body_html = models.TextField(blank=True, editable=False, help_text="The comment rendered and sanitised.")
    tags = models.ManyToManyField(Tag, blank=True, related_name="annotations")
    # The tags' ids in the order the author gave them: the first one colours the highlight.
    tag_order = models.JSONField(default=list, blank=True, editable=False)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    version = models.PositiveIntegerField(default=1, help_text="Goes up on every change: the ETag.")
    # The W3C model's ``canonical`` (an IRI the annotation keeps wherever it is copied: the data
    # model says it MUST be kept) and ``via`` (the id it had where it came from, which the Protocol
    # moves there when the server gives it a new id).
    canonical = models.CharField(max_length=2000, blank=True)
    via = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["document", "start", "created_at"]
        indexes = [
            models.Index(fields=["document", "start"], name="annotation_document_start"),
            models.Index(fields=["author", "created_at"], name="annotation_author_created"),
            # Replies only. Over every row, "parent IS NULL" (a thread) looked to SQLite like the
            # best index until statistics were gathered (nothing gathers them by itself), and the
            # compare page scanned every thread in the database instead of its five documents'.
            models.Index(
                fields=["parent", "created_at"],
                name="annotation_reply_created",
                condition=models.Q(parent__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=False)
                | models.Q(anchor_state="orphaned")
                | models.Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="annotation_target_is_a_span",
            )
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"Reply by {self.author_name} to #{self.parent_id}"
        return f"“{self.exact[:60]}” by {self.author_name}"

    def get_absolute_url(self) -> str:
        return reverse("annotation_detail", args=[self.pk])

    @property
    def author_name(self) -> str:
        return self.author.get_username() if self.author is not None else DELETED_USER

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'

    def ordered_tags(self) -> list[Tag]:
        """The tags in the author's order (uses a prefetched ``tags`` when there is one)."""
        position = {pk: index for index, pk in enumerate(self.tag_order)}
        return sorted(self.tags.all(), key=lambda tag: (position.get(tag.pk, len(position)), tag.name))


class AnnotationTarget(models.Model):
    """One more passage of a link, after the annotation's own target: the same selectors and
    anchoring state, in any document. An annotation without these is a one-target annotation."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(help_text="1 for the link's second passage, and so on.")
    # Purging a document for good takes its passages out of links; deleting one hides the links.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annotation_targets")
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    anchor_state = models.CharField(
        max_length=10,
        choices=[(state.value, label) for state, label in ANCHOR_STATE_LABELS.items()],
        default=AnchorState.ANCHORED.value,
    )

    class Meta:
        ordering = ["annotation", "position"]
        indexes = [models.Index(fields=["document", "start"], name="annotation_target_document")]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "position"], name="one_target_per_position"),
            models.CheckConstraint(
                condition=models.Q(anchor_state="orphaned")
                | models.Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="annotation_extra_target_is_a_span",
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.exact[:60]}”, passage {self.position + 1} of annotation #{self.annotation_id}"


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for the annotation API (``Authorization: Bearer …``): it acts as its user,
    with the user's permissions, on /annotations/ only. Only a digest of it is stored; the token
    itself is shown once, when it is made (``tokens.py``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, as its owner named it.")
    digest = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256 of the token, in hex
    prefix = models.CharField(max_length=12, editable=False, help_text="The token's first characters.")
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"


class SuggestionDismissal(models.Model):
    """A suggested link (#19) someone dismissed: on a session's page for that session, elsewhere
    for them. ``key`` names the suggestion (its kind and passages, hashed): a suggestion whose
    passages change after a text edit is a new one, offered again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(AnnotationSession, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "session", "key"], name="one_dismissal_per_session"),
            models.UniqueConstraint(
                fields=["user", "key"], condition=models.Q(session__isnull=True), name="one_dismissal_outside_sessions"
            ),
        ]

    def __str__(self) -> str:
        return f"suggestion {self.key} dismissed by {self.user}" + (
            f" in session {self.session_id}" if self.session_id else ""
        )
