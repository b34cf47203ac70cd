"""The home page's summary for each role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from safeops.access import (
    AGGREGATE_ONLY_ROLES,
    AnyUser,
    Viewer,
    current_filter,
    restrict,
    viewer_for,
)
from safeops.home.workspace import DueItem, due_this_week_for_user
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from safeops.zones.models import ZoneMembership


@dataclass(frozen=True)
class DistrictAggregates:
    """Counts safe to show anyone with a login, including community monitors."""

    schools_by_level: dict[str, int]
    school_count: int
    zone_count: int
    officer_count: int
    safety_administrator_count: int
    schools_without_zone: int


@dataclass(frozen=True)
class HomeSummary:
    viewer: Viewer
    aggregates: DistrictAggregates | None
    my_assignments: list[Assignment] = field(default_factory=list)
    # Each of my schools with the SSOs who answer its calls (its zone's officers).
    my_schools: list[tuple[School, list[Assignment]]] = field(default_factory=list)
    due_this_week: list[DueItem] = field(default_factory=list)  # SA workspace


def district_aggregates(*, district_id: int | None) -> DistrictAggregates:
    today = timezone.localdate()
    schools = School.objects.filter(active=True)
    assignments = Assignment.objects.filter(current_filter(today))
    memberships = ZoneMembership.objects.filter(current_filter(today))
    if district_id is not None:
        schools = schools.filter(district_id=district_id)
        assignments = assignments.filter(person__district_id=district_id)
        memberships = memberships.filter(school__district_id=district_id)
    counts = dict(schools.values_list("level").annotate(n=Count("id")).order_by("level"))
    by_level = {
        str(label): counts[value] for value, label in SchoolLevel.choices if value in counts
    }
    return DistrictAggregates(
        schools_by_level=by_level,
        school_count=sum(by_level.values()),
        zone_count=memberships.values("zone_id").distinct().count(),
        officer_count=assignments.filter(person__role=Role.SSO)
        .values("person_id")
        .distinct()
        .count(),
        safety_administrator_count=assignments.filter(person__role=Role.SAFETY_ADMINISTRATOR)
        .values("person_id")
        .distinct()
        .count(),
        schools_without_zone=schools.exclude(pk__in=memberships.values("school_id")).count(),
    )


def home_summary_for_user(*, user: AnyUser) -> HomeSummary:
    viewer = viewer_for(user)
    today = timezone.localdate()
    aggregates = None
    if viewer.is_superuser or viewer.role is not None:
        aggregates = district_aggregates(district_id=viewer.district_id)
    if viewer.role is None or viewer.role in AGGREGATE_ONLY_ROLES:
        return HomeSummary(viewer=viewer, aggregates=aggregates)
    if viewer.person_id is None:
        return HomeSummary(viewer=viewer, aggregates=aggregates)
    mine = list(
        Assignment.objects.filter(current_filter(today), person_id=viewer.person_id).select_related(
            "school", "zone"
        )
    )
    schools = list(restrict(School.objects.filter(pk__in=viewer.school_ids), user).order_by("name"))
    zone_of_school = dict(
        ZoneMembership.objects.filter(
            current_filter(today), school_id__in=viewer.school_ids
        ).values_list("school_id", "zone_id")
    )
    officers = restrict(
        Assignment.objects.filter(current_filter(today), zone_id__in=set(zone_of_school.values())),
        user,
    ).select_related("person", "zone")
    by_zone: dict[int, list[Assignment]] = {}
    for assignment in officers:
        if assignment.zone_id is not None:
            by_zone.setdefault(assignment.zone_id, []).append(assignment)
    my_schools = [
        (school, by_zone.get(zone_of_school.get(school.pk, -1), [])) for school in schools
    ]
    return HomeSummary(
        viewer=viewer,
        aggregates=aggregates,
        my_assignments=mine,
        my_schools=my_schools,
        due_this_week=due_this_week_for_user(user=user)
        if viewer.role in (Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL)
        else [],
    )
