"""Reads of zones and the map layers, narrowed by the access module."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safeops.access import AnyUser, current_filter, restrict, schools_visible_to, zones_visible_to
from safeops.core.geo import outline
from safeops.core.listing import Filter
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import School
from safeops.staff.models import Assignment
from safeops.zones.models import Zone, ZoneKind, ZoneMembership


def zone_list_for_user(*, user: AnyUser, on: dt.date | None = None) -> QuerySet[Zone]:
    day = on or timezone.localdate()
    current = current_filter(day, prefix="memberships__")
    return (
        zones_visible_to(user)
        .select_related("high_school", "post_school")
        .annotate(school_count=Count("memberships", filter=current, distinct=True))
        .order_by("name")
    )


@dataclass(frozen=True)
class ZoneDetail:
    zone: Zone
    schools: list[School]
    officers: list[Assignment]
    history: list[ZoneMembership]


def zone_detail_for_user(*, user: AnyUser, zone_id: int) -> ZoneDetail:
    zone = zone_list_for_user(user=user).filter(pk=zone_id).first()
    if zone is None:
        raise Http404(_("No such zone in your scope."))
    today = timezone.localdate()
    member_ids = ZoneMembership.objects.filter(current_filter(today), zone=zone).values("school_id")
    officers = restrict(Assignment.objects.filter(current_filter(today), zone=zone), user)
    return ZoneDetail(
        zone=zone,
        schools=list(schools_visible_to(user).filter(pk__in=member_ids).order_by("name")),
        officers=list(officers.select_related("person")),
        history=list(
            zone.memberships.select_related("school").order_by("-starts_on", "school__name")
        ),
    )


def _feature(geometry: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def map_layers_for_user(*, user: AnyUser) -> dict[str, Any]:
    """GeoJSON FeatureCollections of the schools and zone outlines the user may see."""
    today = timezone.localdate()
    schools = list(schools_visible_to(user).only("id", "name", "level", "latitude", "longitude"))
    zones = {zone.pk: zone for zone in zones_visible_to(user)}
    memberships = ZoneMembership.objects.filter(current_filter(today)).filter(
        Q(zone_id__in=zones) | Q(school_id__in=[s.pk for s in schools])
    )
    zone_of_school = {m.school_id: m.zone_id for m in memberships}
    points_by_zone: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for membership in memberships.select_related("school"):
        if membership.zone_id in zones:
            school = membership.school
            points_by_zone[membership.zone_id].append((school.longitude, school.latitude))
    officers: dict[int, list[str]] = defaultdict(list)
    for assignment in restrict(
        Assignment.objects.filter(current_filter(today), zone_id__in=zones), user
    ).select_related("person"):
        if assignment.zone_id is not None:
            officers[assignment.zone_id].append(assignment.person.full_name)
    school_features = [
        _feature(
            {"type": "Point", "coordinates": [s.longitude, s.latitude]},
            {
                "id": s.pk,
                "name": s.name,
                "level": s.level,
                "zone_id": zone_of_school.get(s.pk),
                "url": f"/schools/{s.pk}/",
            },
        )
        for s in schools
    ]
    zone_features = []
    for zone_id, points in points_by_zone.items():
        zone = zones[zone_id]
        zone_features.append(
            _feature(
                outline(points),
                {
                    "id": zone.pk,
                    "name": zone.name,
                    "kind": zone.kind,
                    "school_count": len(points),
                    "officers": officers.get(zone_id, []),
                    "url": f"/zones/{zone.pk}/",
                },
            )
        )
    return {
        "schools": {"type": "FeatureCollection", "features": school_features},
        "zones": {"type": "FeatureCollection", "features": zone_features},
    }


def patrol_zone_names(*, school_ids: list[int], on: dt.date | None = None) -> dict[int, str]:
    """School id → the name of its current patrol zone (a school in none is left out). Zone
    names are not sensitive: the caller has already narrowed the schools to the user's."""
    day = on or timezone.localdate()
    memberships = (
        ZoneMembership.objects.filter(
            current_filter(day), school_id__in=school_ids, zone__kind=ZoneKind.PATROL
        )
        .order_by("school_id", "-starts_on")
        .values_list("school_id", "zone__name")
    )
    names: dict[int, str] = {}
    for school_id, name in memberships:
        names.setdefault(school_id, name)
    return names


def school_filters(rows: Sequence[Any], *, zones: dict[int, str]) -> list[Filter[Any]]:
    """The zone and level filters of a list whose rows each have a `.school` (the drill and
    facility dashboards): only the zones and levels the rows have are offered."""
    levels = {row.school.level for row in rows}
    return [
        Filter(
            "zone",
            _("Zone"),
            [(name, name) for name in sorted(set(zones.values()))],
            lambda row, value: zones.get(row.school.pk) == value,
            _("All zones"),
        ),
        Filter(
            "level",
            _("Level"),
            [(v, str(label)) for v, label in SchoolLevel.choices if v in levels],
            lambda row, value: row.school.level == value,
            _("All levels"),
        ),
    ]
