"""Links across sources (#19): one annotation with a relation and several targets, each a passage
of a document. The annotation's own target is the first passage (so a plain annotation is a link
of one passage without a relation, unchanged); ``AnnotationTarget`` rows hold the others.

Written through the same checks as annotations: every passage must anchor in its document's
canonical text, every document must be one the author can see (and, in a session, one of the
session's), and edits follow the annotation's version (the ETag).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from readingroom.library.models import Document
from readingroom.text.anchoring import SelectionError, check_selection

from .checks import AnnotationError, check_body
from .comments import render_comment
from .models import AnchorState, Annotation, AnnotationSession, AnnotationTarget, Relation, Visibility
from .services import (
    _change,
    _check_session_write,
    _lock_for_change,
    annotation_create,
    annotation_delete,
    can_annotate,
)
from .sessions import session_touch
from .tags import set_tags, tags_for_names

MAX_TARGETS = 10
# A link's state when some of its passages were lost to text edits and others were not.
PARTIAL = "partial"


class LinkError(AnnotationError):
    """A link that cannot be stored as given; the message says why."""


@dataclass(frozen=True)
class LinkTarget:
    """One passage of a link as a client gives it: text[start:end] of the document (code points)."""

    document: Document
    start: int
    end: int
    exact: str


def relation_for(name: str) -> Relation | None:
    """The relation with this slug or name (any case), or None."""
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        return None
    name = name.strip()
    return Relation.objects.filter(slug=name).first() or Relation.objects.filter(name__iexact=name).first()


def link_targets(annotation) -> list:
    """A link's passages after its first, in order: those read with it (``link_targets`` set by
    a selector or ``rows.py``), else from the database; none for a plain annotation."""
    if getattr(annotation, "relation_id", None) is None:
        return []
    given = getattr(annotation, "link_targets", None)
    if given is not None:
        return given
    return list(annotation.targets.all())


def link_state(annotation, targets: Sequence | None = None) -> str:
    """The state of an annotation's passages taken together: the annotation's own state for a
    plain annotation, ``partial`` for a link some (not all) of whose passages are orphaned."""
    if getattr(annotation, "relation_id", None) is None:
        return annotation.anchor_state
    states = [annotation.anchor_state, *(target.anchor_state for target in (targets or link_targets(annotation)))]
    orphaned = states.count(AnchorState.ORPHANED)
    if orphaned == 0:
        return AnchorState.MOVED if AnchorState.MOVED in states else AnchorState.ANCHORED
    return AnchorState.ORPHANED if orphaned == len(states) else PARTIAL


def _checked_targets(*, user, targets: Sequence[LinkTarget], session: AnnotationSession | None) -> None:
    if len(targets) < 2:
        raise LinkError("A link needs at least two passages.")
    if len(targets) > MAX_TARGETS:
        raise LinkError(f"A link can join at most {MAX_TARGETS} passages.")
    spans = set()
    for number, target in enumerate(targets, start=1):
        if not can_annotate(user, target.document):
            raise PermissionDenied("Sign in to link passages." if user and user.is_authenticated else "Sign in.")
        _check_session_write(user, session, target.document)
        try:
            check_selection(target.document.canonical_text, target.start, target.end, target.exact)
        except SelectionError as error:
            raise LinkError(f"Passage {number}: {error}") from None
        span = (target.document.pk, target.start, target.end)
        if span in spans:
            raise LinkError(f"Passage {number} is the same passage as an earlier one.")
        spans.add(span)


def _touch_documents(annotation: Annotation, documents: Iterable[int], *, was_private: bool = True) -> None:
    """Tell the session's live clients of every document of the link but the first (which the
    annotation services tell), under the same rule as annotations."""
    if annotation.session_id and not (was_private and annotation.visibility == Visibility.PRIVATE):
        for document_id in dict.fromkeys(documents):
            if document_id != annotation.document_id:
                session_touch(session_id=annotation.session_id, document_id=document_id, annotation_id=annotation.pk)


@transaction.atomic
def link_create(
    *,
    user,
    targets: Sequence[LinkTarget],
    relation: Relation,
    body: str = "",
    tag_names: Iterable[str] = (),
    visibility: str | None = None,
    session: AnnotationSession | None = None,
) -> Annotation:
    """A link between two or more passages (in different documents, or apart in one), with a
    relation, a comment and tags as any annotation has."""
    if not isinstance(relation, Relation):
        raise LinkError("Choose how the passages relate.")
    targets = list(targets)
    _checked_targets(user=user, targets=targets, session=session)
    first, *others = targets
    annotation = _first_passage_create(
        user=user,
        target=first,
        relation=relation,
        body=body,
        tag_names=tag_names,
        visibility=visibility,
        session=session,
    )
    annotation.link_targets = AnnotationTarget.objects.bulk_create(_target_rows(annotation, others))  # type: ignore[attr-defined]
    _touch_documents(annotation, [target.document.pk for target in others])
    return annotation


def _first_passage_create(
    *, user, target, relation: Relation, body: str, tag_names: Iterable[str], visibility, session
) -> Annotation:
    """The link's annotation, on its first passage, made as any annotation is, with its relation."""
    annotation = annotation_create(
        user=user,
        document=target.document,
        start=target.start,
        end=target.end,
        exact=target.exact,
        body=body,
        tag_names=tag_names,
        visibility=visibility,
        session=session,
    )
    Annotation.objects.filter(pk=annotation.pk).update(relation=relation)
    annotation.relation = relation
    return annotation


