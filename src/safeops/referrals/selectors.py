"""Reads of referrals and onboarding, narrowed by safeops.access.

Every read of referrals is audited: a referral's page (and the provider's page) records a
`view` entry; a list records one `export` entry with its row count. Lists show no student
identifier (only the detail page does).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from safeops.access import (
    Action,
    AnyUser,
    Reach,
    Resource,
    current_filter,
    restrict,
    viewer_for,
)
from safeops.core.audit import audit_export, audit_read
from safeops.core.suppression import MINIMUM_CELL, SUPPRESSED, is_shown, suppress_row
from safeops.referrals.choices import PROVIDER_FEEDBACK_SCOPES, Status
from safeops.referrals.models import ProviderContact, Referral
from safeops.referrals.onboarding import ChecklistEntry, Evidence, ServiceReach, checklist
from safeops.referrals.scopes import ONBOARDING_ROLES, onboarding_people_q
from safeops.referrals.services import PROVIDER_ACTOR, token_hash
from safeops.resources.categories import PLAN_CATEGORIES, Category
from safeops.resources.models import Location, Service
from safeops.resources.selectors import service_category_codes
from safeops.schools.models import School
from safeops.staff.models import Assignment, Person
from safeops.threats.models import PlanTask, ThreatCase
from safeops.zones.models import ZoneMembership

NO_REFERRAL = "No such referral in your scope."


def referral_list_for_user(
    *,
    user: AnyUser,
    status: str | None = None,
    support_request_id: int | None = None,
    incident_id: int | None = None,
    limit: int = 200,
) -> list[Referral]:
    """The referrals `user` may see, newest first (audited as one bulk read)."""
    referrals = restrict(Referral.objects.all(), user).select_related("service", "school")
    if status:
        referrals = referrals.filter(status=status)
    if support_request_id is not None:
        referrals = referrals.filter(support_request_id=support_request_id)
    if incident_id is not None:
        referrals = referrals.filter(incident_id=incident_id)
    rows = list(referrals.order_by("-created_at", "-id")[:limit])
    if rows:
        audit_export(actor=user, model=Referral, count=len(rows), note="referral list")
    return rows


def referral_get_for_user(
    *, user: AnyUser, referral_id: int, action: Action = Action.VIEW
) -> Referral:
    referral = (
        restrict(Referral.objects.filter(pk=referral_id), user, action)
        .select_related("service", "school", "referrer", "support_request", "incident")
        .prefetch_related("events")
        .first()
    )
    if referral is None:
        raise Http404(NO_REFERRAL)
    if action == Action.VIEW:
        audit_read(actor=user, instance=referral, note="referral")
    return referral


def linked_plan_task_for_user(*, user: AnyUser, referral: Referral) -> PlanTask | None:
    """The referral's threat-assessment plan task, only for a user who may see its case: the
    link itself would reveal that the student has a case."""
    if referral.plan_task_id is None:
        return None
    task = PlanTask.objects.filter(pk=referral.plan_task_id).first()
    if task is None or not restrict(ThreatCase.objects.filter(pk=task.case_id), user).exists():
        return None
    return task


def referral_for_provider_token(*, token: str) -> Referral | None:
    """The open, two-way-consent referral whose unexpired provider link is `token`."""
    if not token:
        return None
    referral = (
        Referral.objects.select_related("service", "school")
        .filter(
            provider_token_hash=token_hash(token),
            provider_token_expires_at__gt=timezone.now(),
            consent_scope__in=[s.value for s in PROVIDER_FEEDBACK_SCOPES],
        )
        .exclude(status=Status.CLOSED)
        .first()
    )
    if referral is not None:
        audit_read(actor=PROVIDER_ACTOR, instance=referral, note="provider link")
    return referral


def service_get(*, service_id: int) -> Service:
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise Http404(gettext("No such service in the directory."))
    return service


def service_choices() -> QuerySet[Service]:
    """Services one may refer to (directory data is not sensitive)."""
    return Service.objects.exclude(status__in=["inactive", "defunct"]).order_by("name")


# --- Aggregates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    referrals: int | str
    started: int | str
    completion_rate: float | str | None  # percent, or the marker, or None (no referrals)
    median_days_to_services: float | str | None


@dataclass(frozen=True)
class ReferralStats:
    since: dt.date
    until: dt.date
    rows: list[CategoryRow]
    total: int | str
    total_started: int | str
    completion_rate: float | str | None
    median_days_to_services: float | str | None
    minimum_cell: int


def _cell(count: int) -> int | str:
    return count if is_shown(count) else SUPPRESSED


def _rate(started: int, total: int) -> float | str | None:
    """Percent reaching services; suppressed when either count is a small cell."""
    if total == 0:
        return None
    if not is_shown(total) or not is_shown(started):
        return SUPPRESSED
    return round(100 * started / total, 1)


def _median_days(days: list[float]) -> float | str | None:
    if not days:
        return None
    if len(days) < MINIMUM_CELL:
        return SUPPRESSED
    return round(statistics.median(days), 1)


def referral_stats_for_user(*, user: AnyUser, since: dt.date, until: dt.date) -> ReferralStats:
    """Referrals made in [since, until] by category: count, how many reached services, the
    completion rate (reached services / referred) and the median days from sent to services
    started. Cells under the minimum are suppressed, with complementary suppression in each
    column (core.suppression); a rate or a median of a suppressed cell is suppressed too.
    Needs the referral-stats reach."""
    viewer = viewer_for(user)
    if viewer.reach(Resource.REFERRAL_STATS, Action.VIEW) == Reach.NONE:
        raise Http404(gettext("No referral statistics for your role."))
    referrals = Referral.objects.filter(created_at__date__gte=since, created_at__date__lte=until)
    if viewer.district_id is not None and not viewer.is_superuser:
        referrals = referrals.filter(district_id=viewer.district_id)
    rows = list(referrals.values_list("service_id", "created_at", "services_started_at"))
    codes = service_category_codes(service_ids={r[0] for r in rows})
    per: dict[str, list[tuple[dt.datetime, dt.datetime | None]]] = defaultdict(list)
    for service_id, created, started in rows:
        for code in codes.get(service_id, set()) or {"uncategorised"}:
            per[code].append((created, started))
    labels = {c.value: str(c.label) for c in Category} | {
        "uncategorised": gettext("Not categorised")
    }
    if not per.get("uncategorised"):
        del labels["uncategorised"]
    days = {
        code: [(s - c).total_seconds() / 86400 for c, s in per.get(code, []) if s is not None]
        for code in labels
    }
    # Complementary suppression: the total is shown, so one hidden cell hides another.
    referred_cells = {
        c.key: c.value for c in suppress_row({k: len(per.get(k, [])) for k in labels})
    }
    started_cells = {c.key: c.value for c in suppress_row({k: len(v) for k, v in days.items()})}
    table = []
    for code, label in labels.items():
        shown = referred_cells[code] != SUPPRESSED and started_cells[code] != SUPPRESSED
        table.append(
            CategoryRow(
                category=code,
                label=str(label),
                referrals=referred_cells[code],
                started=started_cells[code],
                completion_rate=_rate(len(days[code]), len(per.get(code, [])))
                if shown
                else (SUPPRESSED if per.get(code) else None),
                median_days_to_services=_median_days(days[code])
                if started_cells[code] != SUPPRESSED
                else SUPPRESSED,
            )
        )
    all_days = [(s - c).total_seconds() / 86400 for _, c, s in rows if s is not None]
    audit_export(actor=user, model=Referral, count=len(rows), note="referral aggregates")
    return ReferralStats(
        since=since,
        until=until,
        rows=table,
        total=_cell(len(rows)),
        total_started=_cell(len(all_days)),
        completion_rate=_rate(len(all_days), len(rows)),
        median_days_to_services=_median_days(all_days),
        minimum_cell=MINIMUM_CELL,
    )


# --- Onboarding -----------------------------------------------------------------------------


def _schools_of(people: list[Person], on: dt.date) -> dict[int, list[School]]:
    """Each person's schools on `on`: an SA's assigned schools, an SSO's zone's schools."""
    assignments = list(
        Assignment.objects.filter(current_filter(on), person__in=people).values_list(
            "person_id", "school_id", "zone_id"
        )
    )
    zone_ids = {zone for _, _, zone in assignments if zone is not None}
    zone_schools: dict[int, set[int]] = defaultdict(set)
    for zone_id, school_id in ZoneMembership.objects.filter(
        current_filter(on), zone_id__in=zone_ids
    ).values_list("zone_id", "school_id"):
        zone_schools[zone_id].add(school_id)
    ids: dict[int, set[int]] = defaultdict(set)
    for person_id, school_id, zone_id in assignments:
        if school_id is not None:
            ids[person_id].add(school_id)
        if zone_id is not None:
            ids[person_id] |= zone_schools[zone_id]
    schools = School.objects.in_bulk({i for group in ids.values() for i in group})
    return {
        p.pk: sorted((schools[i] for i in ids[p.pk] if i in schools), key=lambda s: s.name)
        for p in people
    }


def service_reaches(*, service_ids: Iterable[int]) -> dict[int, ServiceReach]:
    """Each service's categories and located points (the onboarding test's input)."""
    ids = set(service_ids)
    codes = service_category_codes(service_ids=ids)
    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    located = Location.objects.filter(
        service_at_locations__service__pk__in=ids,
        latitude__isnull=False,
        longitude__isnull=False,
    ).values_list("service_at_locations__service__pk", "latitude", "longitude")
    for service_pk, lat, lon in located:
        if lat is not None and lon is not None:
            points[service_pk].append((lat, lon))
    names = dict(Service.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {
        pk: ServiceReach(pk, names[pk], frozenset(codes.get(pk, set())), tuple(points[pk]))
        for pk in names
    }


@dataclass(frozen=True)
class Onboarding:
    person: Person
    schools: list[School]
    entries: list[ChecklistEntry]
    radius_km: int

    @property
    def done(self) -> int:
        return sum(1 for e in self.entries if e.done)

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def complete(self) -> bool:
        return self.done == self.total


def onboardings_for_people(*, people: list[Person], on: dt.date | None = None) -> list[Onboarding]:
    """The checklists of `people`, in a fixed number of queries: contacts they recorded and
    referrals they made count."""
    day = on or timezone.localdate()
    schools = _schools_of(people, day)
    contacts: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for person_id, service_id, contacted_on in ProviderContact.objects.filter(
        person__in=people
    ).values_list("person_id", "service_id", "contacted_on"):
        contacts[person_id].append((service_id, contacted_on))
    person_of_user = {p.user_id: p.pk for p in people if p.user_id is not None}
    referrals: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for user_id, service_id, created in Referral.objects.filter(
        referrer_id__in=person_of_user
    ).values_list("referrer_id", "service_id", "created_at"):
        referrals[person_of_user[user_id]].append((service_id, timezone.localdate(created)))
    service_ids = {s for rows in (*contacts.values(), *referrals.values()) for s, _ in rows}
    reaches = service_reaches(service_ids=service_ids)
    radius = settings.ONBOARDING_RADIUS_KM
    categories = [(c.value, str(c.label)) for c in PLAN_CATEGORIES]
    result = []
    for person in people:
        evidence = [Evidence(reaches[s], d, "contact") for s, d in contacts[person.pk]] + [
            Evidence(reaches[s], d, "referral") for s, d in referrals[person.pk]
        ]
        entries = checklist(
            categories=categories,
            evidence=evidence,
            schools=[(s.latitude, s.longitude) for s in schools[person.pk]],
            radius_km=radius,
        )
        result.append(Onboarding(person, schools[person.pk], entries, radius))
    return result


def onboarding_for_person(*, person: Person, on: dt.date | None = None) -> Onboarding:
    """One person's checklist."""
    return onboardings_for_people(people=[person], on=on)[0]


def onboarding_person_for_user(*, user: AnyUser) -> Person | None:
    """The user's own staff record, when their role has an onboarding checklist."""
    viewer = viewer_for(user)
    if viewer.person_id is None or viewer.role not in ONBOARDING_ROLES:
        return None
    return Person.objects.get(pk=viewer.person_id)


def onboarding_team_for_user(*, user: AnyUser) -> list[Onboarding]:
    """The SAs and SSOs whose progress `user` supervises (least done first)."""
    viewer = viewer_for(user)
    reach = viewer.reach(Resource.ONBOARDING, Action.VIEW)
    if reach == Reach.NONE:
        return []
    people = Person.objects.filter(active=True, role__in=[r.value for r in ONBOARDING_ROLES])
    if viewer.district_id is not None and not viewer.is_superuser:
        people = people.filter(district_id=viewer.district_id)
    if reach == Reach.ASSIGNED:
        people = people.filter(onboarding_people_q(viewer))
    team = onboardings_for_people(people=list(people.order_by("full_name")))
    return sorted(team, key=lambda o: (o.done, o.person.full_name))


def contacts_for_person(*, person: Person) -> QuerySet[ProviderContact]:
    return ProviderContact.objects.filter(person=person).select_related("service")
