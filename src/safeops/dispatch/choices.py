"""Dispatch vocabularies and the request lifecycle, as data.

`TRANSITIONS` is the one table of allowed status changes. Services consult it; the 409 for
an illegal change lists `TRANSITIONS[current]`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """The label of `value` in the active language, or `value` itself when it is none of
    `choices` (as `Model.get_FOO_display`). A model's `get_FOO_display` builds a dict of every
    choice, translating each label, on every call (~70 us against ~6 us here): the request
    payload and the audit label of every dispatch call name two or three of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Category(models.TextChoices):
    WEAPON = "weapon", _("Weapon")
    FIGHT_ASSAULT = "fight_assault", _("Fight or assault")
    INTRUDER_TRESPASS = "intruder_trespass", _("Intruder or trespass")
    THREAT_TO_HARM = "threat_to_harm", _("Threat to harm")
    CRIME_REPORT = "crime_report", _("Crime report")
    MEDICAL_ASSIST = "medical_assist", _("Medical assist (EMS)")
    PERSON_IN_CRISIS = "person_in_crisis", _("Person in crisis or welfare")
    BUS_STOP_INCIDENT = "bus_stop_incident", _("Bus stop incident")
    TRAFFIC = "traffic", _("Traffic")
    PATROL_CHECK = "patrol_check", _("Patrol or visibility check")
    PANIC_ALARM = "panic_alarm", _("Panic alarm (badge or button)")


class Priority(models.TextChoices):
    P1 = "p1", _("P1 emergency")
    P2 = "p2", _("P2 urgent")
    P3 = "p3", _("P3 routine")


# The priority a category suggests when the requester leaves it blank.
DEFAULT_PRIORITY: dict[Category, Priority] = {
    Category.WEAPON: Priority.P1,
    Category.FIGHT_ASSAULT: Priority.P1,
    Category.INTRUDER_TRESPASS: Priority.P1,
    Category.THREAT_TO_HARM: Priority.P2,
    Category.CRIME_REPORT: Priority.P3,
    Category.MEDICAL_ASSIST: Priority.P1,
    Category.PERSON_IN_CRISIS: Priority.P2,
    Category.BUS_STOP_INCIDENT: Priority.P2,
    Category.TRAFFIC: Priority.P3,
    Category.PATROL_CHECK: Priority.P3,
    Category.PANIC_ALARM: Priority.P1,
}


class Source(models.TextChoices):
    """How a call came in."""

    FILED = "filed", _("Filed by a school or dispatcher")
    ON_VIEW = "on_view", _("On-view (opened by the officer)")
    INTAKE = "intake", _("Panic or badge alarm")


class LapsedPolicy(models.TextChoices):
    """What dispatch does with an officer whose SRO training or POPS certification lapsed."""

    EXCLUDE = "exclude", _("Exclude from recommendations and assignment")
    ALLOW_WITH_REASON = "allow_with_reason", _("Allow, with a recorded override reason")


class AlertKind(models.TextChoices):
    """What an alert says (its words: dispatch.alert_texts); blank: free text in `message`."""

    TEXT = "", _("Free text")
    ESCALATED = "escalated", _("Not acknowledged, offered to the next officer")
    NO_OFFICER = "no_officer", _("Not acknowledged, no other officer available")
    ALARM = "alarm", _("Panic or badge alarm")
    IMMINENT_TIP = "imminent_tip", _("Imminent-harm tip")


class AlertResolution(models.TextChoices):
    RESOLVED = "resolved", _("Resolved by a supervisor")
    REQUEST_CLOSED = "request_closed", _("The request closed")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("request status", "New")
    ASSIGNED = "assigned", pgettext_lazy("request status", "Assigned")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("request status", "Acknowledged")
    EN_ROUTE = "en_route", pgettext_lazy("request status", "En route")
    ON_SCENE = "on_scene", pgettext_lazy("request status", "On scene")
    CLEARED = "cleared", pgettext_lazy("request status", "Cleared")
    CANCELLED = "cancelled", pgettext_lazy("request status", "Cancelled")
    REASSIGNED = "reassigned", pgettext_lazy("request status", "Reassigned")
    ESCALATED = "escalated", pgettext_lazy("request status", "Escalated")


