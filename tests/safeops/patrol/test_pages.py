"""The supervisors' actions: make today's plans again, and hand an officer's day over."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from safeops.core.models import AuditEntry
from safeops.patrol.models import PatrolPlan
from safeops.patrol.services import plans_generate
from safeops.schools.models import School
from tests.safeops.patrol.conftest import PatrolScenario

pytestmark = pytest.mark.shared_scenario


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
def test_the_chief_makes_todays_plans_and_the_officer_cannot(patrol: PatrolScenario) -> None:
    assert _client(patrol.officer_a.user).post("/patrol/generate/").status_code == 403
    assert not PatrolPlan.objects.exists()
    response = _client(patrol.chief).post("/patrol/generate/")
    assert response.status_code == 302
    assert PatrolPlan.objects.filter(day=patrol.today).count() == 2


@pytest.mark.django_db
def test_handing_a_day_over_shows_what_was_lost(patrol: PatrolScenario) -> None:
    # Zone B lies about 90 km east: its officer cannot reach A High's 07:00-07:45 arrival window.
    School.objects.filter(pk__in=[patrol.s.high_b.pk, patrol.s.school_b.pk]).update(
        longitude=-84.55
    )
    plans_generate(district_id=patrol.s.district.pk, day=patrol.today, actor="system:test")
    plan = PatrolPlan.objects.get(person=patrol.officer_a, day=patrol.today)
    assert _client(patrol.sa).post(f"/patrol/plans/{plan.pk}/absorb/").status_code == 404
    dispatcher = _client(patrol.dispatcher)
    response = dispatcher.post(f"/patrol/plans/{plan.pk}/absorb/", {"from": "07:00"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.revision == 2
    assert AuditEntry.objects.filter(
        object_id=str(plan.pk), note__startswith="absorbed into neighbours"
    ).exists()
    page = dispatcher.get("/patrol/coverage/").content.decode()
    assert not plan.visits.filter(status="planned").exists()
    site = f"s{patrol.s.high_a.pk}"
    assert any(row["site"] == site and row["window"] == "arrival" for row in plan.lost)
    assert "Lost when an officer was pulled away" in page
    for item in plan.lost:
        assert item["reason"] in page


@pytest.mark.django_db
def test_the_coverage_page_lists_every_school_and_the_routes(patrol: PatrolScenario) -> None:
    plans_generate(district_id=patrol.s.district.pk, day=patrol.today, actor="system:test")
    page = _client(patrol.chief).get("/patrol/coverage/").content.decode()
    for school in (patrol.s.high_a, patrol.s.school_a, patrol.s.high_b, patrol.s.school_b):
        assert f'data-school="{school.name}"' in page
    assert patrol.officer_b.full_name in page
    spanish = _client(patrol.chief).get("/patrol/coverage/?lang=es").content.decode()
    translation.activate("en")  # the request left Spanish active on this thread
    assert "Cobertura del patrullaje" in spanish
