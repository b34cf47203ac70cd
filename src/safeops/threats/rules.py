"""Who reaches tips, threat cases, teams and threat settings (registered in apps.py)."""

from __future__ import annotations

from safeops.access import AGGREGATE_ONLY_ROLES, Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def threat_rules(rules: RuleTable) -> None:
    """Threat assessment (docs/threat-assessment.md). Access is per case, so most roles get
    ASSIGNED and the scope (safeops.threats.scopes) decides: the case team, the school's SA and
    principal, the designated district lead; an SSO only a case whose recorded law enforcement
    consultation names them, and only to read. Tips: the school's SA, principal and team, and
    the lead. Teams: the chief designates; staff see their schools' teams. Community monitors
    and dispatchers see no case or tip (the dispatcher gets the imminent-harm alert only)."""
    staff = [role for role in Role if role not in AGGREGATE_ONLY_ROLES]
    for role in staff:
        rules[(role, Resource.THREAT_CASE, Action.VIEW)] = Reach.ASSIGNED
        rules[(role, Resource.THREAT_TEAM, Action.VIEW)] = Reach.ASSIGNED
        rules[(role, Resource.THREAT_SETTINGS, Action.VIEW)] = Reach.ASSIGNED
        if role != Role.SSO:
            rules[(role, Resource.THREAT_CASE, Action.CHANGE)] = Reach.ASSIGNED
        if role not in (Role.SSO, Role.DISPATCHER):
            for action in Action:
                rules[(role, Resource.TIP, action)] = Reach.ASSIGNED
    for resource in (Resource.THREAT_TEAM, Resource.THREAT_SETTINGS):
        rules[(Role.SECURITY_CHIEF, resource, Action.VIEW)] = Reach.ALL
        rules[(Role.SECURITY_CHIEF, resource, Action.CHANGE)] = Reach.ALL
