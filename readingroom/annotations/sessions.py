"""Team annotation sessions: starting one, inviting, roles, closing, and the change counter that
live clients poll. Permission checks live here, next to the writes they guard."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import AnnotationSession, Membership, Role, SessionChange, new_invite_token

HERE_NOW_SECONDS = 45
SEEN_WRITE_INTERVAL_SECONDS = 10


class SessionError(ValueError):
    """A change to a session that cannot be made; the message says why."""


def membership_of(session: AnnotationSession, user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(session=session, user=user).select_related("session").first()


def _require_owner(session: AnnotationSession, user) -> None:
    membership = membership_of(session, user)
    if membership is None or membership.role != Role.OWNER:
        raise PermissionDenied("Only the session's owners can do that.")


@transaction.atomic
def session_start(*, user, title: str, documents, description: str = "") -> AnnotationSession:
    title = " ".join(title.split())[:200]
    documents = list(documents)
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to start a session.")
    if not title:
        raise SessionError("A session needs a title.")
    if not documents:
        raise SessionError("A session needs at least one document.")
    session = AnnotationSession.objects.create(title=title, description=description.strip(), owner=user)
    session.documents.set(documents)
    Membership.objects.create(session=session, user=user, role=Role.OWNER)
    return session


@transaction.atomic
def session_join(*, session: AnnotationSession, user) -> Membership:
    """Join through the invitation link; joining again keeps the role you have."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to join a session.")
    membership, _ = Membership.objects.get_or_create(session=session, user=user, defaults={"role": Role.ANNOTATOR})
    return membership


@transaction.atomic
def session_revoke_invite(*, session: AnnotationSession, user) -> str:
    """A new invitation link; the old one stops working."""
    _require_owner(session, user)
    session.invite_token = new_invite_token()
    session.save(update_fields=["invite_token"])
    return session.invite_token


@transaction.atomic
def session_set_role(*, session: AnnotationSession, user, member: Membership, role: str) -> Membership:
    _require_owner(session, user)
    if role not in Role.values:
        raise SessionError(f"Role must be one of: {', '.join(Role.values)}.")
    if member.session_id != session.pk:
        raise SessionError("That person is not a member of this session.")
    if member.role == Role.OWNER and role != Role.OWNER and _owner_count(session) == 1:
        raise SessionError("A session needs an owner: make someone else an owner first.")
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def session_remove_member(*, session: AnnotationSession, user, member: Membership) -> None:
    _require_owner(session, user)
    if member.session_id != session.pk:
        raise SessionError("That person is not a member of this session.")
    if member.role == Role.OWNER and _owner_count(session) == 1:
        raise SessionError("The last owner cannot be removed.")
    member.delete()


def _owner_count(session: AnnotationSession) -> int:
    return Membership.objects.filter(session=session, role=Role.OWNER).count()


@transaction.atomic
def session_set_closed(*, session: AnnotationSession, user, closed: bool) -> AnnotationSession:
    """Close a session (read-only for everyone) or open it again."""
    _require_owner(session, user)
    session.closed = closed
    session.save(update_fields=["closed"])
    return session


def session_touch(*, session_id: int, document_id: int, annotation_id: int) -> None:
    """Record one change to a session's annotations (inside the caller's transaction)."""
    AnnotationSession.objects.filter(pk=session_id).update(version=F("version") + 1)
    version = AnnotationSession.objects.filter(pk=session_id).values_list("version", flat=True).get()
    SessionChange.objects.create(
        session_id=session_id, version=version, document_id=document_id, annotation_id=annotation_id
    )


def membership_seen(membership: Membership) -> None:
    """Note that a member has the session open; written at most every few seconds."""
    now = timezone.now()
    if membership.last_seen is None or now - membership.last_seen > timedelta(seconds=SEEN_WRITE_INTERVAL_SECONDS):
        Membership.objects.filter(pk=membership.pk).update(last_seen=now)
        membership.last_seen = now


def members_here(session: AnnotationSession) -> list[Membership]:
    since = timezone.now() - timedelta(seconds=HERE_NOW_SECONDS)
    return list(session.memberships.filter(last_seen__gte=since).select_related("user").order_by("user__username"))
