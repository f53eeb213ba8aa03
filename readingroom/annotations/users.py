"""Deleting an account without taking other people's work with it.

What the account's owner alone could see goes with it: their private annotations (nobody else
can have replied to those). Everything others could see stays, attributed to "deleted user":
their shared annotations (others may have replied, tagged along or cited them) and their replies
in others' threads. Sessions they owned pass to the longest-standing other member (an owner
first, then an annotator, then a viewer); a session with nobody else left is closed, its
annotations kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When

from .models import Annotation, AnnotationSession, Membership, Role, Visibility

_ROLE_PRECEDENCE = Case(
    When(role=Role.OWNER, then=Value(0)),
    When(role=Role.ANNOTATOR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass
class AccountDeletionPlan:
    """What deleting one account does, for the confirmation page and the report after it."""

    username: str
    deleted_annotations: int = 0
    kept_annotations: int = 0
    kept_replies: int = 0
    # (session title, the member who takes it over, or None when the session is closed)
    sessions: list[tuple[str, str | None]] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.deleted_annotations} private annotation(s) of {self.username} are deleted",
            f"{self.kept_annotations} shared annotation(s) and {self.kept_replies} repl(y/ies) stay, "
            "shown as by “deleted user”",
        ]
        for title, heir in self.sessions:
            parts.append(
                f"session “{title}” passes to {heir}"
                if heir
                else f"session “{title}” has no other member: it is closed and kept"
            )
        return "; ".join(parts) + "."


def _private_annotations(user: User):
    """The user's annotations and replies only they can see. One made private after others
    replied to it is kept, so their replies are."""
    others_replied = Annotation.objects.filter(parent=OuterRef("pk")).exclude(author=user)
    return Annotation.objects.filter(author=user, visibility=Visibility.PRIVATE).exclude(Exists(others_replied))


def _heir(session: AnnotationSession, user: User) -> Membership | None:
    return (
        Membership.objects.filter(session=session)
        .exclude(user=user)
        .select_related("user")
        .order_by(_ROLE_PRECEDENCE, "joined_at", "pk")
        .first()
    )


def _sessions_to_hand_over(user: User) -> list[AnnotationSession]:
    """Sessions the user started, or in which they are the only member with the owner role."""
    led = set(AnnotationSession.objects.filter(owner=user).values_list("pk", flat=True))
    for membership in Membership.objects.filter(user=user, role=Role.OWNER).select_related("session"):
        others = Membership.objects.filter(session=membership.session_id, role=Role.OWNER).exclude(user=user)
        if not others.exists():
            led.add(membership.session_id)
    return list(AnnotationSession.objects.filter(pk__in=led).order_by("pk"))


def account_deletion_plan(*, user: User) -> AccountDeletionPlan:
    kept = Annotation.objects.filter(author=user).exclude(pk__in=_private_annotations(user).values("pk"))
    plan = AccountDeletionPlan(
        username=user.get_username(),
        deleted_annotations=_private_annotations(user).count(),
        kept_annotations=kept.filter(parent__isnull=True).count(),
        kept_replies=kept.filter(parent__isnull=False).count(),
    )
    for session in _sessions_to_hand_over(user):
        heir = _heir(session, user)
        plan.sessions.append((session.title, heir.user.get_username() if heir else None))
    return plan


@transaction.atomic
def account_delete(*, user: User) -> AccountDeletionPlan:
    """Delete the account as ``account_deletion_plan`` describes, all of it or nothing."""
    plan = account_deletion_plan(user=user)
    for session in _sessions_to_hand_over(user):
        heir = _heir(session, user)
        if heir is None:
            AnnotationSession.objects.filter(pk=session.pk).update(owner=None, closed=True)
            continue
        if heir.role != Role.OWNER:
            Membership.objects.filter(pk=heir.pk).update(role=Role.OWNER)
        if session.owner_id == user.pk:
            AnnotationSession.objects.filter(pk=session.pk).update(owner=heir.user)
    # Annotations and sessions then lose their author or owner (SET_NULL); memberships go.
    _private_annotations(user).delete()
    user.delete()
    return plan


def accounts_delete(*, users: Iterable[User]) -> list[AccountDeletionPlan]:
    with transaction.atomic():
        return [account_delete(user=user) for user in users]
