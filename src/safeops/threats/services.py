"""Threat assessment cases (CSTAG with NTAC elements), teams and the district lead.

Every write goes through model_create/model_update (audited; sealed fields appear in the audit
log as ciphertext). The workflow is data (safeops.threats.choices.TRANSITIONS and
REQUIRED_RECORDS); `case_move` checks both and names what is missing.

Over 500 lines: one case's whole lifecycle (open, team, lead, records, moves, retention) shares
its private access and sealing helpers; the next growth makes it a `services/` package.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeops.access import current_filter, viewer_for
from safeops.accounts.models import User
from safeops.core.audit import Actor
from safeops.core.demographics import DisabilityStatus, RaceEthnicity
from safeops.core.discipline import discipline_override_record
from safeops.core.jobs import job_cancel, job_enqueue
from safeops.core.services import model_create, model_update
from safeops.incidents.models import Incident
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.threats import tips as tip_services
from safeops.threats.choices import (
    FOLLOW_UP_DONE,
    LE_CONSULTATION,
    PLAN_TASK,
    REQUIRED_RECORDS,
    STAGE_CLASSIFICATION,
    TRANSITIONS,
    CaseSource,
    RecordKind,
    Stage,
    TipCloseReason,
    TipStatus,
    allowed_next,
    requirement_label,
)
from safeops.threats.guard import threat_discipline_check
from safeops.threats.models import (
    CaseRecord,
    CaseTeamMember,
    FollowUp,
    LawEnforcementConsultation,
    PlanTask,
    TeamMember,
    ThreatCase,
    ThreatLead,
    Tip,
)
from safeops.threats.scopes import is_threat_lead

SUBJECT_PATTERN = re.compile(r"^[A-Za-z0-9.\-]{1,12}$")
SUBJECT_INVALID = _(
    "Give a student number, or initials (e.g. J.D.) with the grade: no names, no profile."
)
GRADE_NEEDED = _("Initials need the grade.")
ILLEGAL_MOVE = _("A case at '{stage}' may move to: {allowed}.")
MISSING_RECORDS = _("Record first: {missing}.")
OPEN_TASKS = _(
    "The plan has {count} open task(s). Complete them, or a district lead records an "
    "override with a reason."
)
OVERRIDE_LEAD_ONLY = _("Only the district threat-assessment lead may override open plan tasks.")
CLOSE_NEEDS_REASON = _("Give the reason for closing.")
CADENCE_NEEDED = _("Monitoring needs a follow-up cadence in days (1–180).")
SSO_NOT_ON_TEAM = _(
    "An SSO joins a case only through a recorded law enforcement consultation, not the team."
)
NOT_A_TEAM_ROLE = _(
    "A {role} cannot join a threat assessment team: members are school administrators,"
    " counselors and district support staff (an SSO only on a school team)."
)
LEAD_ROLE = _(
    "The lead is a school administrator, counselor, district support staff member or the"
    " security chief of this district (not an SSO, dispatcher or monitor)."
)
LEAD_NOT_SELF = _("Nobody designates themself as the lead; another chief or an administrator does.")
OFFICER_NOT_SSO = _("The officer named must be a School Safety Officer of this district.")
CASE_CLOSED = _("The case is closed.")
# Who may sit on a case team (CSTAG: administration, counseling, mental health, district support;
# an SSO joins a case only through a recorded consultation) and on a school team (KRS 158.4412
# also names law enforcement: the zone's SSO may sit on it, which grants no case access).
CASE_TEAM_ROLES = frozenset(
    {
        Role.SAFETY_ADMINISTRATOR,
        Role.PRINCIPAL,
        Role.COUNSELOR,
        Role.MENTAL_HEALTH_PRACTITIONER,
        Role.VIOLENCE_PREVENTION_SPECIALIST,
        Role.COURT_LIAISON,
    }
)
SCHOOL_TEAM_ROLES = CASE_TEAM_ROLES | {Role.SSO}
LEAD_ROLES = CASE_TEAM_ROLES | {Role.SECURITY_CHIEF}
FOLLOW_UP_KIND = "threats.follow_up_due"
FOLLOW_UP_HOUR = 8


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


# --- Opening -----------------------------------------------------------------------------------


def school_team(*, school: School, on: dt.date | None = None) -> list[TeamMember]:
    day = on or timezone.localdate()
    return list(
        TeamMember.objects.filter(current_filter(day), school=school).select_related("person")
    )


def case_open(
    *,
    school: School,
    source: CaseSource,
    subject: str,
    grade: str,
    concern: str,
    actor: Actor,
    tip: Tip | None = None,
    incident: Incident | None = None,
    team: Sequence[Person] | None = None,
    disability_status: str = DisabilityStatus.NOT_REPORTED,
    race_ethnicity: str = RaceEthnicity.NOT_REPORTED,
    safety_reason: str = "",
) -> ThreatCase:
    """Open a case from a tip, a staff report or an incident. The team defaults to the school's
    threat assessment team (SSOs excluded: they join only through a consultation). A
    discipline matter is refused unless `safety_reason` says why it is safety (recorded)."""
    subject = subject.strip()
    errors: dict[str, str] = {}
    if not SUBJECT_PATTERN.match(subject):
        errors["subject"] = str(SUBJECT_INVALID)
    elif not subject.isdigit() and not grade.strip():
        errors["grade"] = str(GRADE_NEEDED)
    if not concern.strip():
        errors["concern"] = gettext("Write the behavior or statement, in the words heard.")
    if source == CaseSource.TIP and tip is None:
        errors["tip"] = gettext("Choose the tip this case comes from.")
    if source == CaseSource.INCIDENT and incident is None:
        errors["incident"] = gettext("Choose the incident this case comes from.")
    if tip is not None and tip.status == TipStatus.CLOSED:
        errors["tip"] = gettext("That tip is closed.")
    if incident is not None and incident.school_id != school.pk:
        errors["incident"] = gettext("The incident was logged at another school.")
    # Left blank: not reported (the shared vocabulary's value for it).
    disability_status = disability_status or DisabilityStatus.NOT_REPORTED
    race_ethnicity = race_ethnicity or RaceEthnicity.NOT_REPORTED
    if disability_status not in DisabilityStatus.values:
        errors["disability_status"] = gettext("Unknown disability status.")
    if race_ethnicity not in RaceEthnicity.values:
        errors["race_ethnicity"] = gettext("Unknown race/ethnicity.")
    if errors:
        raise ValidationError(errors)
    override = threat_discipline_check(
        text=concern,
        school=school,
        district_id=school.district_id,
        safety_reason=safety_reason,
    )
    if team is not None:
        for person in team:
            if person.role not in CASE_TEAM_ROLES and person.role != Role.SSO:
                raise ValidationError(
                    {"team": NOT_A_TEAM_ROLE.format(role=person.get_role_display().lower())}
                )
    members = list(team) if team is not None else [m.person for m in school_team(school=school)]
    members = [p for p in members if p.role in CASE_TEAM_ROLES]
    with transaction.atomic():
        case = model_create(
            model=ThreatCase,
            actor=actor,
            district_id=school.district_id,
            school=school,
            source=source,
            tip=tip,
            incident=incident,
            subject=subject,
            grade=grade.strip()[:4],
            concern=concern.strip(),
            disability_status=disability_status,
            race_ethnicity=race_ethnicity,
            opened_by=_user(actor),
        )
        for person in {p.pk: p for p in members}.values():
            model_create(model=CaseTeamMember, actor=actor, case=case, person=person)
        if tip is not None:
            tip_services.tip_link(tip=tip, actor=actor, case_id=case.pk)
        if override is not None:
            discipline_override_record(override=override, actor=actor, instance=case, school=school)
    return case


def case_team_add(*, case: ThreatCase, person: Person, actor: Actor) -> CaseTeamMember:
    if person.role == Role.SSO:
        raise ValidationError({"person": SSO_NOT_ON_TEAM})
    if person.role not in CASE_TEAM_ROLES:
        raise ValidationError(
            {"person": NOT_A_TEAM_ROLE.format(role=person.get_role_display().lower())}
        )
    if person.district_id != case.district_id:
        raise ValidationError({"person": gettext("That person works in another district.")})
    existing = CaseTeamMember.objects.filter(case=case, person=person).first()
    if existing is not None:
        return existing
    return model_create(model=CaseTeamMember, actor=actor, case=case, person=person)


# --- Records and the workflow ------------------------------------------------------------------


def _open(case: ThreatCase) -> None:
    if case.stage == Stage.CLOSED:
        raise ValidationError(CASE_CLOSED)


def case_record_add(*, case: ThreatCase, kind: RecordKind, body: str, actor: Actor) -> CaseRecord:
    """An interview, witness statement, protective action, notification…: author and time."""
    _open(case)
    if kind not in RecordKind.values:
        raise ValidationError({"kind": gettext("Unknown record type.")})
    if not body.strip():
        raise ValidationError({"body": gettext("Write the record.")})
    return model_create(
        model=CaseRecord, actor=actor, case=case, kind=kind, body=body.strip(), author=_user(actor)
    )


def case_consult(
    *,
    case: ThreatCase,
    consulted_with: str,
    reason: str,
    actor: Actor,
    officer: Person | None = None,
) -> LawEnforcementConsultation:
    """Record a law enforcement consultation: who and why. Naming an SSO is the explicit
    "share with SSO" action: that officer may then read this case, and only this one."""
    _open(case)
    errors = {}
    if not consulted_with.strip() and officer is None:
        errors["consulted_with"] = gettext("Say who was consulted.")
    if not reason.strip():
        errors["reason"] = gettext("Say why law enforcement was consulted.")
    if officer is not None and (
        officer.role != Role.SSO or officer.district_id != case.district_id
    ):
        errors["officer"] = str(OFFICER_NOT_SSO)
    if errors:
        raise ValidationError(errors)
    return model_create(
        model=LawEnforcementConsultation,
        actor=actor,
        note="share with SSO" if officer is not None else "law enforcement consultation",
        case=case,
        officer=officer,
        consulted_with=(consulted_with.strip() or str(officer))[:150],
        reason=reason.strip(),
        recorded_by=_user(actor),
    )


def missing_requirements(case: ThreatCase, to: Stage) -> list[str]:
    needed = REQUIRED_RECORDS.get((Stage(case.stage), to), ())
    kinds = set(case.records.values_list("kind", flat=True))
    if RecordKind.INCREASE_PRESENCE in kinds:  # a protective action of its own
        kinds.add(RecordKind.PROTECTIVE_ACTION)
    missing = []
    for requirement in needed:
        if requirement == LE_CONSULTATION:
            present = case.consultations.exists()
        elif requirement == PLAN_TASK:
            present = case.tasks.exists()
        elif requirement == FOLLOW_UP_DONE:
            present = case.follow_ups.filter(done_on__isnull=False).exists()
        else:
            present = requirement in kinds
        if not present:
            missing.append(requirement)
    return missing


def _may_override(actor: Actor) -> bool:
    if isinstance(actor, str):
        return False
    viewer = viewer_for(actor)
    return viewer.is_superuser or is_threat_lead(person_id=viewer.person_id)


def case_move(
    *,
    case: ThreatCase,
    to: Stage,
    actor: Actor,
    reason: str = "",
    follow_up_every_days: int | None = None,
    override_reason: str = "",
) -> ThreatCase:
    """Move the case along the workflow table. Closing needs a reason; closing with open plan
    tasks needs the lead's override with a reason; monitoring needs a cadence."""
    current = Stage(case.stage)
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(str(Stage(s).label) for s in allowed_next(current))
        allowed = allowed or gettext("nothing")
        raise ValidationError({"stage": ILLEGAL_MOVE.format(stage=current.label, allowed=allowed)})
    override = override_reason.strip()
    if override and not _may_override(actor):
        raise PermissionDenied(OVERRIDE_LEAD_ONLY)
    missing = missing_requirements(case, to)
    if missing and override and to == Stage.CLOSED and missing == [FOLLOW_UP_DONE]:
        missing = []  # the lead may close early, with a recorded reason
    if missing:
        labels = ", ".join(requirement_label(m) for m in missing)
        raise ValidationError({"stage": MISSING_RECORDS.format(missing=labels)})
    data: dict[str, object] = {"stage": to}
    if to in STAGE_CLASSIFICATION:
        data["classification"] = STAGE_CLASSIFICATION[to]
    if to == Stage.MONITORING:
        if follow_up_every_days is None or not 1 <= follow_up_every_days <= 180:
            raise ValidationError({"follow_up_every_days": CADENCE_NEEDED})
        data["follow_up_every_days"] = follow_up_every_days
    if to == Stage.CLOSED:
        if not reason.strip():
            raise ValidationError({"reason": CLOSE_NEEDS_REASON})
        open_tasks = case.tasks.filter(done_on__isnull=True).count()
        if open_tasks and not override:
            raise ValidationError({"stage": OPEN_TASKS.format(count=open_tasks)})
        data.update(closed_at=timezone.now(), close_reason=reason.strip(), next_follow_up_on=None)
        if override:
            data.update(override_reason=override, override_by=_user(actor))
    with transaction.atomic():
        case = model_update(instance=case, actor=actor, data=data, note=f"stage → {to}")
        if to == Stage.MONITORING:
            _schedule_follow_up(
                case, actor, timezone.localdate() + dt.timedelta(days=follow_up_every_days or 0)
            )
        if to == Stage.CLOSED:
            job_cancel(dedupe_key=_timer_key(case.pk))
            FollowUp.objects.filter(case=case, done_on__isnull=True).delete()
            for tip in Tip.objects.filter(cases=case).exclude(status=TipStatus.CLOSED):
                tip_services.tip_close(tip=tip, actor=actor, reason=TipCloseReason.CASE_CLOSED)
    return case


