"""Who reaches the accountability reports (registered in apps.py). The public dashboard needs no
login and is not a resource; these rules are for the signed-in views."""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def report_rules(rules: RuleTable) -> None:
    """Every signed-in role reads the district reports through disclosure control (a community
    monitor sees aggregates only, which is all a report holds); only the security chief reads
    the unsuppressed counts, and each such read is audited."""
    for role in Role:
        rules[(role, Resource.REPORT, Action.VIEW)] = Reach.ALL
    rules[(Role.SECURITY_CHIEF, Resource.REPORT_UNSUPPRESSED, Action.VIEW)] = Reach.ALL
