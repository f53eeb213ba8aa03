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


def client_network(request: HttpRequest) -> str:
    """What rate limits count a client by: its IPv4 address, or its IPv6 /64 (one subscriber's
    line or one machine's range, whose addresses it may rotate at will); "unknown" when the
    address cannot be read, shared by every such client."""
    address = client_address(request)
    return network_of(address) if address else "unknown"


def network_of(address: str) -> str:
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