# --- Plan and monitoring -----------------------------------------------------------------------


def task_add(
    *, case: ThreatCase, title: str, owner: Person, due_on: dt.date, actor: Actor, details: str = ""
) -> PlanTask:
    _open(case)
    if case.stage in (Stage.EVALUATION, Stage.TRANSIENT):
        raise ValidationError({"stage": gettext("A plan follows a substantive classification.")})
    if not title.strip():
        raise ValidationError({"title": gettext("Name the task.")})
    if owner.district_id != case.district_id:
        raise ValidationError({"owner": gettext("The owner works in another district.")})
    return model_create(
        model=PlanTask,
        actor=actor,
        case=case,
        title=title.strip(),
        details=details.strip(),
        owner=owner,
        due_on=due_on,
    )


def task_done(*, task: PlanTask, actor: Actor, on: dt.date | None = None) -> PlanTask:
    if task.done_on is not None:
        raise ValidationError(gettext("The task is already done."))
    return model_update(
        instance=task,
        actor=actor,
        data={"done_on": on or timezone.localdate(), "done_by": _user(actor)},
    )


def _timer_key(case_id: int) -> str:
    return f"threats:follow-up:{case_id}"


def _schedule_follow_up(case: ThreatCase, actor: Actor, due_on: dt.date) -> FollowUp:
    follow_up = model_create(model=FollowUp, actor=actor, case=case, due_on=due_on)
    ThreatCase.objects.filter(pk=case.pk).update(next_follow_up_on=due_on)
    case.next_follow_up_on = due_on
    run_after = timezone.make_aware(dt.datetime.combine(due_on, dt.time(FOLLOW_UP_HOUR)))
    job_enqueue(
        kind=FOLLOW_UP_KIND,
        payload={"follow_up_id": follow_up.pk},
        run_after=run_after,
        dedupe_key=_timer_key(case.pk),
    )
    return follow_up


