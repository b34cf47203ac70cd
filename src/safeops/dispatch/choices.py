"""Dispatch vocabularies and the request lifecycle, as data.

`TRANSITIONS` is the one table of allowed status changes. Services consult it; the 409 for
an illegal change lists `TRANSITIONS[current]`.
"""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    WEAPON = "weapon", "Weapon"
    FIGHT_ASSAULT = "fight_assault", "Fight or assault"
    INTRUDER_TRESPASS = "intruder_trespass", "Intruder or trespass"
    THREAT_TO_HARM = "threat_to_harm", "Threat to harm"
    CRIME_REPORT = "crime_report", "Crime report"
    MEDICAL_ASSIST = "medical_assist", "Medical assist (EMS)"
    PERSON_IN_CRISIS = "person_in_crisis", "Person in crisis or welfare"
    BUS_STOP_INCIDENT = "bus_stop_incident", "Bus stop incident"
    TRAFFIC = "traffic", "Traffic"
    PATROL_CHECK = "patrol_check", "Patrol or visibility check"
    PANIC_ALARM = "panic_alarm", "Panic alarm (badge or button)"


class Priority(models.TextChoices):
    P1 = "p1", "P1 emergency"
    P2 = "p2", "P2 urgent"
    P3 = "p3", "P3 routine"


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

    FILED = "filed", "Filed by a school or dispatcher"
    ON_VIEW = "on_view", "On-view (opened by the officer)"
    INTAKE = "intake", "Panic or badge alarm"


class LapsedPolicy(models.TextChoices):
    """What dispatch does with an officer whose SRO training or POPS certification lapsed."""

    EXCLUDE = "exclude", "Exclude from recommendations and assignment"
    ALLOW_WITH_REASON = "allow_with_reason", "Allow, with a recorded override reason"


class AlertResolution(models.TextChoices):
    RESOLVED = "resolved", "Resolved by a supervisor"
    REQUEST_CLOSED = "request_closed", "The request closed"


class Status(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    EN_ROUTE = "en_route", "En route"
    ON_SCENE = "on_scene", "On scene"
    CLEARED = "cleared", "Cleared"
    CANCELLED = "cancelled", "Cancelled"
    REASSIGNED = "reassigned", "Reassigned"
    ESCALATED = "escalated", "Escalated"


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
    RESOLVED_ON_SCENE = "resolved_on_scene", "Resolved on scene"
    REFERRED = "referred", "Referred to a support resource"
    REPORT_TAKEN = "report_taken", "Report taken"
    EMS_TRANSPORT = "ems_transport", "EMS transport"
    CITATION = "citation", "Citation"
    ARREST = "arrest", "Arrest"
    USE_OF_FORCE = "use_of_force", "Use of force"
    UNFOUNDED = "unfounded", "Unfounded"
    CANCELLED = "cancelled", "Cancelled"


# Dispositions that need a reason and the student's demographic fields (accountability).
ENFORCEMENT_DISPOSITIONS = frozenset(
    {Disposition.CITATION, Disposition.ARREST, Disposition.USE_OF_FORCE}
)


class EventKind(models.TextChoices):
    """What a live-board event row reports."""

    REQUEST = "request", "Request changed"
    OFFICER = "officer", "Officer changed"
    ALERT = "alert", "Supervisor alert"
