"""Builders for threat tests: cases written straight to the database (fast, any shape)."""

from __future__ import annotations

from safeops.schools.models import School
from safeops.staff.models import Person
from safeops.threats.choices import CaseSource
from safeops.threats.models import CaseTeamMember, LawEnforcementConsultation, ThreatCase


def make_case(
    school: School,
    *,
    team: list[Person] = (),  # type: ignore[assignment]
    officer: Person | None = None,
    consulted: bool = False,
) -> ThreatCase:
    case = ThreatCase(district_id=school.district_id, school=school, source=CaseSource.STAFF)
    case.subject = "123456"
    case.concern = "said he would hurt someone"
    case.save()
    for person in team:
        CaseTeamMember.objects.create(case=case, person=person)
    if consulted or officer is not None:
        consultation = LawEnforcementConsultation(case=case, officer=officer, consulted_with="LMPD")
        consultation.reason = "weapon mentioned"
        consultation.save()
    return case
