"""Who reaches the community resource directory (registered in apps.py)."""

from __future__ import annotations

from safeops.access import ASSIGNED_ROLES, DISTRICT_WIDE_ROLES, Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def resource_directory_rules(rules: RuleTable) -> None:
    """The community resource directory (docs/resource-directory.md): not sensitive.

    Every staff role reads all of it; the chief and district support staff (mental health
    practitioners, court liaison, violence prevention specialists, training coordinator)
    change it. Community monitors see aggregates only.
    """
    for role in (*DISTRICT_WIDE_ROLES, *ASSIGNED_ROLES):
        rules[(role, Resource.RESOURCE_DIRECTORY, Action.VIEW)] = Reach.ALL
    for role in (
        Role.SECURITY_CHIEF,
        Role.MENTAL_HEALTH_PRACTITIONER,
        Role.COURT_LIAISON,
        Role.VIOLENCE_PREVENTION_SPECIALIST,
        Role.TRAINING_COORDINATOR,
    ):
        rules[(role, Resource.RESOURCE_DIRECTORY, Action.CHANGE)] = Reach.ALL
