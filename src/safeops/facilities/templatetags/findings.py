"""`{{ finding|finding_text }}`: a finding's description in the reader's language where the
product wrote it (a failed default checklist item, then the auditor's own note as typed)."""

from __future__ import annotations

from django import template

from safeops.core.i18n import seeded
from safeops.facilities.models import Finding

register = template.Library()


@register.filter
def finding_text(finding: Finding) -> str:
    description = finding.description
    item = finding.item if finding.item_id else None
    if item is None:
        return description
    if description == item.text:
        return seeded(item.text)
    if description.startswith(f"{item.text}: "):
        return f"{seeded(item.text)}: {description[len(item.text) + 2 :]}"
    return description