def follow_up_record(
    *, case: ThreatCase, note: str, actor: Actor, on: dt.date | None = None
) -> FollowUp:
    """Record the due follow-up as done and schedule the next one at the case's cadence."""
    _open(case)
    if case.stage != Stage.MONITORING or not case.follow_up_every_days:
        raise ValidationError(
            {"stage": gettext("Follow-ups are recorded while the case is monitored.")}
        )
    if not note.strip():
        raise ValidationError({"note": gettext("Write what the follow-up found.")})
    day = on or timezone.localdate()
    with transaction.atomic():
        due = case.follow_ups.filter(done_on__isnull=True).order_by("due_on").first()
        if due is None:
            due = model_create(model=FollowUp, actor=actor, case=case, due_on=day)
        done = model_update(
            instance=due,
            actor=actor,
            data={"done_on": day, "done_by": _user(actor), "note": note.strip()},
        )
        _schedule_follow_up(case, actor, day + dt.timedelta(days=case.follow_up_every_days))
    return done


# --- Teams and the district lead ---------------------------------------------------------------


def _require_team_manager(actor: Actor, district_id: int) -> None:
    if isinstance(actor, str):
        return
    viewer = viewer_for(actor)
    if viewer.is_superuser:
        return
    if viewer.district_id == district_id and (
        viewer.role == Role.SECURITY_CHIEF or is_threat_lead(person_id=viewer.person_id)
    ):
        return
    raise PermissionDenied(
        gettext("Only the security chief or the district lead designates teams.")
    )


