"""The client's address: the one function every rate limit and lockout asks.

Without a proxy (``BEHIND_PROXY`` false) it is the connection's address, ``REMOTE_ADDR``.
Behind our TLS proxy, each proxy appends the address it received the connection from to
``X-Forwarded-For``; whatever the client sent itself stands to the left of those. So the
client's address is the entry ``TRUSTED_PROXY_COUNT`` places from the right (one proxy: the
last entry). Entries further left are the client's own claims and are never used: rotating them
changes nothing. The server does not rewrite ``REMOTE_ADDR`` from the header, so this is the only
place the header is read.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The address of the client as seen by the outermost proxy we run (or by us)."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    hops = settings.TRUSTED_PROXY_COUNT
    if not settings.BEHIND_PROXY or hops < 1:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not entries:
        return remote  # a direct connection to the server (a health check)
    # Fewer entries than proxies: the request skipped the outer ones, and the leftmost entry
    # is still one a proxy of ours appended.
    candidate = entries[-min(hops, len(entries))]
    return candidate if _valid(candidate) else remote
