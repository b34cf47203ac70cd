"""Reads of the incident log, narrowed by safeops.access; reading one incident is audited."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from safeops.access import Action, AnyUser, restrict
from safeops.core.audit import audit_read
from safeops.incidents.models import Incident


def incident_list_for_user(*, user: AnyUser, school_id: int | None = None) -> QuerySet[Incident]:
    incidents = restrict(Incident.objects.all(), user).select_related("school")
    if school_id is not None:
        incidents = incidents.filter(school_id=school_id)
    return incidents.order_by("-occurred_at")


def incident_get_for_user(
    *, user: AnyUser, incident_id: int, action: Action = Action.VIEW
) -> Incident:
    incident = (
        restrict(Incident.objects.filter(pk=incident_id), user, action)
        .select_related("school", "recorded_by")
        .prefetch_related("people", "referrals")
        .first()
    )
    if incident is None:
        raise Http404(gettext("No such incident in your scope."))
    if action == Action.VIEW:
        audit_read(actor=user, instance=incident, note="incident")
    return incident


def follow_ups_due_for_user(*, user: AnyUser, on: dt.date, within_days: int) -> list[Incident]:
    horizon = on + dt.timedelta(days=within_days)
    return list(
        incident_list_for_user(user=user)
        .filter(follow_up_on__isnull=False, follow_up_on__lte=horizon, follow_up_done_on=None)
        .order_by("follow_up_on")
    )
