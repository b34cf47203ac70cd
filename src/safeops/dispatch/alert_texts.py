"""The words of a board alert, in the reader's language.

An alert is stored with its kind and parameters (`Alert.kind`, `Alert.params`) and worded when
it is read: the board, the request page and the API show it in the reader's language. One live
event reaches readers of every language, so an alert's event carries its words in each of the
site's languages (`alert_messages`), and so do its notifications (each person gets theirs).
`Alert.message` keeps them in the site's default language for the audit log, and is what an
alert from before kinds were stored shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeops.core.notify.words import every_language
from safeops.dispatch.choices import AlertKind

ALERT_TEXTS: dict[str, Promise] = {
    AlertKind.ESCALATED: _(
        "{priority} #{request} at {place} was not acknowledged by {officer} within {seconds} s; "
        "offered to {next_officer}."
    ),
    AlertKind.NO_OFFICER: _(
        "{priority} #{request} at {place} was not acknowledged by {officer} within {seconds} s "
        "and no other officer is available."
    ),
    AlertKind.ALARM: _("P1 {kind} at {place} (device {device}): request #{request}."),
    AlertKind.IMMINENT_TIP: _(
        "Imminent-harm tip {code} for {place}. Call 911 if anyone is in danger now; open a P1 "
        "request for the school's SSO. (The tip's content stays with the threat team.)"
    ),
}

# An alarm's kind as the alert names it (the integration sends the code).
ALARM_KIND_WORDS: dict[str, Promise] = {
    "panic": _("panic button"),
    "badge": _("badge alarm"),
    "duress": _("duress alarm"),
}


def _worded(kind: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters with their own words in the active language."""
    worded = dict(params)
    if kind in (AlertKind.ESCALATED, AlertKind.NO_OFFICER) and not worded.get("officer"):
        worded["officer"] = gettext("anyone")
    if kind == AlertKind.ALARM:
        code = str(worded.get("kind", ""))
        worded["kind"] = str(ALARM_KIND_WORDS.get(code, code))
    if kind == AlertKind.IMMINENT_TIP and not worded.get("place"):
        worded["place"] = gettext("a place outside a listed school")
    return worded


def alert_text(*, kind: str, params: Mapping[str, Any], fallback: str = "") -> str:
    """The alert in the active language; `fallback` (the stored words) for free text, or when a
    translation lost one of the placeholders."""
    template = ALERT_TEXTS.get(kind)
    if template is None:
        return fallback
    try:
        return str(template).format(**_worded(kind, params))
    except (KeyError, IndexError, ValueError):
        return fallback


def alert_default_text(*, kind: str, params: Mapping[str, Any]) -> str:
    """The alert in the site's default language (what `Alert.message` stores); KeyError if
    a placeholder has no parameter."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(ALERT_TEXTS[kind]).format(**_worded(kind, params))


def alert_messages(*, kind: str, params: Mapping[str, Any], fallback: str) -> dict[str, str]:
    """The alert in each of the site's languages (a live event's readers read any of them)."""
    return every_language(lambda: alert_text(kind=kind, params=params, fallback=fallback))
