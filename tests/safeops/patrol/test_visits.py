"""Check-in verified by position, skip with a reason, idempotency keys, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from safeops.core.models import AuditEntry
from safeops.patrol.exceptions import PatrolError
from safeops.patrol.models import PatrolPlan, PatrolSettings, PlannedVisit
from safeops.patrol.services import plans_generate
from safeops.patrol.visits import visit_check_in, visit_skip
from tests.safeops.patrol.conftest import PatrolScenario

pytestmark = pytest.mark.shared_scenario


def _first_stop(patrol: PatrolScenario) -> PlannedVisit:
    plans_generate(district_id=patrol.s.district.pk, day=patrol.today, actor="system:test")
    plan = PatrolPlan.objects.get(person=patrol.officer_a, day=patrol.today)
    return plan.visits.select_related("school", "point").order_by("position").first()  # type: ignore[return-value]


@pytest.mark.django_db
def test_check_in_at_the_place_is_within_the_geofence(patrol: PatrolScenario) -> None:
    stop = _first_stop(patrol)
    place = stop.place
    result = visit_check_in(
        visit_id=stop.pk,
        actor=patrol.officer_a.user,
        latitude=place.latitude + 0.0005,  # about 55 m north
        longitude=place.longitude,
        idempotency_key="k-1",
    )
    visit = result.visit
    assert visit.status == "checked_in" and visit.within_geofence is True
    assert 50 < visit.distance_m < 60
    entry = AuditEntry.objects.get(model="patrol.plannedvisit", object_id=str(stop.pk))
    assert entry.note == "checked in" and entry.changes["status"] == ["planned", "checked_in"]


@pytest.mark.django_db
def test_a_far_check_in_is_recorded_as_such(patrol: PatrolScenario) -> None:
    PatrolSettings.objects.filter(district=patrol.s.district).update(geofence_m=100)
    stop = _first_stop(patrol)
    visit = visit_check_in(
        visit_id=stop.pk,
        actor=patrol.officer_a.user,
        latitude=stop.place.latitude + 0.01,  # about 1.1 km
        longitude=stop.place.longitude,
    ).visit
    assert visit.status == "checked_in" and visit.within_geofence is False
    assert 1000 < visit.distance_m < 1200
    assert AuditEntry.objects.get(model="patrol.plannedvisit").note.endswith("m away")


@pytest.mark.django_db
@translation.override("en")
def test_the_same_key_applies_once(patrol: PatrolScenario) -> None:
    stop = _first_stop(patrol)
    user = patrol.officer_a.user
    place = stop.place
    first = visit_check_in(
        visit_id=stop.pk,
        actor=user,
        latitude=place.latitude,
        longitude=place.longitude,
        idempotency_key="same",
    )
    again = visit_check_in(
        visit_id=stop.pk, actor=user, latitude=0.5, longitude=0.5, idempotency_key="same"
    )
    assert (first.replayed, again.replayed) == (False, True)
    assert again.visit.distance_m == first.visit.distance_m
    assert AuditEntry.objects.filter(model="patrol.plannedvisit").count() == 1
    with pytest.raises(PatrolError, match="already checked in"):
        visit_check_in(visit_id=stop.pk, actor=user, latitude=1, longitude=1, idempotency_key="new")
    other = PlannedVisit.objects.filter(plan=stop.plan).exclude(pk=stop.pk).first()
    assert other is not None
    with pytest.raises(PatrolError, match="used for another stop"):
        visit_skip(visit_id=other.pk, actor=user, reason="traffic", idempotency_key="same")


@pytest.mark.django_db
def test_skip_needs_a_reason(patrol: PatrolScenario) -> None:
    stop = _first_stop(patrol)
    user = patrol.officer_a.user
    with pytest.raises(ValidationError) as refused:
        visit_skip(visit_id=stop.pk, actor=user, reason="")
    assert "reason" in refused.value.message_dict
    visit = visit_skip(visit_id=stop.pk, actor=user, reason="call", note=" pulled away ").visit
    assert (visit.status, visit.skip_reason, visit.skip_note) == ("skipped", "call", "pulled away")
    assert AuditEntry.objects.get(model="patrol.plannedvisit").note == "skipped"


@pytest.mark.django_db
def test_only_the_plans_officer_checks_in(patrol: PatrolScenario) -> None:
    stop = _first_stop(patrol)
    for user in (patrol.officer_b.user, patrol.chief, patrol.sa):
        with pytest.raises(Http404):
            visit_check_in(visit_id=stop.pk, actor=user, latitude=38.2, longitude=-85.7)
    stop.refresh_from_db()
    assert stop.status == "planned"
