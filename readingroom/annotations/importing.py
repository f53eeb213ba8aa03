"""Annotations from a W3C export (``annotations_import``): each stored on its own through the same
checks as any other, replies after their threads, sessions made again for the members who wrote in them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .checks import AnnotationError, check_body, check_visibility
from .comments import render_comment
from .links import link_create_parsed
from .models import AnchorState, Annotation, AnnotationSession, Visibility
from .parsing import InvalidAnnotation, ParsedAnnotation, parse_annotation
from .services import annotation_create_parsed, reply_store
from .sessions import session_join, session_start
from .tags import set_tags, tags_for_names


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
    return check_visibility(visibility)


@transaction.atomic
def _orphan_import(parsed, author, session: AnnotationSession | None) -> Annotation:
    """An annotation whose passage was already lost when it was exported: kept, not anchored."""
    body = check_body(parsed.body)
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
    set_tags(annotation, tags_for_names(parsed.tags))
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
    return reply_store(parent=parent, author=author, body=parsed.body, visibility=visibility)


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
        documents = list(
            dict.fromkeys(
                document
                for _, parsed in members
                for document in [parsed.document, *(target.document for target in parsed.targets)]
                if document is not None
            )
        )
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


def _keep_provenance(annotation: Annotation, parsed: ParsedAnnotation) -> None:
    """What the W3C model keeps of a copy: its ``canonical`` IRI as given (it MUST travel with the
    annotation), and where it was copied from as ``via`` (the id it had in the export, or the via
    it already had there), so that exporting again carries both on."""
    if parsed.canonical or parsed.via:
        Annotation.objects.filter(pk=annotation.pk).update(canonical=parsed.canonical, via=parsed.via)
        annotation.canonical, annotation.via = parsed.canonical, parsed.via


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
            if parsed.targets:
                visibility = _import_visibility(parsed.visibility, session)
                annotation = link_create_parsed(
                    user=author, parsed=parsed, session=session, visibility=visibility, keep_lost=True
                )
            elif parsed.orphaned:
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
        _keep_provenance(annotation, parsed)
        if parsed.source_id:
            new_ids[parsed.source_id] = annotation
        report.created += 1
    return report
