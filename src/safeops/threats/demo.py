"""Demo seeding: teams at a few schools, a designated lead, two tips and a case in monitoring."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from safeops.threats import services, tips
from safeops.threats.choices import CaseSource, RecordKind, Stage, Urgency

ACTOR = "system:seed-demo"


def threats_demo_seed(*, district: District) -> None:
    specialists = Person.objects.filter(district=district, role=Role.VIOLENCE_PREVENTION_SPECIALIST)
    # The demo login first, so `demo-violence-prevention` is the lead.
    lead = specialists.filter(user__username__startswith="demo-").first() or specialists.first()
    if lead is not None:
        services.threat_lead_designate(district=district, person=lead, actor=ACTOR)
    sa_assignment = (
        Assignment.objects.filter(
            person__district=district, person__role=Role.SAFETY_ADMINISTRATOR, school__isnull=False
        )
        .select_related("school", "person")
        .order_by("person__user__username")
        .filter(person__user__username__startswith="demo-")
        .first()
    )
    if sa_assignment is None or sa_assignment.school is None:
        return
    school: School = sa_assignment.school
    members = [sa_assignment.person]
    for role in (Role.PRINCIPAL, Role.COUNSELOR):
        other = Person.objects.filter(
            role=role, pk__in=Assignment.objects.filter(school=school).values("person_id")
        ).first()
        if other is not None:
            members.append(other)
    for person in members:
        services.team_member_add(
            school=school, person=person, actor=ACTOR, team_role=person.get_role_display()
        )
    tips.tip_submit(
        district=district,
        school=school,
        place="Gym locker room",
        what="A student posted that he will bring a knife on Friday to get back at a classmate.",
        when_text="Posted last night",
        urgency=Urgency.SOON,
        address="demo",
    )
    tips.tip_submit(
        district=district,
        school=school,
        place="",
        what="Someone wrote a threat on the bathroom mirror.",
        when_text="This morning",
        urgency=Urgency.NOT_URGENT,
        address="demo",
    )
    case = services.case_open(
        school=school,
        source=CaseSource.STAFF,
        subject="J.D.",
        grade="8",
        concern="Told a classmate 'you'll be sorry, I know where my dad keeps his gun'.",
        actor=ACTOR,
    )
    services.case_record_add(
        case=case,
        kind=RecordKind.INTERVIEW,
        body="Interviewed the student with the counselor.",
        actor=ACTOR,
    )
    case = services.case_move(case=case, to=Stage.SERIOUS, actor=ACTOR)
    for kind, body in (
        (RecordKind.PROTECTIVE_ACTION, "Seat moved away from the classmate; lunch supervised."),
        (RecordKind.TARGET_NOTIFIED, "Met the classmate and a parent; they know whom to call."),
        (RecordKind.PARENTS_NOTIFIED, "Phoned the father; he locked the gun away the same day."),
    ):
        services.case_record_add(case=case, kind=kind, body=body, actor=ACTOR)
    case = services.case_move(case=case, to=Stage.PLAN, actor=ACTOR)
    services.task_add(
        case=case,
        title="Weekly check-in with the counselor",
        owner=members[-1],
        due_on=timezone.localdate() + dt.timedelta(days=7),
        actor=ACTOR,
    )
    services.case_move(case=case, to=Stage.MONITORING, actor=ACTOR, follow_up_every_days=14)
