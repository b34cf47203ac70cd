"""Audit results for a checklist: every item passes but those named failing or not applicable."""

from __future__ import annotations

from safeops.facilities.models import AuditTemplate, ItemResult


def audit_results(
    template: AuditTemplate, failing: set[str], na: frozenset[str] = frozenset()
) -> dict[int, tuple[str, str]]:
    out: dict[int, tuple[str, str]] = {}
    for item in template.items.all():
        result = ItemResult.FAIL if item.code in failing else ItemResult.PASS
        if item.code in na:
            result = ItemResult.NOT_APPLICABLE
        out[item.pk] = (result, "broken" if item.code in failing else "")
    return out
