"""Who reaches patrol plans and patrol settings (registered in apps.py)."""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def patrol_rules(rules: RuleTable) -> None:
    """SSO patrol (docs/patrol.md).

    - Plans: an SSO sees and works their own plan only; the supervisors (the chief and the
      dispatchers) see and change every plan of the district. No other role sees plans: where
      an officer will be is not for the schools.
    - Settings (bell times, patrol points, overrides, targets): the supervisors read them, the
      chief changes them.
    """
    for action in Action:
        rules[(Role.SSO, Resource.PATROL_PLAN, action)] = Reach.ASSIGNED
    for role in (Role.SECURITY_CHIEF, Role.DISPATCHER):
        for action in Action:
            rules[(role, Resource.PATROL_PLAN, action)] = Reach.ALL
        rules[(role, Resource.PATROL_SETTINGS, Action.VIEW)] = Reach.ALL
    rules[(Role.SECURITY_CHIEF, Resource.PATROL_SETTINGS, Action.CHANGE)] = Reach.ALL
