"""A drill window's phrase and its reason in the active language (the engine's own English
text stays for calendar feeds; pages and the reminder e-mails word them here)."""

from __future__ import annotations

from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext

from safeops.core.i18n import seeded
from safeops.drills.engine import Window, WindowKind, WindowResult, WindowState


def drill_type_name(label: str) -> str:
    """A drill type's name ("fire", as the engine keeps it) translated, in lower case."""
    translated = seeded(capfirst(label))
    return translated.lower() if translated != capfirst(label) else label


def window_phrase(window: Window) -> str:
    kind = window.requirement.kind
    if kind == WindowKind.FIRST_DAYS:
        return gettext("within instructional days 1–%(n)s") % {
            "n": max(1, window.requirement.param)
        }
    if kind == WindowKind.SCHOOL_YEAR:
        return gettext("in school year %(first)s–%(last)s") % {
            "first": window.start.year,
            "last": window.end.year,
        }
    return gettext("in %(month)s %(year)s") % {
        "month": MONTHS[window.start.month],
        "year": window.start.year,
    }


def window_reason(result: WindowResult) -> str:
    """What a window needs or had, as a sentence (the engine's `reason`, translated)."""
    window = result.window
    values = {
        "type": drill_type_name(window.type_label),
        "phrase": window_phrase(window),
        "missing": result.missing,
        "count": window.requirement.count,
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
    }
    single = result.missing == window.requirement.count == 1
    extra = window.requirement.extra
    if result.state == WindowState.OVERDUE:
        if single:
            text = (
                gettext("no extra %(type)s drill %(phrase)s (ended %(end)s)")
                if extra
                else gettext("no %(type)s drill %(phrase)s (ended %(end)s)")
            )
        else:
            text = (
                gettext(
                    "%(missing)s of %(count)s extra %(type)s drills missing %(phrase)s "
                    "(ended %(end)s)"
                )
                if extra
                else gettext(
                    "%(missing)s of %(count)s %(type)s drills missing %(phrase)s (ended %(end)s)"
                )
            )
    elif result.state in (WindowState.DUE_SOON, WindowState.OPEN):
        if single:
            text = (
                gettext("no extra %(type)s drill yet %(phrase)s (closes %(end)s)")
                if extra
                else gettext("no %(type)s drill yet %(phrase)s (closes %(end)s)")
            )
        else:
            text = (
                gettext(
                    "%(missing)s of %(count)s extra %(type)s drills missing yet %(phrase)s "
                    "(closes %(end)s)"
                )
                if extra
                else gettext(
                    "%(missing)s of %(count)s %(type)s drills missing yet %(phrase)s "
                    "(closes %(end)s)"
                )
            )
    elif result.state == WindowState.UPCOMING:
        text = gettext("%(type)s drill due %(phrase)s (opens %(start)s)")
    else:
        text = gettext("%(type)s drill held %(phrase)s")
    return text % values