# Offered to an officer, waiting for the acknowledgement (the escalation timer runs).
AWAITING_ACK = frozenset({Status.ASSIGNED, Status.REASSIGNED, Status.ESCALATED})
# The officer holds the request (counts against stacking).
HELD = frozenset(
    {
        Status.ASSIGNED,
        Status.REASSIGNED,
        Status.ESCALATED,
        Status.ACKNOWLEDGED,
        Status.EN_ROUTE,
        Status.ON_SCENE,
    }
)
CLOSED = frozenset({Status.CLEARED, Status.CANCELLED})
OPEN = frozenset(set(Status) - CLOSED)

# Statuses reached by choosing an officer (POST /assign, or the escalation timer).
TO_OFFICER = frozenset({Status.ASSIGNED, Status.REASSIGNED, Status.ESCALATED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.CANCELLED}),
    Status.ASSIGNED: frozenset(
        {
            Status.ACKNOWLEDGED,
            Status.EN_ROUTE,
            Status.ON_SCENE,
            Status.REASSIGNED,
            Status.ESCALATED,
            Status.CANCELLED,
        }
    ),
    Status.REASSIGNED: frozenset(
        {
            Status.ACKNOWLEDGED,
            Status.EN_ROUTE,
            Status.ON_SCENE,
            Status.REASSIGNED,
            Status.ESCALATED,
            Status.CANCELLED,
        }
    ),
    Status.ESCALATED: frozenset(
        {
            Status.ACKNOWLEDGED,
            Status.EN_ROUTE,
            Status.ON_SCENE,
            Status.REASSIGNED,
            Status.ESCALATED,
            Status.CANCELLED,
        }
    ),
    Status.ACKNOWLEDGED: frozenset(
        {Status.EN_ROUTE, Status.ON_SCENE, Status.REASSIGNED, Status.CANCELLED}
    ),
    Status.EN_ROUTE: frozenset({Status.ON_SCENE, Status.REASSIGNED, Status.CANCELLED}),
    Status.ON_SCENE: frozenset({Status.CLEARED, Status.REASSIGNED}),
    Status.CLEARED: frozenset(),
    Status.CANCELLED: frozenset(),
}

# Statuses the officer (or a dispatcher on their behalf) reports.
OFFICER_STATUSES = frozenset(
    {Status.ACKNOWLEDGED, Status.EN_ROUTE, Status.ON_SCENE, Status.CLEARED}
)


def allowed_next(status: str) -> list[str]:
    """The statuses reachable from `status`, in lifecycle order."""
    targets = TRANSITIONS[Status(status)]
    return [s.value for s in Status if s in targets]


class Disposition(models.TextChoices):
    RESOLVED_ON_SCENE = "resolved_on_scene", _("Resolved on scene")
    REFERRED = "referred", _("Referred to a support resource")
    REPORT_TAKEN = "report_taken", _("Report taken")
    EMS_TRANSPORT = "ems_transport", _("EMS transport")
    CITATION = "citation", _("Citation")
    ARREST = "arrest", _("Arrest")
    USE_OF_FORCE = "use_of_force", _("Use of force")
    UNFOUNDED = "unfounded", _("Unfounded")
    # SSOs do not handle discipline: a call that turns out to be one goes back to the school's
    # administration, and is counted (the guard let it through; the reports show how often).
    DISCIPLINE = "discipline", _("A discipline matter: returned to school administration")
    CANCELLED = "cancelled", pgettext_lazy("request status", "Cancelled")


# Dispositions that need a reason and the student's demographic fields (accountability).
ENFORCEMENT_DISPOSITIONS = frozenset(
    {Disposition.CITATION, Disposition.ARREST, Disposition.USE_OF_FORCE}
)


class EventKind(models.TextChoices):
    """What a live-board event row reports."""

    REQUEST = "request", _("Request changed")
    OFFICER = "officer", _("Officer changed")
    ALERT = "alert", _("Supervisor alert")
