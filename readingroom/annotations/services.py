"""Writes to tags and annotations. Every check the browser does is done again here: these are
the functions the popover, the W3C API and the importer all go through."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from readingroom.fixedsql import insert
from readingroom.library.models import Document
from readingroom.text.anchoring import Quote, SelectionError, check_selection, reanchor_all

from .comments import render_comment
from .models import AnchorState, Annotation, AnnotationSession, Role, Tag, Visibility, default_tag_colour
from .parsing import InvalidAnnotation, parse_annotation
from .sessions import membership_of, session_join, session_start, session_touch

MAX_TAGS = 10
MAX_TAG_LENGTH = 40
MAX_BODY_LENGTH = 10_000


class AnnotationError(ValueError):
    """Input the server will not store; the message is shown to the person who sent it."""


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


def _clean_tag_names(names: Iterable[str]) -> list[str]:
    """Tag names tidied (spacing), split at commas, without repeats (ignoring case), checked."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for given in names:
        if not isinstance(given, str):
            raise AnnotationError("Tags must be text.")
        _check_text(given, "A tag")
        for name in given.split(","):
            name = " ".join(name.split())
            if not name or name.casefold() in seen:
                continue
            if len(name) > MAX_TAG_LENGTH:
                raise AnnotationError(f"A tag can be at most {MAX_TAG_LENGTH} characters: “{name[:50]}…”.")
            seen.add(name.casefold())
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise AnnotationError(f"An annotation can have at most {MAX_TAGS} tags (this one has {len(cleaned)}).")
    return cleaned


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "tag"
    slug, number = base, 2
    while Tag.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def tags_for_names(names: Iterable[str]) -> list[Tag]:
    """Existing tags by name (ignoring case), new ones created, in the order given."""
    tags = []
    for name in _clean_tag_names(names):
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=_unique_slug(name), colour=default_tag_colour(name))
        tags.append(tag)
    return tags


_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _check_text(text: str, what: str) -> str:
    """Control characters and lone surrogates are not text: no database, backup or page wants them."""
    if _UNSTORABLE.search(text):
        raise AnnotationError(f"{what} contains control characters; remove them and try again.")
    return text


def _check_body(body: str) -> str:
    if not isinstance(body, str):
        raise AnnotationError("The comment must be text.")
    _check_text(body, "The comment")
    if len(body) > MAX_BODY_LENGTH:
        raise AnnotationError(f"A comment can be at most {MAX_BODY_LENGTH:,} characters (this one has {len(body):,}).")
    return body.strip()


def _check_visibility(visibility: str) -> str:
    if visibility not in Visibility.values:
        raise AnnotationError(f"Visibility must be one of: {', '.join(Visibility.values)}.")
    return visibility


def _set_tags(annotation: Annotation, tags: list[Tag]) -> None:
    annotation.tags.set(tags)
    # Kept in the order given: the first tag colours the highlight.
    annotation.tag_order = [tag.pk for tag in tags]
    Annotation.objects.filter(pk=annotation.pk).update(tag_order=annotation.tag_order)


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
    body = _check_body(body)
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
            visibility=_check_visibility(visibility),
            session=session,
        )
    )
    if tags:
        _set_tags(annotation, tags)
    _touch(annotation)
    return annotation


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
    return _reply_store(parent=parent, author=user, body=body, visibility=parent.visibility)


def _reply_store(*, parent: Annotation, author, body: str, visibility: str) -> Annotation:
    """Store a reply in ``parent``'s thread and session; the callers have decided who may."""
    body = _check_body(body)
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
        locked.body = _check_body(body)
        locked.body_html = render_comment(locked.body)
        fields += ["body", "body_html"]
    if visibility is not None and locked.parent_id is None:
        locked.visibility = _check_visibility(visibility)
        if locked.visibility == Visibility.SESSION and locked.session_id is None:
            raise AnnotationError("Only an annotation made in a session can be visible to the session.")
        fields.append("visibility")
        # Replies keep the visibility they were written with: their authors chose their audience.
    locked.version = F("version") + 1
    locked.save(update_fields=fields)
    locked.refresh_from_db()
    if tag_names is not None and locked.parent_id is None:
        _set_tags(locked, tags_for_names(tag_names))
    _touch(locked, was_private=was_private)
    return locked


@transaction.atomic
def annotation_delete(*, user, annotation: Annotation, expected_version: int | None = None) -> None:
    """Delete an annotation and its replies."""
    locked = _lock_for_change(user=user, annotation=annotation, expected_version=expected_version)
    _touch(locked)
    locked.delete()


@transaction.atomic
def tags_merge(*, tags: list[Tag], target: Tag) -> Tag:
    """Move every annotation of ``tags`` onto ``target`` and delete the others."""
    for tag in tags:
        if tag.pk == target.pk:
            continue
        for annotation in tag.annotations.all():
            annotation.tags.add(target)
            annotation.tag_order = [target.pk if pk == tag.pk else pk for pk in annotation.tag_order]
            # A tag merged into one the annotation already had appears once.
            annotation.tag_order = list(dict.fromkeys(annotation.tag_order))
            Annotation.objects.filter(pk=annotation.pk).update(tag_order=annotation.tag_order)
        tag.delete()
    return target


