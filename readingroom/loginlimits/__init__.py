"""Slowing down password guessing without letting strangers lock anyone out (services.py), and
the client's address, which rate limits elsewhere count by too."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    # Behind a proxy REMOTE_ADDR is the proxy; trust X-Forwarded-For only when told to, and only
    # its last entry, the one our proxy added (the client writes whatever it likes before it).
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1]
        if address := _valid_address(forwarded):
            return address
    return _valid_address(request.META.get("REMOTE_ADDR", ""))
