"""Who reaches the monitoring team's view and the Kentucky reports (registered in apps.py).

- The community monitoring team's view (the disclosure-controlled aggregates with a drill-down
  to each zone): community monitors and the security chief; every read is audited.
- The Kentucky reports (the annual SRO report under KRS 158.4414, each campus's 2022 HB 63
  status): the security chief, who also records the marshal's written approvals.
"""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def accountability_rules(rules: RuleTable) -> None:
    for role in (Role.COMMUNITY_MONITOR, Role.SECURITY_CHIEF):
        rules[(role, Resource.REPORT_MONITORING, Action.VIEW)] = Reach.ALL
    rules[(Role.SECURITY_CHIEF, Resource.STATE_REPORT, Action.VIEW)] = Reach.ALL
    rules[(Role.SECURITY_CHIEF, Resource.STATE_REPORT, Action.CHANGE)] = Reach.ALL
