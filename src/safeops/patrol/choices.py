"""Choices of the patrol app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointKind(models.TextChoices):
    BUS_STOP = "bus_stop", _("Bus stop")
    PARK = "park", _("Park")
    CORRIDOR = "corridor", _("Walking corridor")
    OTHER = "other", _("Other")


class OverrideKind(models.TextChoices):
    LATE_START = "late_start", _("Late start")
    EARLY_RELEASE = "early_release", _("Early release")
    CLOSED = "closed", _("No school")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CHECKED_IN = "checked_in", _("Checked in")
    SKIPPED = "skipped", _("Skipped")


class SkipReason(models.TextChoices):
    CALL = "call", _("Pulled to a call")
    TRAFFIC = "traffic", _("Traffic or road closure")
    SCHOOL_ASKED = "school_asked", _("The school asked me to stay elsewhere")
    OTHER = "other", _("Other")


# Window labels the planner sees (planning.patrol.TimeWindow.label).
ARRIVAL = "arrival"
DISMISSAL = "dismissal"
POINT_WINDOW = "window"
WINDOW_LABELS = {
    ARRIVAL: _("Arrival"),
    DISMISSAL: _("Dismissal"),
    POINT_WINDOW: _("Scheduled time"),
}


class DropReason(models.TextChoices):
    """Why an officer's rest of the day went to the neighbours (absorb)."""

    SUPERVISOR = "supervisor", _("Handed over by a supervisor")
    OFF = "off", _("Off shift, relieved or on leave")
    OFF_DUTY = "off_duty", _("Went off duty")
    LONG_CALL = "long_call", _("On a long call")
