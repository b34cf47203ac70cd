"""Who reaches facility safety audits (registered in apps.py)."""

from __future__ import annotations

from safeops.access import Resource, RuleTable, school_record_rules


def facility_audit_rules(rules: RuleTable) -> None:
    """Facility audits, findings and remediation: a school record (school_record_rules)."""
    school_record_rules(rules, Resource.FACILITY_AUDIT)
