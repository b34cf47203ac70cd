"""Who reaches drills and the safety settings: calendars, drill rules, audit templates."""

from __future__ import annotations

from safeops.access import (
    ASSIGNED_ROLES,
    DISTRICT_WIDE_ROLES,
    Action,
    Reach,
    Resource,
    RuleTable,
    school_record_rules,
)
from safeops.staff.choices import Role


def drill_rules(rules: RuleTable) -> None:
    """Drills: a school record (school_record_rules). Calendars, drill rules and audit
    templates: every staff role reads; the chief changes. Community monitors: nothing."""
    school_record_rules(rules, Resource.DRILL)
    for role in (*DISTRICT_WIDE_ROLES, *ASSIGNED_ROLES):
        rules[(role, Resource.SAFETY_SETTINGS, Action.VIEW)] = Reach.ALL
    rules[(Role.SECURITY_CHIEF, Resource.SAFETY_SETTINGS, Action.CHANGE)] = Reach.ALL
