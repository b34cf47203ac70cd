"""How the access module's ASSIGNED reach reads for threat assessment (rules: threats/rules.py).

A case is visible to its team, to the SA and principal of its school, to the district's
designated threat-assessment lead, and to an SSO named by a law enforcement consultation on
that case (an SSO's team membership grants nothing). Everyone else: nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from safeops.access import Resource, Viewer, current_filter, register_resource
from safeops.staff.choices import Role
from safeops.threats.models import (
    CaseTeamMember,
    EnrollmentGroup,
    LawEnforcementConsultation,
    TeamMember,
    ThreatCase,
    ThreatLead,
    Tip,
)

NOTHING = Q(pk__in=[])
SCHOOL_LEADERS = (Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL)


def is_threat_lead(*, person_id: int | None, on: dt.date | None = None) -> bool:
    """Whether the person is a designated district threat-assessment lead today."""
    if person_id is None:
        return False
    day = on or timezone.localdate()
    return ThreatLead.objects.filter(current_filter(day), person_id=person_id).exists()


def team_school_ids(person_id: int, on: dt.date | None = None) -> set[int]:
    day = on or timezone.localdate()
    return set(
        TeamMember.objects.filter(current_filter(day), person_id=person_id).values_list(
            "school_id", flat=True
        )
    )


def case_scope(viewer: Viewer) -> Q:
    if viewer.person_id is None:
        return NOTHING
    if viewer.role == Role.SSO:
        consulted = LawEnforcementConsultation.objects.filter(officer_id=viewer.person_id)
        return Q(pk__in=consulted.values("case_id"))
    if is_threat_lead(person_id=viewer.person_id):
        return Q()
    on_team = CaseTeamMember.objects.filter(person_id=viewer.person_id).values("case_id")
    scope = Q(pk__in=on_team)
    if viewer.role in SCHOOL_LEADERS:
        scope |= Q(school_id__in=viewer.school_ids)
    return scope


def tip_scope(viewer: Viewer) -> Q:
    if viewer.person_id is None or viewer.role == Role.SSO:
        return NOTHING
    if is_threat_lead(person_id=viewer.person_id):
        return Q()
    schools = team_school_ids(viewer.person_id)
    if viewer.role in SCHOOL_LEADERS:
        schools |= set(viewer.school_ids)
    return Q(school_id__in=schools)


def team_scope(viewer: Viewer) -> Q:
    if viewer.person_id is None:
        return NOTHING
    if is_threat_lead(person_id=viewer.person_id):
        return Q()
    return Q(school_id__in=viewer.school_ids | team_school_ids(viewer.person_id))


def settings_scope(viewer: Viewer) -> Q:
    return Q() if is_threat_lead(person_id=viewer.person_id) else NOTHING


def register_threat_resources() -> None:
    register_resource(
        ThreatCase, Resource.THREAT_CASE, scope=case_scope, district_field="district_id"
    )
    register_resource(Tip, Resource.TIP, scope=tip_scope, district_field="district_id")
    register_resource(
        TeamMember, Resource.THREAT_TEAM, scope=team_scope, district_field="school__district_id"
    )
    for model in (ThreatLead, EnrollmentGroup):
        register_resource(
            model, Resource.THREAT_SETTINGS, scope=settings_scope, district_field="district_id"
        )
