"""Dismissed suggestions (#19): the suggested links a user said no to, remembered on a session's
page for that session and elsewhere for the user. What is suggested is the reader's to work out
(it composes coverage and entities); this app only keeps the answers."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from .checks import AnnotationError
from .models import AnnotationSession, SuggestionDismissal

_KEY = re.compile(r"^[0-9a-f]{16,64}$")


class SuggestionError(AnnotationError):
    """A suggestion that cannot be accepted or dismissed as asked; the message says why."""


def dismissed_suggestion_keys(*, user, session: AnnotationSession | None = None) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return set(SuggestionDismissal.objects.filter(user=user, session=session).values_list("key", flat=True))


def suggestion_dismiss(*, user, key: str, session: AnnotationSession | None = None) -> None:
    """Remember that ``user`` dismissed the suggestion ``key`` (in ``session``); again is no change."""
    if user is None or not user.is_authenticated:
        raise SuggestionError("Sign in to dismiss suggestions.")
    if not isinstance(key, str) or not _KEY.match(key):
        raise SuggestionError("No such suggestion.")
    try:
        with transaction.atomic():
            SuggestionDismissal.objects.get_or_create(user=user, session=session, key=key)
    except IntegrityError:
        pass  # dismissed meanwhile in another tab: what was asked is done
