"""Who reaches support requests, officers and dispatch settings (registered in apps.py)."""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def dispatch_rules(rules: RuleTable) -> None:
    """Support requests, officers and dispatch settings (docs/dispatch.md)."""
    # The chief and dispatchers are the supervisors: they see and change every request and
    # officer. SAs, principals and security monitors: their schools' requests (and their own).
    # SSOs: their assignments and their zone's open requests (and on-view calls they open),
    # and their own duty/position.
    for role in (Role.SECURITY_CHIEF, Role.DISPATCHER):
        for resource in (Resource.REQUEST, Resource.OFFICER):
            for action in Action:
                rules[(role, resource, action)] = Reach.ALL
        rules[(role, Resource.DISPATCH_SETTINGS, Action.VIEW)] = Reach.ALL
    rules[(Role.SECURITY_CHIEF, Resource.DISPATCH_SETTINGS, Action.CHANGE)] = Reach.ALL
    for role in (Role.SSO, Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL, Role.SECURITY_MONITOR):
        for action in Action:
            rules[(role, Resource.REQUEST, action)] = Reach.ASSIGNED
    for action in Action:
        rules[(Role.SSO, Resource.OFFICER, action)] = Reach.ASSIGNED
