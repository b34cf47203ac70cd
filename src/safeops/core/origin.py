"""Was a request sent by a page of this site? For forms that set no cookie (the anonymous tip
line), where Django's CSRF token, which needs a cookie, cannot be used.

A token in a hidden field alone would not help: with no cookie or session to bind it to, a
forging site could fetch a fresh token itself. Browsers say where a request comes from:
``Origin`` (sent on every cross-origin request and every POST), ``Sec-Fetch-Site`` (current
browsers, even when ``Origin`` is ``null``) and ``Referer``. The answer is:

- SAME when ``Origin`` is this site's own origin (scheme and host as Django sees them, behind
  the proxy too) or one of ``CSRF_TRUSTED_ORIGINS``; else, without ``Origin``, when
  ``Sec-Fetch-Site`` is ``same-origin`` or ``none`` (typed by the user), else when the
  ``Referer`` is on this site;
- CROSS when any of them names another site (``Origin: null`` counts as another site);
- UNKNOWN when none is sent: not a browser posting a form (a script or a command-line client).
"""

from __future__ import annotations

import enum
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


class Origin(enum.Enum):
    SAME = "same"
    CROSS = "cross"
    UNKNOWN = "unknown"


def _trusted(origin: str, request: HttpRequest) -> bool:
    origin = origin.rstrip("/").lower()
    if origin == f"{request.scheme}://{request.get_host()}".lower():
        return True
    parts = urlsplit(origin)
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        allowed = urlsplit(trusted.rstrip("/").lower())
        if allowed.scheme != parts.scheme:
            continue
        if allowed.netloc == parts.netloc:
            return True
        if allowed.netloc.startswith("*.") and parts.netloc.endswith(allowed.netloc[1:]):
            return True
    return False


def request_origin(request: HttpRequest) -> Origin:
    """Where the request says it was sent from (see the module's docstring)."""
    origin = request.META.get("HTTP_ORIGIN", "")
    if origin and origin != "null":
        return Origin.SAME if _trusted(origin, request) else Origin.CROSS
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE", "")
    if fetch_site:
        return Origin.SAME if fetch_site in ("same-origin", "none") else Origin.CROSS
    if origin == "null":
        return Origin.CROSS
    referer = request.META.get("HTTP_REFERER", "")
    if referer:
        parts = urlsplit(referer)
        same = bool(parts.scheme and parts.netloc)
        return (
            Origin.SAME
            if same and _trusted(f"{parts.scheme}://{parts.netloc}", request)
            else Origin.CROSS
        )
    return Origin.UNKNOWN
