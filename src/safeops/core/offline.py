"""The service worker of an officer's phone page (dispatch, patrol): one script,
`static/safeops/offline-sw.js`, given the page's shell, the API reads to keep and a cache
name, plus any page-specific part. Served from the page's own path so it can control it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.contrib.staticfiles import finders
from django.http import HttpResponse


def _read(name: str) -> str:
    path = finders.find(name)
    if not path:
        return ""
    with open(path, encoding="utf-8") as handle:  # noqa: PTH123
        return handle.read()


def service_worker_response(
    *,
    scope: str,
    assets: Sequence[str],
    cache: str,
    keep: Sequence[str] = (),
    extra: str = "",
) -> HttpResponse:
    """The worker script for `scope`: its shell `assets` (the page and its files) and `keep`
    (API paths answered from the cache when there is no signal), then the script `extra`."""
    body = (
        _read("safeops/offline-sw.js")
        .replace("__SHELL__", json.dumps(list(assets)))
        .replace("__KEEP__", json.dumps(list(keep)))
        .replace("__CACHE__", json.dumps(cache))
    )
    if extra:
        body += "\n" + _read(extra)
    response = HttpResponse(body, content_type="application/javascript")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"
    return response