def _target_rows(annotation: Annotation, others) -> list[AnnotationTarget]:
    """The rows of the passages after the first, numbered from 1: a passage still in its document
    anchored with its quote's context, one already lost (an import's) kept orphaned with its quote."""
    rows = []
    for position, target in enumerate(others, start=1):
        if _lost(target):
            rows.append(
                AnnotationTarget(
                    annotation=annotation,
                    position=position,
                    document=target.document,
                    exact=target.exact,
                    prefix=target.prefix[:64],
                    suffix=target.suffix[:64],
                    anchor_state=AnchorState.ORPHANED,
                )
            )
            continue
        try:
            quote = check_selection(target.document.canonical_text, target.start, target.end, target.exact)
        except SelectionError as error:
            raise LinkError(f"Passage {position + 1}: {error}") from None
        rows.append(
            AnnotationTarget(
                annotation=annotation,
                position=position,
                document=target.document,
                start=target.start,
                end=target.end,
                exact=quote.exact,
                prefix=quote.prefix,
                suffix=quote.suffix,
                anchor_state=AnchorState.ANCHORED,
            )
        )
    return rows


@transaction.atomic
def link_update(
    *,
    user,
    annotation: Annotation,
    relation: Relation | None = None,
    body: str | None = None,
    tag_names: Iterable[str] | None = None,
    visibility: str | None = None,
    expected_version: int | None = None,
) -> Annotation:
    """Change a link's relation, comment, tags or visibility (its passages are fixed, as an
    annotation's target is). With ``expected_version``, a change made meanwhile is refused."""
    locked = _lock_for_change(user=user, annotation=annotation, expected_version=expected_version)
    if locked.relation_id is None:
        raise LinkError("This annotation is not a link.")
    was_private = locked.visibility == Visibility.PRIVATE
    if relation is not None and relation.pk != locked.relation_id:
        Annotation.objects.filter(pk=locked.pk).update(relation=relation)
    updated = _change(locked, body=body, tag_names=tag_names, visibility=visibility)
    _touch_documents(
        updated,
        AnnotationTarget.objects.filter(annotation=updated).values_list("document_id", flat=True),
        was_private=was_private,
    )
    return updated


