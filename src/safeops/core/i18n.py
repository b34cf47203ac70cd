"""The page language without a cookie: `?lang=es` on a URL chooses Spanish for that request.

Django's LocaleMiddleware picks the language from the language cookie (set by the switch on
staff pages) or the browser's Accept-Language. The public tip line must set no cookie, so its
switch is a link with `?lang=`; this middleware, placed after LocaleMiddleware, lets that
parameter win, and `language_query` gives templates the parameter to keep in their links and
form actions. See docs/decisions/0006-translations.md.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_PARAMETER = "lang"


def requested_language(request: HttpRequest) -> str | None:
    """The supported language named by `?lang=`, or None."""
    value = request.GET.get(LANGUAGE_PARAMETER, "")
    if not value:
        return None
    try:
        return translation.get_supported_language_variant(value.strip().lower())
    except LookupError:
        return None


class QueryLanguageMiddleware:
    """Activate the language of `?lang=` for this request only (nothing is stored)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = requested_language(request)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def language_query(request: HttpRequest) -> dict[str, object]:
    """`lang_query` ("?lang=es" or ""): add it to public links so a chosen language stays.

    Also `language_links`: each language with the current path in it, for the public switch."""
    language = requested_language(request)
    links = [
        {"code": code, "name": name, "url": f"{request.path}?{LANGUAGE_PARAMETER}={code}"}
        for code, name in settings.LANGUAGES
    ]
    return {
        "lang_query": f"?{LANGUAGE_PARAMETER}={language}" if language else "",
        "language_links": links,
    }


def seeded(text: str) -> str:
    """Vocabulary the product stored in English (a default training topic or requirement, a
    role written on a team, a tip's closing reason) in the active language.

    The look-up table is the translation catalogue: the seeding code marks each default with
    `gettext_noop` where it is defined, so `make messages` extracts it, and it is stored in
    English. Anything a district wrote itself has no entry and is shown as it is. Templates use
    the `seeded` filter (`{% load labels %}`)."""
    return translation.gettext(text) if text else text
