"""Who reaches the SA's incident intervention log (registered in apps.py)."""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def incident_rules(rules: RuleTable) -> None:
    """The school's SA records incidents; its principal and SSO read them; the chief, mental
    health practitioners and violence prevention specialists (referrals) read all; an SA of
    another school and community monitors: nothing."""
    for role in (Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL, Role.SSO):
        rules[(role, Resource.INCIDENT, Action.VIEW)] = Reach.ASSIGNED
    rules[(Role.SAFETY_ADMINISTRATOR, Resource.INCIDENT, Action.CHANGE)] = Reach.ASSIGNED
    for role in (
        Role.SECURITY_CHIEF,
        Role.MENTAL_HEALTH_PRACTITIONER,
        Role.VIOLENCE_PREVENTION_SPECIALIST,
    ):
        rules[(role, Resource.INCIDENT, Action.VIEW)] = Reach.ALL
    rules[(Role.SECURITY_CHIEF, Resource.INCIDENT, Action.CHANGE)] = Reach.ALL
