"""Limits on failed sign-ins."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

LOCKOUT_MINUTES = 15
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 30


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    # Behind a proxy REMOTE_ADDR is the proxy; trust X-Forwarded-For only when told to, and only
    # its last entry, the one our proxy added (the client writes whatever it likes before it).
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1]
        if address := _valid_address(forwarded):
            return address
    return _valid_address(request.META.get("REMOTE_ADDR", ""))


def login_attempts_exceeded(*, username: str, address: str | None) -> bool:
    from .models import FailedLogin

    since = timezone.now() - timedelta(minutes=LOCKOUT_MINUTES)
    recent = FailedLogin.objects.filter(at__gte=since)
    if username and recent.filter(username=username.casefold()).count() >= MAX_FAILURES_PER_USERNAME:
        return True
    return bool(address) and recent.filter(address=address).count() >= MAX_FAILURES_PER_ADDRESS


def login_attempt_record(*, username: str, address: str | None) -> None:
    from .models import FailedLogin

    FailedLogin.objects.create(username=username.casefold()[:150], address=address)
    # Keep the table small: what is older than the window counts for nothing.
    FailedLogin.objects.filter(at__lt=timezone.now() - timedelta(minutes=LOCKOUT_MINUTES * 4)).delete()
