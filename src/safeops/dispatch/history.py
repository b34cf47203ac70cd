"""Reads for the dispatch history page and its CSV: filters, response statistics, export."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone

from safeops.access import AnyUser, schools_visible_to, zones_visible_to
from safeops.core.audit import audit_export
from safeops.core.csvexport import report_writer
from safeops.dispatch.choices import Category, Priority
from safeops.dispatch.models import DispatchSettings, SupportRequest
from safeops.dispatch.selectors import request_list_for_user, require_request_access
from safeops.dispatch.services import dispatch_settings_get
from safeops.staff.models import Person


@dataclass(frozen=True)
class HistoryFilters:
    school_id: int | None = None
    zone_id: int | None = None
    officer_id: int | None = None
    category: str = ""
    priority: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class ResponseStats:
    label: str
    count: int
    p50_minutes: float | None
    p90_minutes: float | None
    target_minutes: int | None
    within_target: int


@dataclass(frozen=True)
class History:
    requests: QuerySet[SupportRequest]
    by_zone: list[ResponseStats] = field(default_factory=list)
    by_school: list[ResponseStats] = field(default_factory=list)
    overall: ResponseStats | None = None


def history_queryset_for_user(
    *, user: AnyUser, filters: HistoryFilters
) -> QuerySet[SupportRequest]:
    require_request_access(user)
    requests = request_list_for_user(user=user)
    if filters.school_id:
        requests = requests.filter(school_id=filters.school_id)
    if filters.zone_id:
        requests = requests.filter(zone_id=filters.zone_id)
    if filters.officer_id:
        requests = requests.filter(officer_id=filters.officer_id)
    if filters.category in Category.values:
        requests = requests.filter(category=filters.category)
    if filters.priority in Priority.values:
        requests = requests.filter(priority=filters.priority)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
        requests = requests.filter(created_at__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        requests = requests.filter(created_at__lt=end)
    return requests.order_by("-created_at", "-id")


def _stats(
    label: str, minutes: list[float], targets: list[int], target: int | None
) -> ResponseStats:
    if not minutes:
        return ResponseStats(label, 0, None, None, target, 0)
    values = np.asarray(minutes)
    within = int(sum(1 for m, t in zip(minutes, targets, strict=True) if m <= t))
    return ResponseStats(
        label,
        len(minutes),
        round(float(np.percentile(values, 50)), 1),
        round(float(np.percentile(values, 90)), 1),
        target,
        within,
    )


def history_for_user(*, user: AnyUser, filters: HistoryFilters) -> History:
    """Past requests and the response time (created → on scene), p50/p90 by zone and school."""
    requests = history_queryset_for_user(user=user, filters=filters)
    timed = requests.filter(response_seconds__isnull=False).values_list(
        "district_id", "zone__name", "school__name", "priority", "response_seconds"
    )
    settings_by_district: dict[int, DispatchSettings] = {}
    by_zone: dict[str, tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
    by_school: dict[str, tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
    overall: tuple[list[float], list[int]] = ([], [])
    priorities: set[str] = set()
    for district_id, zone, school, priority, seconds in timed[:20000]:
        if district_id not in settings_by_district:
            settings_by_district[district_id] = dispatch_settings_get(district_id=district_id)
        target = settings_by_district[district_id].target_minutes(priority)
        minutes = (seconds or 0.0) / 60.0
        priorities.add(priority)
        for bucket in (by_zone[zone or "(no zone)"], by_school[school or "(other place)"], overall):
            bucket[0].append(minutes)
            bucket[1].append(target)
    single_target = None
    if len(priorities) == 1 and len(settings_by_district) == 1:
        (settings,) = settings_by_district.values()
        single_target = settings.target_minutes(next(iter(priorities)))
    return History(
        requests=requests,
        by_zone=[_stats(k, *v, single_target) for k, v in sorted(by_zone.items())],
        by_school=[_stats(k, *v, single_target) for k, v in sorted(by_school.items())],
        overall=_stats("All", *overall, single_target),
    )


CSV_COLUMNS = (
    "id",
    "created_at",
    "school",
    "place",
    "zone",
    "category",
    "priority",
    "status",
    "officer",
    "on_scene_at",
    "response_minutes",
    "target_minutes",
    "disposition",
)


def history_csv_for_user(*, user: AnyUser, filters: HistoryFilters) -> str:
    """The filtered history as CSV (no summaries, no demographics). The export is audited."""
    requests = history_queryset_for_user(user=user, filters=filters)
    settings: dict[int, DispatchSettings] = {}
    out = io.StringIO()
    writer = report_writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for r in requests.iterator(chunk_size=500):
        if r.district_id not in settings:
            settings[r.district_id] = dispatch_settings_get(district_id=r.district_id)
        count += 1
        writer.writerow(
            [
                r.pk,
                timezone.localtime(r.created_at).isoformat(timespec="seconds"),
                r.school.name if r.school else "",
                r.location_description,
                r.zone.name if r.zone else "",
                r.category,
                r.priority,
                r.status,
                r.officer.full_name if r.officer else "",
                timezone.localtime(r.on_scene_at).isoformat(timespec="seconds")
                if r.on_scene_at
                else "",
                f"{r.response_seconds / 60:.1f}" if r.response_seconds is not None else "",
                settings[r.district_id].target_minutes(r.priority),
                r.disposition,
            ]
        )
    audit_export(actor=user, model=SupportRequest, count=count, note="dispatch history CSV")
    return out.getvalue()


@dataclass(frozen=True)
class HistoryChoices:
    schools: list[tuple[int, str]]
    zones: list[tuple[int, str]]
    officers: list[tuple[int, str]]


def history_choices_for_user(*, user: AnyUser) -> HistoryChoices:
    """Filter options limited to what the user may see."""
    requests = request_list_for_user(user=user)
    officer_ids = requests.exclude(officer__isnull=True).values("officer_id")
    return HistoryChoices(
        schools=list(schools_visible_to(user).order_by("name").values_list("pk", "name")),
        zones=list(zones_visible_to(user).order_by("name").values_list("pk", "name")),
        officers=list(
            Person.objects.filter(pk__in=officer_ids)
            .order_by("full_name")
            .values_list("pk", "full_name")
        ),
    )
