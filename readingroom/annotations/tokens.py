"""Personal API tokens: made, revoked, and checked for the annotation API (``api.py``).

A token is 32 random bytes (``rr_`` and URL-safe base64), shown once when it is made. Only its
SHA-256 is stored: a token carries 256 bits of chance, so a fast digest is as safe as a slow
password hash would be, and checking one costs one indexed lookup. The first characters are kept
in the clear so that their owner can tell tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, TokenScope

TOKEN_PREFIX = "rr_"
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most this often per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, scope: str) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it and the token itself, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError("Give the token a name, to know later what it is for.")
    if scope not in TokenScope.values:
        raise ValidationError(f"A token's scope is one of: {', '.join(TokenScope.values)}.")
    # Locks the user's row: two requests at once cannot both pass the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"You have {MAX_ACTIVE_TOKENS} tokens; revoke one you no longer use first.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], digest=token_digest(raw), prefix=raw[:10], scope=scope)
    return token, raw


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> ApiToken | None:
    """Revoke one of ``user``'s own tokens (None when it is not theirs); from the next request on
    it is refused. Kept, revoked, so its owner still sees what it was and when it was last used."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is not None and token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def api_tokens_revoke_by_staff(*, moderator, token_ids: list[int]) -> int:
    """A curator's revocation in the admin of anyone's tokens (a leaked one, a script gone wrong):
    from the next request on they are refused. Returns how many were still active."""
    if not (moderator.is_active and moderator.is_staff):
        raise PermissionDenied("Only staff can revoke other people's tokens.")
    return ApiToken.objects.active().filter(pk__in=token_ids).update(revoked_at=timezone.now())


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token ``raw`` is, with its user, when that user's account is active; else None.
    Notes when it was used (at most once a minute)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.active().select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
