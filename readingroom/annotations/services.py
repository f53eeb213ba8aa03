"""Writes to annotations: made, answered, changed, deleted, re-anchored after a text edit. Every
check the browser does is done again here: these are the functions the popover, the W3C API and
the importer (``importing.py``) all go through. Tags are ``tags.py``; the checks of what is
given, ``checks.py``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from readingroom.fixedsql import insert
from readingroom.library.models import Document
from readingroom.text.anchoring import Quote, SelectionError, check_selection, find_quote, reanchor_all

from .checks import AnnotationError, check_body, check_visibility
from .comments import render_comment
from .models import AnchorState, Annotation, AnnotationSession, AnnotationTarget, Role, Visibility
from .sessions import membership_of, session_touch
from .tags import set_tags, tags_for_names


def refusal_status(error: Exception, *, stale: int) -> int:
    """The HTTP status for a change the services refused: 400 for input they will not store, 403
    for a person who may not, ``stale`` (409 for pages, 412 for the Protocol's If-Match) for a
    change made meanwhile by someone else."""
    if isinstance(error, StaleAnnotation):
        return stale
    if isinstance(error, PermissionDenied):
        return 403
    return 400


class StaleAnnotation(Exception):
    """The annotation changed since the version the client edited."""

    def __init__(self, annotation: Annotation):
        super().__init__(
            f"Someone changed this annotation since you opened it (now version {annotation.version}); "
            "reload it and make your change again."
        )
        self.annotation = annotation


# What the services raise when they refuse a change (see refusal_status).
REFUSALS = (AnnotationError, StaleAnnotation, PermissionDenied)


def can_annotate(user, document: Document) -> bool:
    """Signed in, and the document is one readers can see (a deleted one takes no new annotations
    or replies until it is restored)."""
    return bool(user and user.is_authenticated) and document.deleted_at is None


def _check_session_write(user, session: AnnotationSession | None, document: Document | None = None) -> None:
    """In a session, only owners and annotators write, only while it is open, only on its documents."""
    if session is None:
        return
    membership = membership_of(session, user)
    if membership is None:
        raise PermissionDenied("You are not a member of this session.")
    if session.closed:
        raise AnnotationError("This session is closed: it is read-only.")
    if membership.role == Role.VIEWER:
        raise PermissionDenied("Viewers of a session cannot annotate or reply.")
    if document is not None and not session.documents.filter(pk=document.pk).exists():
        raise AnnotationError("That document is not part of this session.")


def _touch(annotation: Annotation, *, was_private: bool = True) -> None:
    """Tell the session's live clients, unless the change concerns a private annotation before
    and after (others may not even learn that it exists)."""
    if annotation.session_id and not (was_private and annotation.visibility == Visibility.PRIVATE):
        session_touch(session_id=annotation.session_id, document_id=annotation.document_id, annotation_id=annotation.pk)


@transaction.atomic
def annotation_create(
    *,
    user,
    document: Document,
    start: int,
    end: int,
    exact: str,
    body: str = "",
    tag_names: Iterable[str] = (),
    visibility: str | None = None,
    session: AnnotationSession | None = None,
) -> Annotation:
    """Annotate text[start:end] of the document (offsets in code points) after checking everything."""
    if not can_annotate(user, document):
        raise PermissionDenied("Sign in to annotate." if document.deleted_at is None else "This document was deleted.")
    _check_session_write(user, session, document)
    if visibility is None:
        visibility = Visibility.SESSION if session else Visibility.PRIVATE
    if visibility == Visibility.SESSION and session is None:
        raise AnnotationError("Only an annotation made in a session can be visible to the session.")
    try:
        quote = check_selection(document.canonical_text, start, end, exact)
    except SelectionError as error:
        raise AnnotationError(str(error)) from None
    body = check_body(body)
    tags = tags_for_names(tag_names)
    # A fixed INSERT (fixedsql.py): this is the save every annotator makes.
    annotation = insert(
        Annotation(
            document=document,
            author=user,
            start=start,
            end=end,
            exact=quote.exact,
            prefix=quote.prefix,
            suffix=quote.suffix,
            anchor_state=AnchorState.ANCHORED,
            body=body,
            body_html=render_comment(body),
            visibility=check_visibility(visibility),
            session=session,
        )
    )
    if tags:
        set_tags(annotation, tags)
    _touch(annotation)
    return annotation


def annotations_create_spans(
    *, user, document: Document, spans: Iterable[tuple[int, int, str, list[str]]], visibility: str
) -> tuple[int, list[str]]:
    """Each span ``(start, end, comment, tags)`` of the document's canonical text as the user's
    annotation, through the same checks as any other: how many were made, and why each other one
    was refused (named by its offsets). What the brat and WebAnno imports store their spans with."""
    text = document.canonical_text
    created, refused = 0, []
    for start, end, comment, tags in spans:
        try:
            annotation_create(
                user=user,
                document=document,
                start=start,
                end=end,
                exact=text[start:end],
                body=comment,
                tag_names=tags,
                visibility=visibility,
            )
        except (AnnotationError, PermissionDenied) as why:
            refused.append(f"{start}–{end}: {why}")
            continue
        created += 1
    return created, refused


def annotation_create_parsed(
    *, user, parsed, session: AnnotationSession | None = None, visibility: str | None = None
) -> Annotation:
    """``annotation_create`` for an annotation read from W3C JSON-LD (``parsing.parse_annotation``)."""
    return annotation_create(
        user=user,
        document=parsed.document,
        start=parsed.start,
        end=parsed.end,
        exact=parsed.exact,
        body=parsed.body,
        tag_names=parsed.tags,
        visibility=parsed.visibility if visibility is None else visibility,
        session=session,
    )


@transaction.atomic
def annotation_reply(*, user, parent: Annotation, body: str) -> Annotation:
    """A reply in the parent's thread; the caller has checked the user can see the parent."""
    if not can_annotate(user, parent.document):
        raise PermissionDenied(
            "Sign in to reply." if parent.document.deleted_at is None else "This document was deleted."
        )
    if parent.parent is not None:
        parent = parent.parent
    # Replying to a reply lands in its thread, which the user must be able to see.
    if not Annotation.objects.visible_to(user).filter(pk=parent.pk).exists():
        raise PermissionDenied("You cannot see the annotation you are replying to.")
    _check_session_write(user, parent.session)
    return reply_store(parent=parent, author=user, body=body, visibility=parent.visibility)


def reply_store(*, parent: Annotation, author, body: str, visibility: str) -> Annotation:
    """Store a reply in ``parent``'s thread and session; the callers have decided who may."""
    body = check_body(body)
    if not body:
        raise AnnotationError("A reply needs some text.")
    reply = Annotation.objects.create(
        document=parent.document,
        author=author,
        parent=parent,
        body=body,
        body_html=render_comment(body),
        visibility=visibility,
        session=parent.session,
    )
    _touch(reply)
    return reply


def _lock_for_change(*, user, annotation: Annotation, expected_version: int | None) -> Annotation:
    # Lock the annotation row only: its session is joined (nullable) and read, not changed.
    locked = Annotation.objects.select_for_update(of=("self",)).select_related("session").get(pk=annotation.pk)
    if locked.author_id != user.pk:
        raise PermissionDenied("Only its author can change or delete an annotation.")
    # A member removed from the session, or made a viewer, no longer writes in it; nor does anyone
    # once it is closed.
    _check_session_write(user, locked.session)
    if expected_version is not None and locked.version != expected_version:
        raise StaleAnnotation(locked)
    return locked


@transaction.atomic
def annotation_update(
    *,
    user,
    annotation: Annotation,
    body: str | None = None,
    tag_names: Iterable[str] | None = None,
    visibility: str | None = None,
    expected_version: int | None = None,
) -> Annotation:
    """Change an annotation's comment, tags or visibility. With ``expected_version``, a change
    made meanwhile by someone else is refused instead of overwritten."""
    locked = _lock_for_change(user=user, annotation=annotation, expected_version=expected_version)
    return _change(locked, body=body, tag_names=tag_names, visibility=visibility)


@transaction.atomic
def annotation_moderate(*, moderator, annotation: Annotation, body: str, visibility: str) -> Annotation:
    """A curator's change in the admin to someone's comment or visibility: staff only, through the
    same steps as the author's own change (version bumped in the database, the session's live
    clients told)."""
    if not (moderator.is_active and moderator.is_staff):
        raise PermissionDenied("Only staff can change other people's annotations.")
    locked = Annotation.objects.select_for_update(of=("self",)).select_related("session").get(pk=annotation.pk)
    return _change(locked, body=body, tag_names=None, visibility=visibility)


def _change(
    locked: Annotation, *, body: str | None, tag_names: Iterable[str] | None, visibility: str | None
) -> Annotation:
    """Apply a change to a locked annotation row (inside the caller's transaction)."""
    was_private = locked.visibility == Visibility.PRIVATE
    fields = ["version", "updated_at"]
    if body is not None:
        locked.body = check_body(body)
        locked.body_html = render_comment(locked.body)
        fields += ["body", "body_html"]
    if visibility is not None and locked.parent_id is None:
        locked.visibility = check_visibility(visibility)
        if locked.visibility == Visibility.SESSION and locked.session_id is None:
            raise AnnotationError("Only an annotation made in a session can be visible to the session.")
        fields.append("visibility")
        # Replies keep the visibility they were written with: their authors chose their audience.
    locked.version = F("version") + 1
    locked.save(update_fields=fields)
    locked.refresh_from_db()
    if tag_names is not None and locked.parent_id is None:
        set_tags(locked, tags_for_names(tag_names))
    _touch(locked, was_private=was_private)
    return locked


@transaction.atomic
def annotation_delete(*, user, annotation: Annotation, expected_version: int | None = None) -> None:
    """Delete an annotation and its replies."""
    locked = _lock_for_change(user=user, annotation=annotation, expected_version=expected_version)
    _touch(locked)
    locked.delete()


@transaction.atomic
def annotations_reanchor(*, document: Document, old_text: str) -> dict[str, int]:
    """Re-anchor every annotation of the document after its text changed from ``old_text``.

    Annotations are never deleted: one whose passage cannot be found becomes orphaned and keeps
    its quote. Returns how many ended anchored, moved and orphaned."""
    threads = [
        annotation
        for annotation in Annotation.objects.filter(document=document, parent__isnull=True).exclude(
            anchor_state=AnchorState.ORPHANED
        )
        if annotation.start is not None and annotation.end is not None  # what is not orphaned has a span
    ]
    spans = [
        (a.start, a.end, Quote(a.exact, a.prefix, a.suffix))
        for a in threads
        if a.start is not None and a.end is not None
    ]
    counts = {"anchored": 0, "moved": 0, "orphaned": 0}
    for annotation, anchor in zip(threads, reanchor_all(old_text, document.canonical_text, spans), strict=True):
        state = anchor.state
        if state == AnchorState.ANCHORED and annotation.anchor_state == AnchorState.MOVED:
            state = AnchorState.MOVED  # moved once is still moved from where its author put it
        annotation.anchor_state = state
        annotation.start, annotation.end = anchor.start, anchor.end
        annotation.exact, annotation.prefix, annotation.suffix = (
            anchor.quote.exact,
            anchor.quote.prefix,
            anchor.quote.suffix,
        )
        counts[anchor.state] += 1
    Annotation.objects.bulk_update(threads, ["anchor_state", "start", "end", "exact", "prefix", "suffix"])
    for state, count in targets_reanchor(document=document, old_text=old_text).items():
        counts[state] += count
    return counts


def annotations_reattach(*, document: Document) -> int:
    """Orphaned annotations of the document whose exact words are in its text again (lines a
    source's rule took out, put back) are anchored there again, as moved. Returns how many."""
    found = []
    for annotation in Annotation.objects.filter(
        document=document, parent__isnull=True, anchor_state=AnchorState.ORPHANED
    ):
        anchor = find_quote(document.canonical_text, Quote(annotation.exact, annotation.prefix, annotation.suffix))
        if anchor is None:
            continue
        annotation.anchor_state = anchor.state
        annotation.start, annotation.end = anchor.start, anchor.end
        annotation.exact, annotation.prefix, annotation.suffix = (
            anchor.quote.exact,
            anchor.quote.prefix,
            anchor.quote.suffix,
        )
        found.append(annotation)
    Annotation.objects.bulk_update(found, ["anchor_state", "start", "end", "exact", "prefix", "suffix"])
    return len(found)


def targets_reanchor(*, document: Document, old_text: str) -> dict[str, int]:
    """Re-anchor the passages of links (after their first) that lie in the document, as
    ``annotations_reanchor`` does annotations (inside its transaction). A passage that is lost
    is orphaned and keeps the link, which then shows as partial."""
    targets = [
        target
        for target in AnnotationTarget.objects.filter(document=document).exclude(anchor_state=AnchorState.ORPHANED)
        if target.start is not None and target.end is not None
    ]
    counts = {"anchored": 0, "moved": 0, "orphaned": 0}
    if not targets:
        return counts
    spans = [
        (t.start, t.end, Quote(t.exact, t.prefix, t.suffix))
        for t in targets
        if t.start is not None and t.end is not None
    ]
    for target, anchor in zip(targets, reanchor_all(old_text, document.canonical_text, spans), strict=True):
        state = anchor.state
        if state == AnchorState.ANCHORED and target.anchor_state == AnchorState.MOVED:
            state = AnchorState.MOVED
        target.anchor_state = state
        target.start, target.end = anchor.start, anchor.end
        target.exact, target.prefix, target.suffix = anchor.quote.exact, anchor.quote.prefix, anchor.quote.suffix
        counts[anchor.state] += 1
    AnnotationTarget.objects.bulk_update(targets, ["anchor_state", "start", "end", "exact", "prefix", "suffix"])
    # The links' versions move on: a client holding one sees by its ETag that a passage moved.
    Annotation.objects.filter(pk__in={target.annotation_id for target in targets}).update(version=F("version") + 1)
    return counts
