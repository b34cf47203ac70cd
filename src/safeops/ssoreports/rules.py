"""Who reaches SSO reports and hand-offs (registered in apps.py)."""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def ssoreport_rules(rules: RuleTable) -> None:
    """Law-enforcement-unit records (docs/sso-reports.md).

    - SSO reports: the SSO who wrote the report or holds the request reads and changes it; the
      SSO supervisors (dispatchers) and the chief read all. Nobody else: not SAs, principals,
      counselors or the district's support staff.
    - Hand-offs: the officer records their own; supervisors and the chief read all; the court
      liaison reads the notices addressed to them, the mental health practitioners the
      gun-violence referrals.
    """
    for action in Action:
        rules[(Role.SSO, Resource.SSO_REPORT, action)] = Reach.ASSIGNED
        rules[(Role.SSO, Resource.SSO_HANDOFF, action)] = Reach.ASSIGNED
    for role in (Role.SECURITY_CHIEF, Role.DISPATCHER):
        rules[(role, Resource.SSO_REPORT, Action.VIEW)] = Reach.ALL
        rules[(role, Resource.SSO_HANDOFF, Action.VIEW)] = Reach.ALL
    for role in (Role.COURT_LIAISON, Role.MENTAL_HEALTH_PRACTITIONER):
        rules[(role, Resource.SSO_HANDOFF, Action.VIEW)] = Reach.ASSIGNED
