"""Template filters for the training pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from safeops.training import engine

register = template.Library()


@register.filter
def files_of(files: dict[tuple[str, int], list[Any]], kind: str) -> dict[int, list[Any]]:
    """The certificate files of one kind of record, by record id."""
    return {record_id: items for (k, record_id), items in files.items() if k == kind}


@register.filter
def files_for(files: dict[int, list[Any]], record_id: int) -> list[Any]:
    return files.get(record_id, [])


@register.filter
def risk_in_words(assessment: engine.Assessment) -> str:
    """What the risk score adds up, in words: "lapsed 1000 + POPS expired 300 + …"."""
    parts = engine.risk_parts(assessment)
    if not parts:
        return _("nothing is due or missing")
    words = {
        "lapsed": _("lapsed"),
        "cert_expired": _("%(name)s expired"),
        "cert_missing": _("no %(name)s on file"),
        "cert_expiring": _("%(name)s expires within %(amount)s days"),
        "topic_overdue": _("%(name)s overdue"),
        "topic_missing": _("%(name)s not done yet"),
        "hours_behind": _("%(name)s on pace to end %(amount)s h short"),
    }
    return " + ".join(
        f"{words[p.kind] % {'name': p.name, 'amount': p.amount}} ({p.points})" for p in parts
    )
