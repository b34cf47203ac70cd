"""Threat-assessment vocabularies and the case workflow, as data.

`TRANSITIONS` is the one table of allowed stage changes (CSTAG decision tree with NTAC
elements); `REQUIRED_RECORDS` lists what must be on file before a case may enter a stage
from another. Services consult both; an illegal change names what is allowed or missing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    IMMINENT = "imminent", _("Someone could be hurt now or today")
    SOON = "soon", _("In the next few days")
    NOT_URGENT = "not_urgent", _("Not urgent")
    UNSURE = "unsure", _("I'm not sure")


class TipStatus(models.TextChoices):
    NEW = "new", _("Received")
    TRIAGED = "triaged", _("Being reviewed")
    LINKED = "linked", _("Being assessed")  # linked to a case
    CLOSED = "closed", _("Closed")


class TipCloseReason(models.TextChoices):
    RESOLVED = "resolved", _("Handled, no assessment needed")
    CASE_CLOSED = "case_closed", _("The assessment is complete")
    NOT_A_THREAT = "not_a_threat", _("Not a safety threat")
    DISCIPLINE = "discipline", _("A discipline matter: sent to school administration")
    DUPLICATE = "duplicate", _("Duplicate of another tip")
    HOAX = "hoax", _("False or prank report")
    NOT_ENOUGH = "not_enough", _("Not enough information to act on")


class TipEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Tip received")
    TRIAGED = "triaged", _("Triaged")
    ALERTED = "alerted", _("Dispatcher alerted (imminent harm)")
    QUESTION = "question", _("Question to the reporter")
    ANSWER = "answer", _("Reporter's answer")
    NOTE = "note", _("Staff note")
    LINKED = "linked", _("Linked to a case")
    CLOSED = "closed", _("Closed")


# Timeline entries the reporter sees on the tip-code page (never staff notes).
REPORTER_VISIBLE = frozenset(
    {
        TipEventKind.SUBMITTED,
        TipEventKind.QUESTION,
        TipEventKind.ANSWER,
        TipEventKind.LINKED,
        TipEventKind.CLOSED,
    }
)


class CaseSource(models.TextChoices):
    TIP = "tip", _("Anonymous tip")
    STAFF = "staff", _("Staff report")
    INCIDENT = "incident", _("Incident log")


class Stage(models.TextChoices):
    EVALUATION = "evaluation", _("1. Evaluate the threat")
    TRANSIENT = "transient", _("2. Transient: resolve")
    SERIOUS = "serious", _("3–4. Serious substantive: protect and notify")
    VERY_SERIOUS = "very_serious", _("3–5. Very serious substantive: evaluate and consult")
    PLAN = "plan", _("6. Safety or intervention plan")
    MONITORING = "monitoring", _("7. Monitoring")
    CLOSED = "closed", _("Closed")


class Classification(models.TextChoices):
    PENDING = "", _("Not yet classified")
    TRANSIENT = "transient", _("Transient")
    SERIOUS = "serious", _("Serious substantive")
    VERY_SERIOUS = "very_serious", _("Very serious substantive")


# The classification a stage records (entering it classifies the case).
STAGE_CLASSIFICATION: dict[Stage, Classification] = {
    Stage.TRANSIENT: Classification.TRANSIENT,
    Stage.SERIOUS: Classification.SERIOUS,
    Stage.VERY_SERIOUS: Classification.VERY_SERIOUS,
}

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.EVALUATION: frozenset({Stage.TRANSIENT, Stage.SERIOUS, Stage.VERY_SERIOUS}),
    # New information can turn a transient threat substantive ("when in doubt, substantive").
    Stage.TRANSIENT: frozenset({Stage.CLOSED, Stage.SERIOUS, Stage.VERY_SERIOUS}),
    Stage.SERIOUS: frozenset({Stage.VERY_SERIOUS, Stage.PLAN}),
    Stage.VERY_SERIOUS: frozenset({Stage.PLAN}),
    Stage.PLAN: frozenset({Stage.MONITORING, Stage.VERY_SERIOUS}),
    Stage.MONITORING: frozenset({Stage.CLOSED, Stage.PLAN, Stage.VERY_SERIOUS}),
    Stage.CLOSED: frozenset(),
}


class RecordKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    WITNESS_STATEMENT = "witness_statement", _("Witness statement")
    RESOLUTION = "resolution", _("Resolution of a transient threat")
    PROTECTIVE_ACTION = "protective_action", _("Protective action")
    # A protective action that also asks the SSO patrols to be seen more at the case's school:
    # patrol counts open cases with one by school (safeops.threats.presence).
    INCREASE_PRESENCE = "increase_presence", _("Protective action: increase presence")
    TARGET_NOTIFIED = "target_notified", _("Notification of the target")
    PARENTS_NOTIFIED = "parents_notified", _("Notification of the parents")
    SAFETY_EVALUATION = "safety_evaluation", _("Safety evaluation")
    MENTAL_HEALTH_REFERRAL = "mental_health_referral", _("Mental health assessment referral")
    NOTE = "note", _("Case note")


# What must be on file to enter `to` from `from` (CSTAG steps 1, 2, 4 and 5).
# "le_consultation" is a LawEnforcementConsultation row; the rest are CaseRecord kinds.
LE_CONSULTATION = "le_consultation"
PLAN_TASK = "plan_task"
FOLLOW_UP_DONE = "follow_up_done"
REQUIRED_RECORDS: dict[tuple[Stage, Stage], tuple[str, ...]] = {
    **{
        (Stage.EVALUATION, to): (RecordKind.INTERVIEW,)
        for to in (Stage.TRANSIENT, Stage.SERIOUS, Stage.VERY_SERIOUS)
    },
    (Stage.TRANSIENT, Stage.CLOSED): (RecordKind.RESOLUTION,),
    (Stage.SERIOUS, Stage.PLAN): (
        RecordKind.PROTECTIVE_ACTION,
        RecordKind.TARGET_NOTIFIED,
        RecordKind.PARENTS_NOTIFIED,
    ),
    (Stage.VERY_SERIOUS, Stage.PLAN): (
        RecordKind.PROTECTIVE_ACTION,
        RecordKind.TARGET_NOTIFIED,
        RecordKind.PARENTS_NOTIFIED,
        RecordKind.SAFETY_EVALUATION,
        RecordKind.MENTAL_HEALTH_REFERRAL,
        LE_CONSULTATION,
    ),
    (Stage.PLAN, Stage.MONITORING): (PLAN_TASK,),
    # Monitoring runs at least one follow-up before a case may close (against early closing).
    (Stage.MONITORING, Stage.CLOSED): (FOLLOW_UP_DONE,),
}


def requirement_label(requirement: str) -> str:
    extra = {
        LE_CONSULTATION: _("Law enforcement consultation"),
        PLAN_TASK: _("A plan task"),
        FOLLOW_UP_DONE: _("A completed monitoring follow-up"),
    }
    if requirement in extra:
        return str(extra[requirement])
    return str(RecordKind(requirement).label)


def allowed_next(stage: str) -> list[str]:
    targets = TRANSITIONS[Stage(stage)]
    return [s.value for s in Stage if s in targets]


class Dimension(models.TextChoices):
    DISABILITY = "disability", _("Disability / 504 status")
    RACE = "race", _("Race / ethnicity")