@transaction.atomic
def link_delete(*, user, annotation: Annotation, expected_version: int | None = None) -> None:
    """Delete a link with its passages and replies; every document's live clients are told."""
    documents = list(AnnotationTarget.objects.filter(annotation=annotation).values_list("document_id", flat=True))
    locked = _lock_for_change(user=user, annotation=annotation, expected_version=expected_version)
    _touch_documents(locked, documents)
    annotation_delete(user=user, annotation=locked, expected_version=None)


def link_create_parsed(
    *,
    user,
    parsed,
    session: AnnotationSession | None = None,
    visibility: str | None = None,
    keep_lost: bool = False,
) -> Annotation:
    """``link_create`` for a link read from W3C JSON-LD (``parsing.parse_annotation``). With
    ``keep_lost`` (an import), a link exported partial (some passages lost to text edits, each
    ``"state": "orphaned"`` with its quote) comes back partial, its lost passages orphaned where
    they were; otherwise (a new link) every passage must be in its document."""
    relation = relation_for(parsed.relation)
    if relation is None:
        names = ", ".join(Relation.objects.values_list("slug", flat=True))
        raise LinkError(f"No relation called {str(parsed.relation)[:60]!r}; the relations are: {names}.")
    visibility = parsed.visibility if visibility is None else visibility
    lost = [number for number, target in enumerate(parsed.targets, start=1) if _lost(target)]
    if lost and not keep_lost:
        raise LinkError(f"Target {lost[0]}: its passage is not in the document.")
    if lost:
        return _partial_link_create(user=user, parsed=parsed, relation=relation, session=session, visibility=visibility)
    targets = [
        LinkTarget(document=target.document, start=target.start, end=target.end, exact=target.exact)
        for target in parsed.targets
    ]
    return link_create(
        user=user,
        targets=targets,
        relation=relation,
        body=parsed.body,
        tag_names=parsed.tags,
        visibility=visibility,
        session=session,
    )


def _lost(target) -> bool:
    """A passage already orphaned where it came from (an import's; a client's ``LinkTarget`` never is)."""
    return getattr(target, "orphaned", False) or target.start is None or target.end is None


@transaction.atomic
def _partial_link_create(
    *, user, parsed, relation: Relation, session: AnnotationSession | None, visibility: str | None
) -> Annotation:
    """A link some of whose passages were already lost when it was exported: the passages still
    in their documents are checked and anchored as ``link_create`` does, the lost ones kept
    orphaned with their quotes, in the order they came."""
    targets = parsed.targets
    if all(_lost(target) for target in targets):
        raise LinkError("None of the link's passages is in its document any more.")
    if len(targets) > MAX_TARGETS:
        raise LinkError(f"A link can join at most {MAX_TARGETS} passages.")
    for target in targets:
        if not can_annotate(user, target.document):
            raise PermissionDenied("Sign in to link passages." if user and user.is_authenticated else "Sign in.")
        _check_session_write(user, session, target.document)
    first, *others = targets
    if _lost(first):
        if visibility is None:
            visibility = Visibility.SESSION if session else Visibility.PRIVATE
        body = check_body(parsed.body)
        annotation = Annotation.objects.create(
            document=first.document,
            author=user,
            session=session,
            exact=first.exact,
            prefix=first.prefix[:64],
            suffix=first.suffix[:64],
            anchor_state=AnchorState.ORPHANED,
            body=body,
            body_html=render_comment(body),
            visibility=visibility,
            relation=relation,
        )
        set_tags(annotation, tags_for_names(parsed.tags))
    else:
        annotation = _first_passage_create(
            user=user,
            target=first,
            relation=relation,
            body=parsed.body,
            tag_names=parsed.tags,
            visibility=visibility,
            session=session,
        )
    annotation.link_targets = AnnotationTarget.objects.bulk_create(_target_rows(annotation, others))  # type: ignore[attr-defined]
    _touch_documents(annotation, [target.document.pk for target in others])
    return annotation
