"""Who reaches vehicles and equipment (registered in apps.py; docs/fleet.md).

- The security chief and dispatchers (the SSO supervisors) see and change every vehicle,
  inspection, task, checklist and equipment item of the district.
- An SSO sees their assigned vehicle, its inspections and tasks, and inspects it (ASSIGNED);
  sees the checklist; sees and checks the equipment issued to them.
"""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role

MANAGERS = (Role.SECURITY_CHIEF, Role.DISPATCHER)
RESOURCES = (Resource.VEHICLE, Resource.VEHICLE_RECORD, Resource.FLEET_SETTINGS, Resource.EQUIPMENT)


def fleet_rules(rules: RuleTable) -> None:
    for role in MANAGERS:
        for resource in RESOURCES:
            for action in Action:
                rules[(role, resource, action)] = Reach.ALL
    for resource in (Resource.VEHICLE, Resource.VEHICLE_RECORD, Resource.EQUIPMENT):
        rules[(Role.SSO, resource, Action.VIEW)] = Reach.ASSIGNED
    # Inspecting one's own vehicle and checking one's own equipment are changes.
    rules[(Role.SSO, Resource.VEHICLE_RECORD, Action.CHANGE)] = Reach.ASSIGNED
    rules[(Role.SSO, Resource.EQUIPMENT, Action.CHANGE)] = Reach.ASSIGNED
    rules[(Role.SSO, Resource.FLEET_SETTINGS, Action.VIEW)] = Reach.ALL
