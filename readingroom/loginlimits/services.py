"""Slowing down password guessing without letting strangers lock anyone out.

Nothing here ever refuses the right password for good: a failed sign-in only makes the next try
wait, and the wait doubles with each failure past a free allowance (capped at 15 minutes). Three
counters, each over the last hour of failures:

- this username from this address: someone who mistypes gets 3 free tries, then waits 1 s, 2 s,
  4 s, …;
- this username from anywhere: guessing from many addresses is slowed after 10 failures, but
  not for a browser that has signed in as this user before (a signed "device cookie", OWASP's
  answer to lockout attacks), so a stranger's guesses never keep the owner out of their own
  browser;
- this address, across usernames: password spraying from one address is slowed after 30
  different usernames, again not for a browser known to the username tried, so the people behind
  one office or school address keep signing in.

Usernames are counted as Django's sign-in form reads them (NFKC-normalised and stripped), and
case-folded: "vera ", " vera", a no-break space or full-width letters are all "vera". Django
itself looks usernames up case-sensitively, so folding case only makes the count stricter.

A user kept waiting signs in with a password-reset link (which clears their failures), and on
signing in is told of the failures from elsewhere since their last sign-in.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import client_address
from .models import FailedLogin

__all__ = ["client_address"]

WINDOW = timedelta(hours=1)
# Failures are kept this long to tell the owner about them, then removed.
KEPT_FOR = timedelta(days=30)
MAX_WAIT_SECONDS = 15 * 60
FREE_FAILURES_PER_USERNAME_AND_ADDRESS = 3
FREE_FAILURES_PER_USERNAME = 10
FREE_USERNAMES_PER_ADDRESS = 30

KNOWN_BROWSER_COOKIE = "readingroom_known"
_KNOWN_BROWSER_SALT = "readingroom.loginlimits.known-browser"
_KNOWN_BROWSER_DAYS = 365
_KNOWN_USERNAMES_KEPT = 5


def normalise_username(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip().casefold()[:150]


# --- known browsers -----------------------------------------------------------------------------


def known_usernames(request: HttpRequest) -> list[str]:
    """The usernames this browser has signed in as (from its signed cookie; junk counts as none)."""
    value = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not value:
        return []
    try:
        names = signing.loads(value, salt=_KNOWN_BROWSER_SALT, max_age=timedelta(days=_KNOWN_BROWSER_DAYS))
    except (signing.BadSignature, ValueError):
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def known_browser_remember(*, request: HttpRequest, response: HttpResponse, username: str) -> None:
    names = [normalise_username(username)]
    names += [name for name in known_usernames(request) if name not in names]
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        signing.dumps(names[:_KNOWN_USERNAMES_KEPT], salt=_KNOWN_BROWSER_SALT),
        max_age=_KNOWN_BROWSER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- counting -----------------------------------------------------------------------------------


def _remaining(*, failures: int, free: int, last: datetime | None, now: datetime) -> int:
    if last is None or failures <= free:
        return 0
    wait = min(2 ** min(failures - free - 1, 20), MAX_WAIT_SECONDS)
    return max(0, int((last + timedelta(seconds=wait) - now).total_seconds() + 0.999))


def sign_in_wait(*, username: str, address: str | None, known: list[str]) -> int:
    """Seconds this client must wait before its next try for ``username`` (0: it may try now)."""
    name = normalise_username(username)
    now = timezone.now()
    recent = FailedLogin.objects.filter(at__gte=now - WINDOW)
    waits = []
    if address:
        pair = recent.filter(username=name, address=address).aggregate(failures=Count("pk"), last=Max("at"))
        waits.append(_remaining(free=FREE_FAILURES_PER_USERNAME_AND_ADDRESS, now=now, **pair))
    if name not in known:
        anywhere = recent.filter(username=name).aggregate(failures=Count("pk"), last=Max("at"))
        waits.append(_remaining(free=FREE_FAILURES_PER_USERNAME, now=now, **anywhere))
        if address:
            spraying = recent.filter(address=address).aggregate(
                failures=Count("username", distinct=True), last=Max("at")
            )
            waits.append(_remaining(free=FREE_USERNAMES_PER_ADDRESS, now=now, **spraying))
    return max(waits, default=0)


def sign_in_failure_record(*, username: str, address: str | None) -> None:
    FailedLogin.objects.create(username=normalise_username(username), address=address)
    FailedLogin.objects.filter(at__lt=timezone.now() - KEPT_FOR).delete()


@dataclass(frozen=True)
class FailuresElsewhere:
    count: int
    last_at: datetime | None
    last_address: str | None


def sign_in_success_record(*, username: str, address: str | None, previous_sign_in: datetime | None) -> FailuresElsewhere:
    """Forget this client's own failures for the username (its typos), and report the failures
    from other addresses since the user's previous sign-in, for the owner to see."""
    name = normalise_username(username)
    FailedLogin.objects.filter(username=name, address=address).delete()
    elsewhere = FailedLogin.objects.filter(username=name)
    if previous_sign_in is not None:
        elsewhere = elsewhere.filter(at__gt=previous_sign_in)
    last = elsewhere.order_by("-at").first()
    return FailuresElsewhere(
        count=elsewhere.count(), last_at=last.at if last else None, last_address=last.address if last else None
    )


def sign_in_failures_clear(*, username: str) -> None:
    """After a password reset: whoever holds the reset link is the owner; nothing waits."""
    FailedLogin.objects.filter(username=normalise_username(username)).delete()
