"""Who reaches the roster (registered in apps.py; docs/roster.md).

The security chief and dispatchers (the SSO supervisors: dispatch's supervisor roles) see and
change every shift, leave and event of the district. An SSO sees their own shifts and leave
(ASSIGNED) and every coverage event of the district. Other roles: nothing.
"""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role

MANAGERS = (Role.SECURITY_CHIEF, Role.DISPATCHER)


def roster_rules(rules: RuleTable) -> None:
    for role in MANAGERS:
        for resource in (Resource.SHIFT, Resource.COVERAGE_EVENT):
            for action in Action:
                rules[(role, resource, action)] = Reach.ALL
    rules[(Role.SSO, Resource.SHIFT, Action.VIEW)] = Reach.ASSIGNED
    rules[(Role.SSO, Resource.COVERAGE_EVENT, Action.VIEW)] = Reach.ALL
