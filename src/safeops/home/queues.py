"""Each role's home as a work queue: what needs the person now, each item linking to where it
is done. An item appears when its matter arises and leaves when it is done (a tip closed, a
request cleared, an officer back on duty, a record confirmed).

SA and principal: open tips and open threat cases at their schools, the SSO requests they
filed that are still open (the "due this week" list is `workspace.py`). Chief: zones with no
officer on duty, open P1 requests, officers whose training has lapsed. Training coordinator:
people with training due or overdue, records waiting for confirmation. SSO: their open
assignment, and open requests in their zone. The dispatcher's home is the live board.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeops.access import AnyUser, current_filter, viewer_for
from safeops.dispatch.choices import OPEN, Priority
from safeops.dispatch.credentials import lapsed_reasons
from safeops.dispatch.models import OfficerStatus, SupportRequest
from safeops.dispatch.selectors import officer_home_for_user, request_list_for_user
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person
from safeops.threats.choices import Stage
from safeops.threats.selectors import case_list_for_user, tip_queue_for_user
from safeops.training.models import Certification, Completion
from safeops.training.selectors import (
    district_compliance_for_user,
    due_items,
    pending_for_user,
)
from safeops.zones.models import Zone


@dataclass(frozen=True)
class WorkItem:
    """One thing that needs the person: what, where it is done, and whether it is urgent."""

    area: str
    text: str
    url: str
    urgent: bool = False
    since: dt.datetime | dt.date | None = None


def _request_text(request: SupportRequest) -> str:
    place = request.school.name if request.school is not None else request.location_description
    return _("Request #%(number)s (%(priority)s) at %(place)s") % {
        "number": request.pk,
        "priority": request.priority.upper(),
        "place": place,
    }


def _request_item(request: SupportRequest) -> WorkItem:
    return WorkItem(
        _("SSO request"),
        _request_text(request),
        reverse("dispatch-request-detail", args=[request.pk]),
        urgent=request.priority == Priority.P1,
        since=request.created_at,
    )


def _open_requests(user: AnyUser):  # type: ignore[no-untyped-def]
    return request_list_for_user(user=user).filter(status__in=[s.value for s in OPEN])


def school_queue_for_user(*, user: AnyUser) -> list[WorkItem]:
    """SA or principal: open tips and threat cases at my schools, my open SSO requests."""
    viewer = viewer_for(user)
    mine = viewer.school_ids
    items: list[WorkItem] = []
    for tip in tip_queue_for_user(user=user).filter(school_id__in=mine):
        school = tip.school.name if tip.school is not None else ""
        text = _("Tip %(code)s at %(school)s") % {"code": tip.code, "school": school}
        if tip.imminent:
            text = _("Imminent: %(tip)s") % {"tip": text}
        items.append(
            WorkItem(
                _("Tip"),
                text,
                reverse("threats-tip", args=[tip.pk]),
                urgent=tip.imminent,
                since=tip.created_at,
            )
        )
    for case in case_list_for_user(user=user).filter(school_id__in=mine):
        items.append(
            WorkItem(
                _("Threat case"),
                _("Case #%(number)s at %(school)s")
                % {"number": case.pk, "school": case.school.name},
                reverse("threats-case", args=[case.pk]),
                urgent=case.stage in (Stage.SERIOUS, Stage.VERY_SERIOUS),
                since=case.created_at,
            )
        )
    filed = _open_requests(user).filter(requester=user).select_related("school")
    items.extend(_request_item(r) for r in filed.order_by("created_at"))
    return _ordered(items)


def chief_queue_for_user(*, user: AnyUser) -> list[WorkItem]:
    """Security chief: zones with no officer on duty, open P1 requests, lapsed officers."""
    viewer = viewer_for(user)
    district_id = viewer.district_id
    if district_id is None:
        return []
    today = timezone.localdate()
    items: list[WorkItem] = []
    on_duty = set(
        OfficerStatus.objects.filter(district_id=district_id, on_duty=True).values_list(
            "person_id", flat=True
        )
    )
    staffed = set(
        Assignment.objects.filter(
            current_filter(today), person_id__in=on_duty, zone__isnull=False
        ).values_list("zone_id", flat=True)
    )
    for zone in Zone.objects.filter(district_id=district_id, active=True).order_by("name"):
        if zone.pk not in staffed:
            items.append(
                WorkItem(
                    _("Zone"),
                    _("%(zone)s has no officer on duty") % {"zone": zone.name},
                    reverse("zone-detail", args=[zone.pk]),
                    urgent=True,
                )
            )
    p1 = _open_requests(user).filter(district_id=district_id, priority=Priority.P1)
    items.extend(_request_item(r) for r in p1.select_related("school").order_by("created_at"))
    lapsed = lapsed_reasons(district_id=district_id)
    for person in Person.objects.filter(pk__in=lapsed).order_by("full_name"):
        items.append(
            WorkItem(
                _("Training"),
                _("%(name)s: %(reason)s") % {"name": person.full_name, "reason": lapsed[person.pk]},
                reverse("training-person", args=[person.pk]),
                urgent=True,
            )
        )
    return _ordered(items)


def training_queue_for_user(*, user: AnyUser) -> list[WorkItem]:
    """Training coordinator: training overdue or due within 30 days, records to confirm."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=30)
    items: list[WorkItem] = []
    for row in district_compliance_for_user(user=user, on=today):
        due = [d for d in due_items(row.assessment) if d.due <= soon]
        if not due and not row.assessment.lapsed:
            continue
        first = due[0].summary if due else ", ".join(row.assessment.lapses)
        overdue = row.assessment.lapsed or any(d.due < today for d in due)
        items.append(
            WorkItem(
                _("Overdue") if overdue else _("Due soon"),
                _("%(name)s: %(what)s") % {"name": row.person.full_name, "what": first},
                reverse("training-person", args=[row.person.pk]),
                urgent=overdue,
                since=due[0].due if due else None,
            )
        )
    completions, certifications = pending_for_user(user=user)
    records: list[Completion | Certification] = [*completions, *certifications]
    for record in records:
        items.append(
            WorkItem(
                _("To confirm"),
                _("%(name)s: %(what)s")
                % {"name": record.person.full_name, "what": str(_record_label(record))},
                reverse("training-person", args=[record.person_id]),
            )
        )
    return _ordered(items)


