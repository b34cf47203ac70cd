"""The SA home's "due this week": one list gathered from drills, safety plans, facility
findings and incident follow-ups, each item linking to the page where it is done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeops.access import AnyUser, schools_with_access, viewer_for
from safeops.drills.engine import WindowState
from safeops.drills.selectors import (
    corrective_actions_due_for_user,
    due_windows_for_user,
)
from safeops.facilities.selectors import findings_without_task_for_user, tasks_due_for_user
from safeops.incidents.selectors import follow_ups_due_for_user
from safeops.safetyplans.selectors import plan_list_for_user, plans_due_for_user

WEEK_DAYS = 7


@dataclass(frozen=True)
class DueItem:
    area: str  # Drill, Safety plan, Facility, Incident
    school: str
    text: str
    due_on: dt.date | None
    overdue: bool
    url: str


def due_this_week_for_user(*, user: AnyUser, on: dt.date | None = None) -> list[DueItem]:
    """Everything overdue or due within a week at the user's own schools, oldest first."""
    day = on or timezone.localdate()
    viewer = viewer_for(user)
    if not viewer.school_ids:
        return []
    mine = set(viewer.school_ids)
    items: list[DueItem] = []
    for window in due_windows_for_user(
        user=user, on=day, within_days=WEEK_DAYS, school_ids=viewer.school_ids
    ):
        result = window.result
        items.append(
            DueItem(
                _("Drill"),
                window.school.name,
                f"{result.reason} — {result.window.legal_source}",
                result.window.end,
                result.state == WindowState.OVERDUE,
                reverse("drill-log", args=[window.school.pk]),
            )
        )
    for action in corrective_actions_due_for_user(user=user, on=day, within_days=WEEK_DAYS):
        school = action.drill.school
        if school.pk in mine:
            items.append(
                DueItem(
                    _("Drill"),
                    school.name,
                    _("Corrective action: %(what)s (%(owner)s)")
                    % {"what": action.description, "owner": action.owner.full_name},
                    action.due_on,
                    action.due_on < day,
                    reverse("drill-school", args=[school.pk]),
                )
            )
    for plan, step in plans_due_for_user(user=user, on=day, within_days=WEEK_DAYS):
        if plan.school_id in mine:
            items.append(
                DueItem(
                    _("Safety plan"),
                    plan.school.name,
                    step.label,
                    step.due_on,
                    step.state == "overdue",
                    reverse("plan-detail", args=[plan.pk]),
                )
            )
    planned = set(
        plan_list_for_user(user=user)
        .filter(school_year__first_day__lte=day, school_year__last_day__gte=day)
        .values_list("school_id", flat=True)
    )
    for school in schools_with_access(user).filter(pk__in=mine).exclude(pk__in=planned):
        items.append(
            DueItem(
                _("Safety plan"),
                school.name,
                _("No safety plan for this school year yet"),
                None,
                True,
                reverse("plan-list"),
            )
        )
    for task in tasks_due_for_user(user=user, on=day, within_days=WEEK_DAYS):
        school = task.finding.audit.school
        if school.pk in mine:
            items.append(
                DueItem(
                    _("Facility"),
                    school.name,
                    f"{task.description} ({task.owner.full_name})",
                    task.due_on,
                    task.due_on < day,
                    reverse("facility-audit", args=[task.finding.audit_id]),
                )
            )
    for finding in findings_without_task_for_user(user=user):
        if finding.audit.school_id in mine:
            items.append(
                DueItem(
                    _("Facility"),
                    finding.audit.school.name,
                    _("Open finding without a remediation task: %(what)s")
                    % {"what": finding.description},
                    None,
                    False,
                    reverse("facility-audit", args=[finding.audit_id]),
                )
            )
    for incident in follow_ups_due_for_user(user=user, on=day, within_days=WEEK_DAYS):
        if incident.school_id in mine:
            items.append(
                DueItem(
                    _("Incident"),
                    incident.school.name,
                    _("Follow up: %(kind)s on %(day)s")
                    % {
                        "kind": incident.get_kind_display(),
                        "day": f"{incident.occurred_at:%Y-%m-%d}",
                    },
                    incident.follow_up_on,
                    bool(incident.follow_up_on and incident.follow_up_on < day),
                    reverse("incident-detail", args=[incident.pk]),
                )
            )
    return sorted(items, key=lambda i: (not i.overdue, i.due_on or dt.date.max, i.school))
