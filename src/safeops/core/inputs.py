"""Limits every request's input meets before a view sees it, and the API's error shape.

- Ids are 64-bit signed database keys: `Id` bounds an API integer to 1..2^63-1, so a larger
  one is a 422 naming the field (SQLite cannot even compare it: OverflowError).
- No text may hold a NUL character (PostgreSQL rejects it in text columns): the middleware
  refuses a request whose path, query, form or JSON values hold one, naming the field.
- A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 (JSON on the API), not an exception.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any

from annotated_types import Ge, Le
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja import Schema

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ID_MAX = 2**63 - 1
Id = Annotated[int, Ge(1), Le(ID_MAX)]
"""A database id in an API path, query or body: 1..2^63-1."""

API_PREFIX = "/api/"
TIP_LINE_PREFIX = "/tips/"
INVALID_INPUT = _("Invalid input.")
NUL_IN_INPUT = _("Remove the NUL character (\\x00): text may not contain it.")
BODY_TOO_LARGE = _("The request body is larger than this server accepts.")
TOO_MANY_FIELDS = _("The request has more fields or files than this server accepts.")
PATH_FIELD = "path"
BODY_FIELD = "body"


class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """Every API error: `detail`, the field errors, and for an illegal status change the
    statuses allowed next."""

    detail: str
    errors: list[FieldErrorOut] = []
    allowed: list[str] | None = None


def error_body(detail: str, errors: Iterable[tuple[str | None, str]] = ()) -> dict[str, Any]:
    return {
        "detail": str(detail),
        "errors": [{"field": field, "message": str(message)} for field, message in errors],
    }


# The error responses an operation documents (OpenAPI) beside its own.
AUTH_ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
READ_ERRORS: dict[int, type[ErrorOut]] = {**AUTH_ERRORS, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[ErrorOut]] = {**READ_ERRORS, 400: ErrorOut, 413: ErrorOut}
PUBLIC_WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    403: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def _json_nul_path(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path to the first key or string holding a NUL in a decoded JSON value."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return (*path, key.replace("\x00", ""))
            found = _json_nul_path(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _json_nul_path(item, (*path, str(index)))
            if found is not None:
                return found
    return None


def _querydict_nul_field(data: Any) -> str | None:
    for key, values in data.lists():
        if "\x00" in key:
            return str(key).replace("\x00", "")
        if any(isinstance(v, str) and "\x00" in v for v in values):
            return str(key)
    return None


def _is_form(content_type: str) -> bool:
    return content_type in ("multipart/form-data", "application/x-www-form-urlencoded")


def _is_text(content_type: str) -> bool:
    return (
        content_type in ("", "application/json")
        or content_type.endswith("+json")
        or content_type.startswith("text/")
    )


def nul_field(request: HttpRequest) -> str | None:
    """The name of a path, query, form or JSON field holding a NUL character, or None.

    Reading the body may raise RequestDataTooBig or TooManyFieldsSent.
    """
    if "\x00" in request.path:
        return PATH_FIELD
    found = _querydict_nul_field(request.GET)
    if found is not None:
        return found
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if _is_form(content_type) and not request.path.startswith(API_PREFIX):
        # The API takes JSON only: a form body there is its view's to refuse (415), unparsed.
        found = _querydict_nul_field(request.POST)
        if found is None:
            for key, uploads in request.FILES.lists():
                if "\x00" in key or any("\x00" in (u.name or "") for u in uploads):
                    return str(key).replace("\x00", "")
        return found
    if not _is_text(content_type):
        return None
    body = request.body
    if b"\x00" not in body and b"\\u0000" not in body:
        return None
    try:
        decoded = json.loads(body)
    except ValueError:
        return BODY_FIELD if b"\x00" in body else None
    path = _json_nul_path(decoded)
    if path is None:
        return None
    return ".".join(path) or BODY_FIELD


class InputLimitsMiddleware:
    """Refuse NUL characters and oversized bodies with a 4xx naming the field (JSON on the
    API, a page elsewhere) before any view or form sees the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            field = nul_field(request)
        except RequestDataTooBig:
            return self._refuse(request, 413, BODY_TOO_LARGE, None)
        except (TooManyFieldsSent, TooManyFilesSent):
            return self._refuse(request, 400, TOO_MANY_FIELDS, None)
        if field is not None:
            return self._refuse(request, 422, NUL_IN_INPUT, field)
        return self.get_response(request)

    def _refuse(
        self, request: HttpRequest, status: int, message: StrOrPromise, field: str | None
    ) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            detail = INVALID_INPUT if field is not None else message
            return JsonResponse(error_body(str(detail), [(field, str(message))]), status=status)
        page_status = 400 if status == 422 else status
        context = {
            "message": message,
            "field": field,
            "tip_line": request.path.startswith(TIP_LINE_PREFIX),
        }
        return render(request, "core/bad_input.html", context, status=page_status)