def _record_label(record: object) -> object:
    topic = getattr(record, "topic", None)
    return topic if topic is not None else getattr(record, "certification_type", "")


def officer_queue_for_user(*, user: AnyUser) -> list[WorkItem]:
    """SSO: my open assignment first, then open requests in my zone."""
    home = officer_home_for_user(user=user)
    items = [
        WorkItem(
            _("My assignment"),
            _request_text(r),
            reverse("dispatch-officer"),
            urgent=True,
            since=r.created_at,
        )
        for r in home.requests
    ]
    items += [
        WorkItem(_("In my zone"), _request_text(r), reverse("dispatch-officer"), since=r.created_at)
        for r in home.zone_open
    ]
    return items


def work_queue_for_user(*, user: AnyUser) -> list[WorkItem]:
    """The queue the user's role works from (empty for roles without one)."""
    role = viewer_for(user).role
    if role in (Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL):
        return school_queue_for_user(user=user)
    if role == Role.SECURITY_CHIEF:
        return chief_queue_for_user(user=user)
    if role == Role.TRAINING_COORDINATOR:
        return training_queue_for_user(user=user)
    if role == Role.SSO:
        return officer_queue_for_user(user=user)
    return []


def _ordered(items: list[WorkItem]) -> list[WorkItem]:
    """Urgent first, then oldest first."""

    def key(item: WorkItem) -> tuple[bool, str]:
        return (not item.urgent, str(item.since or ""))

    return sorted(items, key=key)