def team_member_add(
    *,
    school: School,
    person: Person,
    actor: Actor,
    starts_on: dt.date | None = None,
    team_role: str = "",
) -> TeamMember:
    _require_team_manager(actor, school.district_id)
    if person.district_id != school.district_id:
        raise ValidationError({"person": gettext("That person works in another district.")})
    if person.role not in SCHOOL_TEAM_ROLES:
        raise ValidationError(
            {"person": NOT_A_TEAM_ROLE.format(role=person.get_role_display().lower())}
        )
    day = starts_on or timezone.localdate()
    if TeamMember.objects.filter(current_filter(day), school=school, person=person).exists():
        raise ValidationError({"person": gettext("Already on this school's team.")})
    return model_create(
        model=TeamMember,
        actor=actor,
        school=school,
        person=person,
        starts_on=day,
        team_role=team_role.strip(),
    )


def team_member_end(*, member: TeamMember, actor: Actor, on: dt.date | None = None) -> TeamMember:
    _require_team_manager(actor, member.school.district_id)
    return model_update(instance=member, actor=actor, data={"ends_on": on or timezone.localdate()})


def threat_lead_designate(
    *, district: District, person: Person, actor: Actor, starts_on: dt.date | None = None
) -> ThreatLead:
    """The security chief designates the district lead; the previous designation ends.

    The lead reads every case, so the rule is strict: a role that may hold education records
    (LEAD_ROLES), of this district, and never the designator themself."""
    if not isinstance(actor, str):
        viewer = viewer_for(actor)
        if not viewer.is_superuser and not (
            viewer.role == Role.SECURITY_CHIEF and viewer.district_id == district.pk
        ):
            raise PermissionDenied(gettext("Only the security chief designates the lead."))
        if viewer.person_id is not None and viewer.person_id == person.pk:
            raise ValidationError({"person": LEAD_NOT_SELF})
    if person.district_id != district.pk or person.role not in LEAD_ROLES or not person.active:
        raise ValidationError({"person": LEAD_ROLE})
    day = starts_on or timezone.localdate()
    with transaction.atomic():
        for current in ThreatLead.objects.filter(current_filter(day), district=district):
            model_update(instance=current, actor=actor, data={"ends_on": day})
        return model_create(
            model=ThreatLead, actor=actor, district=district, person=person, starts_on=day
        )
