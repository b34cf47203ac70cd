"""The request log: a request id, one access line per request, request metrics, and a static
503 page when the database cannot be reached.

First in settings.MIDDLEWARE, so its line covers the whole chain. The access line names the
method, the path (secret segments replaced, no query values), the status, the time, the
request id and the user's id; never an address, a user agent or a username. See
docs/operations.md.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from safeops.core import logging as safeops_logging
from safeops.core import metrics

access_logger = logging.getLogger("safeops.access")
logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
RETRY_AFTER_SECONDS = 30


def _request_id(request: HttpRequest) -> str:
    if settings.REQUEST_ID_FROM_PROXY:
        given = str(request.META.get("HTTP_X_REQUEST_ID", ""))
        if _VALID_REQUEST_ID.fullmatch(given):
            return given
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if this request already loaded the user (never a query of its own: the
    database may be the reason the request failed)."""
    user = request.__dict__.get("user")
    if isinstance(user, LazyObject):
        wrapped = user._wrapped  # type: ignore[attr-defined]  # set by LazyObject.__init__
        if wrapped is empty:
            return None
        user = wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else None


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        static = settings.STATIC_URL or "/static/"
        if request.path.startswith(static if static.startswith("/") else f"/{static}"):
            return "static"  # served by WhiteNoise before URL resolution
        return metrics.UNMATCHED_ROUTE
    return match.view_name or match.route or metrics.UNMATCHED_ROUTE


def logged_path(request: HttpRequest) -> str:
    """The path as logged: secret segments replaced, and of the query only its names."""
    path = safeops_logging.redact_path(request.path)
    if request.GET:
        path += "?" + "&".join(sorted({f"{name}=" for name in request.GET}))
    return path


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        context = safeops_logging.RequestContext(
            request_id=_request_id(request),
            addresses=safeops_logging.client_addresses(request.META),
        )
        token = safeops_logging.bind(context)
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = context.request_id
            self._record(request, response, context, seconds)
            # The access line is this response's line: Django's handler would add a second
            # ("Not Found: /path") after the middleware, outside the request's context.
            response._has_been_logged = True  # type: ignore[attr-defined]
        finally:
            safeops_logging.unbind(token)
        return response

    def _record(
        self,
        request: HttpRequest,
        response: HttpResponse,
        context: safeops_logging.RequestContext,
        seconds: float,
    ) -> None:
        route = _route(request)
        method = request.method or "-"
        status = response.status_code
        metrics.observe_request(route=route, method=method, status=status, seconds=seconds)
        path = logged_path(request)
        user_id = _user_id(request)
        duration_ms = round(seconds * 1000, 1)
        reason = f' reason="{context.reason}"' if context.reason else ""
        access_logger.info(
            "%s %s %s %.1fms user=%s%s",
            method,
            path,
            status,
            duration_ms,
            user_id if user_id is not None else "-",
            reason,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": user_id,
                "route": route,
                "reason": context.reason or None,
            },
        )

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The database is unreachable: a static 503 (no session, no context processors)."""
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": _("The service is unavailable. If someone is in danger now, call 911.")},
                status=503,
            )
        else:
            response = HttpResponse(_static_page("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


# If even the template cannot be rendered, the reporter still reads this.
LAST_RESORT_PAGE = (
    "<!doctype html><title>Error</title><p><strong>If someone is in danger now, call 911."
    "</strong></p><p>The page could not be shown. Please try again in a few minutes.</p>"
)


def _static_page(template: str) -> str:
    """An error page rendered from settings only: no database, session or context processors."""
    context = {
        "district_label": settings.SAFEOPS_DISTRICT_LABEL,
        "emergency_guidance": settings.EMERGENCY_GUIDANCE,
    }
    try:
        return loader.get_template(template).render(context)
    except Exception:
        logger.exception("The error page %s could not be rendered", template)
        return LAST_RESORT_PAGE


def server_error_view(request: HttpRequest) -> HttpResponse:
    """handler500: the static 500 page."""
    response = HttpResponse(_static_page("500.html"), status=500)
    response["Cache-Control"] = "no-store"
    return response
