"""Reads of the resource directory. Directory data is not sensitive: no read audit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from planning.geo import haversine_km
from safeops.access import AnyUser, restrict, schools_visible_to
from safeops.resources.categories import SAFEOPS_TAXONOMY_ID, category_term_id
from safeops.resources.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from safeops.resources.opening import is_open
from safeops.schools.models import School


def service_category_codes(*, service_ids: Iterable[int]) -> dict[int, set[str]]:
    """Each service's safeops category codes (`Category` values), by service primary key.

    A category is an HSDS attribute linking the service to a term of the safeops taxonomy.
    Services without a category map to an empty set.
    """
    ids = list(service_ids)
    hsds_by_pk: dict[int, str] = {
        pk: hsds_id
        for pk, hsds_id in Service.objects.filter(pk__in=ids).values_list("pk", "hsds_id")
    }
    result: dict[int, set[str]] = {pk: set() for pk in hsds_by_pk}
    codes_by_term = dict(
        TaxonomyTerm.objects.filter(taxonomy_id=SAFEOPS_TAXONOMY_ID).values_list("hsds_id", "code")
    )
    links = Attribute.objects.filter(
        link_entity="service",
        link_id__in=hsds_by_pk.values(),
        taxonomy_term_id__in=codes_by_term.keys(),
    ).values_list("link_id", "taxonomy_term_id")
    by_hsds: dict[str, set[str]] = defaultdict(set)
    for link_id, term_id in links:
        by_hsds[link_id].add(codes_by_term[str(term_id)])
    for pk, hsds_id in hsds_by_pk.items():
        result[pk] = by_hsds.get(hsds_id, set())
    return result


# --- Search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    service: Service
    organization_name: str
    location_name: str
    address: str
    latitude: float | None
    longitude: float | None
    distance_km: float | None
    categories: tuple[str, ...]
    open_now: bool | None
    stale: bool
    phone: str


def stale_before(*, today: dt.date | None = None) -> dt.date:
    """Records last verified before this date are stale (settings.RESOURCE_STALE_AFTER_DAYS)."""
    day = today or timezone.localdate()
    return day - dt.timedelta(days=settings.RESOURCE_STALE_AFTER_DAYS)


def is_stale(last_verified_on: dt.date | None, *, today: dt.date | None = None) -> bool:
    return last_verified_on is None or last_verified_on < stale_before(today=today)


def schools_for_search(*, user: AnyUser) -> QuerySet[School]:
    """Schools the user may pick as the search origin (their own first for assigned roles)."""
    return schools_visible_to(user).order_by("name")


class _Schedules:
    """Every schedule of the candidate services, loaded in one query, grouped by link."""

    def __init__(self, service_ids: list[str], sal_ids: list[str], location_ids: list[str]):
        self.by_link: dict[tuple[str, str], list[Schedule]] = defaultdict(list)
        rows = Schedule.objects.filter(
            Q(service_id__in=service_ids)
            | Q(service_at_location_id__in=sal_ids)
            | Q(location_id__in=location_ids)
        )
        for schedule in rows:
            for link in ("service_id", "service_at_location_id", "location_id"):
                value = getattr(schedule, link)
                if value:
                    self.by_link[(link, str(value))].append(schedule)

    def open_now(
        self, service_id: str, sal_ids: list[str], location_ids: list[str], at: dt.datetime
    ) -> bool | None:
        """The service's own and its service-at-location schedules; else its locations'."""
        own = list(self.by_link.get(("service_id", service_id), []))
        for sal_id in sal_ids:
            own += self.by_link.get(("service_at_location_id", sal_id), [])
        if not own:
            for location_id in location_ids:
                own += self.by_link.get(("location_id", location_id), [])
        known = [
            answer
            for answer in (is_open(s, at, settings.TIME_ZONE) for s in own)
            if answer is not None
        ]
        return any(known) if known else None


def directory_search(
    *,
    user: AnyUser,
    text: str = "",
    category: str = "",
    school: School | None = None,
    open_now: bool = False,
    at: dt.datetime | None = None,
    limit: int = 100,
) -> list[SearchResult]:
    """Active services matching `text` and `category`, nearest `school` first.

    Distance is the great-circle (Haversine) distance from the school to the service's nearest
    location; services without coordinates come last. `open_now` keeps services whose
    schedules say they are open at `at` (default: now) in the district's time zone.
    """
    moment = at or timezone.now()
    services = restrict(Service.objects.all(), user).exclude(
        status__in=[ServiceStatus.DEFUNCT, ServiceStatus.INACTIVE]
    )
    if text.strip():
        words = text.strip()
        org_ids = Organization.objects.filter(name__icontains=words).values("hsds_id")
        services = services.filter(
            Q(name__icontains=words)
            | Q(description__icontains=words)
            | Q(alternate_name__icontains=words)
            | Q(organization_id__in=org_ids)
        )
    if category:
        linked = Attribute.objects.filter(
            link_entity="service",
            taxonomy_term_id=category_term_id(category),  # type: ignore[misc]  # to_field
        ).values("link_id")
        services = services.filter(hsds_id__in=linked)
    # Every match is ranked before cutting to `limit`, so the nearest are never missed.
    services_list = list(services)
    codes = service_category_codes(service_ids=[s.pk for s in services_list])
    sals = ServiceAtLocation.objects.filter(service_id__in=[s.hsds_id for s in services_list])
    sal_by_service: dict[str, list[ServiceAtLocation]] = defaultdict(list)
    for sal in sals:
        sal_by_service[str(sal.service_id)].append(sal)
    location_ids = {str(sal.location_id) for sal in sals}
    locations = {loc.hsds_id: loc for loc in Location.objects.filter(hsds_id__in=location_ids)}
    addresses: dict[str, Address] = {}
    for address in Address.objects.filter(location_id__in=location_ids).order_by("hsds_id"):
        addresses.setdefault(str(address.location_id), address)
    org_names = dict(
        Organization.objects.filter(
            hsds_id__in=[s.organization_id for s in services_list if s.organization_id]
        ).values_list("hsds_id", "name")
    )
    phones: dict[str, str] = {}
    for phone in Phone.objects.filter(service_id__in=[s.hsds_id for s in services_list]):
        phones.setdefault(str(phone.service_id), phone.number)
    schedules = _Schedules(
        [s.hsds_id for s in services_list], [sal.hsds_id for sal in sals], list(location_ids)
    )
    results = []
    for service in services_list:
        places = [
            locations[str(sal.location_id)]
            for sal in sal_by_service.get(service.hsds_id, [])
            if str(sal.location_id) in locations
        ]
        best, best_km = (places[0] if places else None), None
        if school is not None:
            for place in places:
                if place.latitude is None or place.longitude is None:
                    continue
                km = haversine_km(
                    school.latitude, school.longitude, place.latitude, place.longitude
                )
                if best_km is None or km < best_km:
                    best, best_km = place, km
        state = schedules.open_now(
            service.hsds_id,
            [sal.hsds_id for sal in sal_by_service.get(service.hsds_id, [])],
            [p.hsds_id for p in places],
            moment,
        )
        if open_now and state is not True:
            continue
        found = addresses.get(best.hsds_id) if best else None
        results.append(
            SearchResult(
                service=service,
                organization_name=org_names.get(str(service.organization_id), ""),
                location_name=best.name if best else "",
                address=f"{found.address_1}, {found.city}" if found else "",
                latitude=best.latitude if best else None,
                longitude=best.longitude if best else None,
                distance_km=None if best_km is None else round(best_km, 2),
                categories=tuple(sorted(codes.get(service.pk, set()))),
                open_now=state,
                stale=is_stale(service.last_verified_on),
                phone=phones.get(service.hsds_id, ""),
            )
        )
    results.sort(key=lambda r: (r.distance_km is None, r.distance_km or 0.0, r.service.name))
    return results[:limit]


def stale_records(*, user: AnyUser, today: dt.date | None = None) -> dict[str, list[Any]]:
    """Organizations and services unverified for longer than the configured days."""
    cutoff = stale_before(today=today)
    old = Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)
    return {
        "organizations": list(restrict(Organization.objects.filter(old), user)),
        "services": list(restrict(Service.objects.filter(old), user)),
    }


def organization_get_for_user(*, user: AnyUser, pk: int) -> Organization:
    return restrict(Organization.objects.all(), user).get(pk=pk)


def service_detail_for_user(*, user: AnyUser, pk: int) -> dict[str, Any]:
    """A service with its organization, locations, addresses, phones, schedules, categories."""
    service = restrict(Service.objects.all(), user).get(pk=pk)
    sals = list(ServiceAtLocation.objects.filter(service_id=service.hsds_id))
    locations = list(Location.objects.filter(hsds_id__in=[s.location_id for s in sals]))
    return {
        "service": service,
        "organization": Organization.objects.filter(hsds_id=service.organization_id).first(),
        "locations": locations,
        "addresses": list(Address.objects.filter(location_id__in=[x.hsds_id for x in locations])),
        "phones": list(Phone.objects.filter(service_id=service.hsds_id)),
        "schedules": list(
            Schedule.objects.filter(
                Q(service_id=service.hsds_id)
                | Q(service_at_location_id__in=[s.hsds_id for s in sals])
            )
        ),
        "categories": sorted(service_category_codes(service_ids=[service.pk])[service.pk]),
    }