@dataclass
class AnnotationImport:
    created: int = 0
    errors: list[str] = field(default_factory=list)
    sessions: list[AnnotationSession] = field(default_factory=list)  # made for the sessions in the file


def _import_visibility(visibility: str | None, session: AnnotationSession | None) -> str:
    """The visibility exported, or the default where the file has none; only an annotation in a
    session can be visible to the session."""
    if visibility is None or (visibility == Visibility.SESSION and session is None):
        return Visibility.SESSION if session is not None else Visibility.PRIVATE
    return _check_visibility(visibility)


@transaction.atomic
def _orphan_import(parsed, author, session: AnnotationSession | None) -> Annotation:
    """An annotation whose passage was already lost when it was exported: kept, not anchored."""
    body = _check_body(parsed.body)
    annotation = Annotation.objects.create(
        document=parsed.document,
        author=author,
        session=session,
        exact=parsed.exact,
        prefix=parsed.prefix[:64],
        suffix=parsed.suffix[:64],
        anchor_state=AnchorState.ORPHANED,
        body=body,
        body_html=render_comment(body),
        visibility=_import_visibility(parsed.visibility, session),
    )
    _set_tags(annotation, tags_for_names(parsed.tags))
    return annotation


@transaction.atomic
def _reply_import(parsed, author, parent: Annotation) -> Annotation:
    """A reply as it was exported: in its thread's session, with the visibility it was written with.

    Unlike ``annotation_reply`` it does not ask whether the author can see the thread now: the
    export says the reply was written, and a thread made private after it was answered hides the
    reply from others here just as it did there."""
    if parent.parent is not None:
        parent = parent.parent  # a reply to a reply joins the thread, as annotation_reply has it
    visibility = _import_visibility(parsed.visibility or parent.visibility, parent.session)
    return _reply_store(parent=parent, author=author, body=parsed.body, visibility=visibility)


def _import_sessions(parsed_items: list, authors: dict, *, user, label: str) -> dict[int, AnnotationSession]:
    """A new session, owned by ``user``, for each session the file's annotations name (by their ids
    on the server they come from): with the documents of its annotations and, as annotators, their
    authors. So its session annotations and the replies to them are seen again by the members who
    wrote them, and by no one else."""
    by_session: dict[int, list] = {}
    for number, parsed in parsed_items:
        if parsed.session_id is not None:
            by_session.setdefault(parsed.session_id, []).append((number, parsed))
    sessions = {}
    for exported_id, members in sorted(by_session.items()):
        documents = list(dict.fromkeys(parsed.document for _, parsed in members if parsed.document is not None))
        if not documents:
            continue  # only replies, whose threads are not in the file: refused one by one
        title = label or "Imported annotations"
        if len(by_session) > 1:
            title = f"{title}, session {exported_id}"
        session = session_start(user=user, title=title, documents=documents)
        for author in dict.fromkeys(authors[number] for number, _ in members):
            session_join(session=session, user=author)
        sessions[exported_id] = session
    return sessions


def annotations_import(*, items: list, user, label: str = "") -> AnnotationImport:
    """Store annotations from a W3C export, each on its own: a bad one is reported, not half-saved.

    An annotation whose creator's nickname is a user here keeps that author; the others are
    filed under ``user``. Replies are stored after the annotations they answer. Annotations made
    in a session come back in a new one (see ``_import_sessions``; ``label``, the export's, names it).
    """
    users = get_user_model().objects
    report = AnnotationImport()
    new_ids: dict[str, Annotation] = {}
    parsed_items = []
    for number, item in enumerate(items, start=1):
        try:
            parsed_items.append((number, parse_annotation(item)))
        except InvalidAnnotation as error:
            report.errors.append(f"Item {number}: {error}")
    # Threads first, then their replies.
    parsed_items.sort(key=lambda pair: pair[1].reply_to is not None)
    by_nickname = {
        nickname: users.filter(username=nickname).first() or user
        for nickname in {parsed.creator_nickname for _, parsed in parsed_items if parsed.creator_nickname}
    }
    authors = {number: by_nickname.get(parsed.creator_nickname or "", user) for number, parsed in parsed_items}
    sessions = _import_sessions(parsed_items, authors, user=user, label=label)
    report.sessions = list(sessions.values())
    for number, parsed in parsed_items:
        author = authors[number]
        session = sessions.get(parsed.session_id) if parsed.session_id is not None else None
        try:
            if parsed.orphaned:
                annotation = _orphan_import(parsed, author, session)
            elif parsed.reply_to is not None:
                parent = new_ids.get(parsed.reply_to)
                if parent is None:
                    raise AnnotationError("it answers an annotation that is not in the import")
                annotation = _reply_import(parsed, author, parent)
            else:
                visibility = _import_visibility(parsed.visibility, session)
                annotation = annotation_create_parsed(
                    user=author, parsed=parsed, session=session, visibility=visibility
                )
        except (AnnotationError, PermissionDenied) as error:
            report.errors.append(f"Item {number}: {error}")
            continue
        if parsed.source_id:
            new_ids[parsed.source_id] = annotation
        report.created += 1
    return report


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
    return counts
