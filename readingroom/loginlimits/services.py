"""Slowing down password guessing without letting strangers lock anyone out.

Nothing here ever refuses the right password for good: a failed sign-in only makes the next try
wait, and the wait doubles with each failure past a free allowance (capped at 15 minutes).

A browser that has signed in as a user before carries a signed cookie naming that account (its
id and a digest of its password hash, so a password change forgets it) and a random id of the
browser (OWASP's "device cookies"). For such a known browser only its own failures for that
account count: 3 free, then 1 s, 2 s, 4 s, … A stranger's guesses, from anywhere, never slow it.

Every other client is counted three ways, over the last hour of failures:
- this username from this network (an IPv4 address, or an IPv6 /64, which one subscriber may
  rotate through at will): 3 free failures;
- this username from anywhere: 10 free, against guessing from many addresses;
- this network, across usernames: 30 different usernames free, against password spraying.

Usernames are counted as Django's sign-in form reads them (NFKC-normalised and stripped), and
case-folded: "vera ", " vera", a no-break space or full-width letters are all "vera".

A user kept waiting signs in with a password-reset link, which stops the waits (the failures are
kept, to be reported), and on signing in is told of the failures since their last sign-in.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import client_address, network_of
from .models import FailedLogin

__all__ = ["client_address"]

WINDOW = timedelta(hours=1)
# Failures are kept this long to tell the owner about them, then removed.
KEPT_FOR = timedelta(days=30)
MAX_WAIT_SECONDS = 15 * 60
FREE_FAILURES_FROM_ONE_CLIENT = 3
FREE_FAILURES_PER_USERNAME = 10
FREE_USERNAMES_PER_NETWORK = 30

KNOWN_BROWSER_COOKIE = "readingroom_known"
_KNOWN_BROWSER_SALT = "readingroom.loginlimits.known-browser"
_KNOWN_BROWSER_DAYS = 365
_KNOWN_ACCOUNTS_KEPT = 5


def normalise_username(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip().casefold()[:150]


# --- known browsers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownBrowser:
    browser: str  # a random id, made at this browser's first sign-in
    accounts: tuple[tuple[int, str], ...]  # (user id, digest of the password hash)


def _account_digest(user: AbstractBaseUser) -> str:
    # Django's own digest of the password hash (what keeps sessions valid): a password change
    # makes every browser a stranger again.
    return user.get_session_auth_hash()[:20]


def known_browser(request: HttpRequest) -> KnownBrowser | None:
    """This browser's signed cookie, or None (none, forged, expired or malformed)."""
    value = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_KNOWN_BROWSER_SALT, max_age=timedelta(days=_KNOWN_BROWSER_DAYS))
        browser = data["browser"]
        accounts = tuple((int(pk), str(digest)) for pk, digest in data["accounts"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return None
    return KnownBrowser(browser=str(browser)[:32], accounts=accounts) if browser else None


def _account_for(username: str) -> AbstractBaseUser | None:
    """The account a sign-in with ``username`` would reach: as Django's form and backend find it."""
    model = get_user_model()
    try:
        return model._default_manager.get_by_natural_key(unicodedata.normalize("NFKC", username).strip())
    except (model.DoesNotExist, ValueError):
        return None


def _is_known_for(browser: KnownBrowser | None, username: str) -> bool:
    if browser is None:
        return False
    account = _account_for(username)
    return account is not None and (account.pk, _account_digest(account)) in browser.accounts


def known_browser_remember(*, request: HttpRequest, response: HttpResponse, user: AbstractBaseUser) -> None:
    current = known_browser(request)
    entry = (user.pk, _account_digest(user))
    accounts = [entry] + [account for account in (current.accounts if current else ()) if account[0] != user.pk]
    value = {
        "browser": current.browser if current else secrets.token_urlsafe(16),
        "accounts": [list(account) for account in accounts[:_KNOWN_ACCOUNTS_KEPT]],
    }
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        signing.dumps(value, salt=_KNOWN_BROWSER_SALT),
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


def _network(address: str | None) -> str:
    return network_of(address) if address else "unknown"


def sign_in_wait(*, username: str, address: str | None, browser: KnownBrowser | None) -> int:
    """Seconds this client must wait before its next try for ``username`` (0: it may try now)."""
    name = normalise_username(username)
    now = timezone.now()
    counted = FailedLogin.objects.filter(at__gte=now - WINDOW, counts=True)
    if browser is not None and _is_known_for(browser, username):
        own = counted.filter(username=name, browser=browser.browser).aggregate(failures=Count("pk"), last=Max("at"))
        return _remaining(free=FREE_FAILURES_FROM_ONE_CLIENT, now=now, **own)
    network = _network(address)
    pair = counted.filter(username=name, network=network).aggregate(failures=Count("pk"), last=Max("at"))
    anywhere = counted.filter(username=name).aggregate(failures=Count("pk"), last=Max("at"))
    spraying = counted.filter(network=network).aggregate(failures=Count("username", distinct=True), last=Max("at"))
    return max(
        _remaining(free=FREE_FAILURES_FROM_ONE_CLIENT, now=now, **pair),
        _remaining(free=FREE_FAILURES_PER_USERNAME, now=now, **anywhere),
        _remaining(free=FREE_USERNAMES_PER_NETWORK, now=now, **spraying),
    )


@transaction.atomic
def sign_in_attempt_begin(
    *, username: str, address: str | None, browser: KnownBrowser | None
) -> tuple[int, int | None]:
    """Before the password is checked: (seconds to wait, None) when the client must wait, else
    (0, the id of a failure recorded in advance). The failure is recorded first, under a lock per
    username, so that requests sent at once each see the others: ten guesses in parallel count
    as ten, not as one. ``sign_in_attempt_succeeded`` takes it back when the password was right."""
    name = normalise_username(username)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sign-in:{name}"])
    # (SQLite: Reading Room's transactions begin IMMEDIATE, which already serialises writers.)
    wait = sign_in_wait(username=username, address=address, browser=browser)
    if wait:
        return wait, None
    failure = FailedLogin.objects.create(
        username=name, address=address, network=_network(address), browser=browser.browser if browser else ""
    )
    FailedLogin.objects.filter(at__lt=timezone.now() - KEPT_FOR).delete()
    return 0, failure.pk


def sign_in_attempt_succeeded(*, attempt: int | None) -> None:
    if attempt is not None:
        FailedLogin.objects.filter(pk=attempt).delete()


@dataclass(frozen=True)
class FailuresElsewhere:
    count: int
    last_at: datetime | None
    last_address: str | None


def sign_in_success_record(
    *, username: str, address: str | None, browser: KnownBrowser | None, previous_sign_in: datetime | None
) -> FailuresElsewhere:
    """Stop counting this client's own failures for the username (its typos), and report the
    failures from elsewhere since the user's previous sign-in, for the owner to see."""
    name = normalise_username(username)
    own = Q(network=_network(address)) | (Q(browser=browser.browser) if browser else Q(pk__in=[]))
    FailedLogin.objects.filter(own, username=name).update(counts=False)
    elsewhere = FailedLogin.objects.filter(username=name).exclude(own)
    if previous_sign_in is not None:
        elsewhere = elsewhere.filter(at__gt=previous_sign_in)
    last = elsewhere.order_by("-at").first()
    return FailuresElsewhere(
        count=elsewhere.count(), last_at=last.at if last else None, last_address=last.address if last else None
    )


def sign_in_waits_clear(*, username: str) -> None:
    """After a password reset: whoever holds the reset link is the owner; nothing makes them wait.
    The failures stay on record, to be reported when the owner signs in."""
    FailedLogin.objects.filter(username=normalise_username(username)).update(counts=False)
