"""Who reaches school safety plans and floor plans (registered in apps.py)."""

from __future__ import annotations

from safeops.access import Resource, RuleTable, school_record_rules


def safety_plan_rules(rules: RuleTable) -> None:
    """Safety plans and floor plans are not public (KRS 158.162 keeps them out of open records):
    the school's staff roles and its SSO see them, and district roles; the SA drafts and the
    principal approves (services check which of the two may do what)."""
    school_record_rules(rules, Resource.SAFETY_PLAN)
