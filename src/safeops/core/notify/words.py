"""An alert's words in the language of the person it reaches.

A caller that composes an alert for someone else (a job, another person's request) cannot word
it in the recipient's language by activating it: it words it in every site language
(`every_language`) and `notify_send` keeps the recipient's (`ChannelPreference.language`,
blank for the site's language). Plain text is sent as given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

Words = str | Mapping[str, str]

NOT_A_SITE_LANGUAGE = _("Words are keyed by the site's language codes ({codes}).")


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def default_language() -> str:
    return translation.get_supported_language_variant(settings.LANGUAGE_CODE)


def every_language(build: Callable[[], str]) -> dict[str, str]:
    """What `build` words, worded in each of the site's languages."""
    worded = {}
    for code in site_languages():
        with translation.override(code):
            worded[code] = str(build())
    return worded


def check_words(words: Words, *, field: str) -> None:
    """ValidationError naming `field` when a mapping has a key that is no site language."""
    if isinstance(words, str):
        return
    languages = site_languages()
    if not words or any(code not in languages for code in words):
        raise ValidationError({field: str(NOT_A_SITE_LANGUAGE).format(codes=", ".join(languages))})


def in_language(words: Words, language: str) -> str:
    """The words in `language`, else in the site's language, else any of them."""
    if isinstance(words, str):
        return words
    return words.get(language) or words.get(default_language()) or next(iter(words.values()))
