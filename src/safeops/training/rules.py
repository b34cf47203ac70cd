"""Who reaches training records and the catalog (registered in apps.py)."""

from __future__ import annotations

from safeops.access import ASSIGNED_ROLES, DISTRICT_WIDE_ROLES, Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def training_rules(rules: RuleTable) -> None:
    """Training and certification (docs/training.md). ASSIGNED is the person's own records;
    a principal's also covers their school's Safety Administrators (read only).

    - The training coordinator and the security chief see and change every record and the
      catalog in the district.
    - Every other staff role sees its own records and adds its own (they wait for the
      coordinator's confirmation); a principal reads their SAs' records but changes none.
    - Every staff role reads the catalog. Community monitors: nothing.
    """
    for role in (Role.TRAINING_COORDINATOR, Role.SECURITY_CHIEF):
        for resource in (Resource.TRAINING_RECORD, Resource.TRAINING_CATALOG):
            for action in Action:
                rules[(role, resource, action)] = Reach.ALL
    for role in (*DISTRICT_WIDE_ROLES, *ASSIGNED_ROLES):
        rules[(role, Resource.TRAINING_CATALOG, Action.VIEW)] = Reach.ALL
        if role in (Role.TRAINING_COORDINATOR, Role.SECURITY_CHIEF):
            continue
        rules[(role, Resource.TRAINING_RECORD, Action.VIEW)] = Reach.ASSIGNED
        if role != Role.PRINCIPAL:
            rules[(role, Resource.TRAINING_RECORD, Action.CHANGE)] = Reach.ASSIGNED
