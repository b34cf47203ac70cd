"""`{{ state|in_words }}`: a status code ("on_track", "due_soon") as the words people read."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

register = template.Library()

WORDS: dict[str, Promise] = {
    "met": _("Met"),
    "on_track": _("On track"),
    "behind": _("Behind pace"),
    "done": _("Done"),
    "missing": _("Missing"),
    "overdue": _("Overdue"),
    "valid": _("Valid"),
    "expiring": _("Expiring soon"),
    "expired": _("Expired"),
    "upcoming": _("Not open yet"),
    "open": _("Open"),
    "due_soon": _("Due soon"),
    "due": _("Due"),
    "compliant": _("Compliant"),
}


@register.filter
def in_words(state: object) -> str:
    """The words for a known code; an unknown one with its underscores made spaces."""
    code = str(getattr(state, "value", state))
    if code in WORDS:
        return str(WORDS[code])
    return capfirst(code.replace("_", " "))
