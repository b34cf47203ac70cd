"""The JSON API (django-ninja). OpenAPI at /api/docs.

Authentication: a session (browser, with CSRF) or `Authorization: Bearer <token>` from
`safeops create-token USER`; token calls are throttled to `API_TOKEN_RATE` per user (429).
Every endpoint asks the access module.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import ValidationError as InputError
from ninja.security import HttpBearer, django_auth

from safeops.accounts.throttling import BEARER_ATTRIBUTE, TokenRateThrottle
from safeops.accounts.tokens import token_authenticate
from safeops.core.inputs import INVALID_INPUT


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user  # type: ignore[assignment]  # the custom User, typed as the base
            setattr(request, BEARER_ATTRIBUTE, True)  # counted by TokenRateThrottle
        return user


auth: list[Any] = [BearerToken(), django_auth]
api = NinjaAPI(
    title="safeops API",
    version="1",
    description="School safety operations: schools, zones and assignments.",
    auth=auth,
    throttle=[TokenRateThrottle()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, detail: str, errors: Any = None) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors: list[dict[str, str | None]] = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": None, "message": message} for message in exc.messages]
    return _error(request, 422, str(INVALID_INPUT), errors)


# Where pydantic says an input came from; the field is named without it ("body.payload.x" → "x").
_SOURCES = {"path", "query", "header", "cookie", "form", "file"}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["body"]
    elif parts and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(parts) or None


@api.exception_handler(InputError)
def on_input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
    """Input that does not parse: 422 in the same shape as every other error, naming the field."""
    errors = [{"field": _field_name(e.get("loc", ())), "message": e["msg"]} for e in exc.errors]
    return _error(request, 422, str(INVALID_INPUT), errors)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or gettext("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or gettext("Not found."))


from safeops.schools.api import router as schools_router  # noqa: E402
from safeops.staff.api import router as staff_router  # noqa: E402
from safeops.zones.api import router as zones_router  # noqa: E402

api.add_router("/schools", schools_router)
api.add_router("/zones", zones_router)
api.add_router("/assignments", staff_router)

from safeops.dispatch.api import officers_router, requests_router  # noqa: E402

api.add_router("/requests", requests_router)
api.add_router("/officers", officers_router)

from safeops.core.notify.api import router as my_alerts_router  # noqa: E402
from safeops.dispatch.alerts_api import board_alerts_router  # noqa: E402
from safeops.dispatch.intake_api import intake_router  # noqa: E402

api.add_router("/alerts", my_alerts_router)
api.add_router("/board/alerts", board_alerts_router)

api.add_router("/intake", intake_router)

from safeops.resources.api import router as resources_router  # noqa: E402

api.add_router("/resources", resources_router)

from safeops.referrals.api import router as referrals_router  # noqa: E402

api.add_router("/referrals", referrals_router)

from safeops.patrol.api import router as patrol_router  # noqa: E402

api.add_router("/patrol", patrol_router)

from safeops.roster.api import router as roster_router  # noqa: E402

api.add_router("/roster", roster_router)

from safeops.fleet.api import router as fleet_router  # noqa: E402

api.add_router("/fleet", fleet_router)

from safeops.threats.api import cases_router, public_router, tips_router  # noqa: E402

api.add_router("/tips/public", public_router)
api.add_router("/tips", tips_router)
api.add_router("/threat-cases", cases_router)

__all__ = ["api"]
