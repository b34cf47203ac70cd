"""Reads of schools, always narrowed by the access module."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from safeops.access import AnyUser, current_filter, restrict, schools_visible_to
from safeops.schools.models import School
from safeops.staff.models import Assignment
from safeops.zones.models import ZoneMembership


def school_list_for_user(
    *, user: AnyUser, search: str = "", level: str = "", zone_id: int | None = None
) -> QuerySet[School]:
    schools = schools_visible_to(user).select_related("feeder_high_school")
    if search:
        schools = schools.filter(
            Q(name__icontains=search) | Q(address__icontains=search) | Q(code=search)
        )
    if level:
        schools = schools.filter(level=level)
    if zone_id is not None:
        members = ZoneMembership.objects.filter(
            current_filter(timezone.localdate()), zone_id=zone_id
        )
        schools = schools.filter(pk__in=members.values("school_id"))
    return schools.order_by("name")


def school_get_for_user(*, user: AnyUser, school_id: int) -> School:
    """The school, or Http404 when it does not exist or the user may not see it."""
    school = school_list_for_user(user=user).filter(pk=school_id).first()
    if school is None:
        raise Http404(gettext("No such school in your scope."))
    return school


@dataclass(frozen=True)
class SchoolDetail:
    school: School
    zone_membership: ZoneMembership | None
    assignments: list[Assignment]
    zone_assignments: list[Assignment]
    feeder_schools: list[School]


def school_detail_for_user(*, user: AnyUser, school_id: int) -> SchoolDetail:
    school = school_get_for_user(user=user, school_id=school_id)
    today = timezone.localdate()
    membership = (
        ZoneMembership.objects.filter(current_filter(today), school=school)
        .select_related("zone")
        .first()
    )
    visible_assignments = restrict(
        Assignment.objects.filter(current_filter(today)), user
    ).select_related("person")
    zone_assignments = (
        list(visible_assignments.filter(zone=membership.zone)) if membership is not None else []
    )
    feeders = list(
        school_list_for_user(user=user).filter(feeder_high_school=school).exclude(pk=school.pk)
    )
    return SchoolDetail(
        school=school,
        zone_membership=membership,
        assignments=list(visible_assignments.filter(school=school)),
        zone_assignments=zone_assignments,
        feeder_schools=feeders,
    )
