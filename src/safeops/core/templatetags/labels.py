"""`{{ state|in_words }}`: a status code ("on_track", "due_soon") as the words people read."""

from __future__ import annotations

from django import template
from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from safeops.core.i18n import seeded as seeded_text

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


DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@register.filter
def weekdays(byday: str) -> str:
    """Weekday codes as names: "MO,TU,WE,TH,FR" → "Monday to Friday", "MO,WE" → "Monday,
    Wednesday", all seven → "Every day". A code it does not know ("1MO") is kept."""
    codes = [c.strip().upper() for c in byday.split(",") if c.strip()]
    if not codes:
        return str(_("Every day"))
    if not set(codes) <= set(DAY_CODES):
        return byday
    days = sorted(set(codes), key=DAY_CODES.index)
    if len(days) == len(DAY_CODES):
        return str(_("Every day"))
    names = [str(WEEKDAYS[DAY_CODES.index(d)]) for d in days]
    first, last = DAY_CODES.index(days[0]), DAY_CODES.index(days[-1])
    if len(days) > 2 and last - first + 1 == len(days):
        return str(_("%(first)s to %(last)s") % {"first": names[0], "last": names[-1]})
    return ", ".join(names)


@register.filter
def seeded(value: object) -> str:
    """Vocabulary the product stored in English, in the page's language (core.i18n.seeded)."""
    return seeded_text(str(value))
