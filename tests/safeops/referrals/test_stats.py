"""District aggregates: referrals by category, completion rate, time to services; cells under
10 suppressed. Expected values are computed by hand from the rows the test writes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from safeops.referrals.models import Referral
from safeops.referrals.selectors import referral_stats_for_user
from safeops.resources.categories import Category
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.referrals.helpers import make_service, refer

pytestmark = pytest.mark.shared_scenario


def _seed(s: ScenarioDistrict) -> None:
    """12 shelter referrals (10 reached services after 1..10 days), 11 family-counselling ones
    (none started yet) and 3 mental-health ones."""
    shelter = make_service("Harbor House", category=Category.SHELTER, near=s.school_a)
    clinic = make_service("Clinic", category=Category.MENTAL_HEALTH, near=s.school_a)
    family = make_service("Family Center", category=Category.FAMILY_COUNSELING, near=s.school_a)
    sa = s.users[Role.SAFETY_ADMINISTRATOR]
    base = timezone.now() - dt.timedelta(days=40)
    for i in range(12):
        referral = refer(sa, s.school_a, shelter)
        started = base + dt.timedelta(days=i + 1) if i < 10 else None
        Referral.objects.filter(pk=referral.pk).update(created_at=base, services_started_at=started)
    for _ in range(3):
        refer(sa, s.school_a, clinic)
    for _ in range(11):
        refer(sa, s.school_a, family)


def test_aggregates_by_category_with_small_cells_suppressed(scenario: ScenarioDistrict) -> None:
    _seed(scenario)
    today = timezone.localdate()
    stats = referral_stats_for_user(
        user=scenario.users[Role.MENTAL_HEALTH_PRACTITIONER],
        since=today - dt.timedelta(days=365),
        until=today,
    )
    rows = {r.category: r for r in stats.rows}
    shelter = rows["shelter"]
    # 10 of 12 reached services: 83.3 %; days 1..10 → median 5.5.
    assert (shelter.referrals, shelter.started, shelter.completion_rate) == (12, 10, 83.3)
    assert shelter.median_days_to_services == 5.5
    mental = rows["mental_health"]
    assert (mental.referrals, mental.started, mental.completion_rate) == ("<10", 0, "<10")
    # 3 alone would follow from the total (26 - 12 - 11): the next smallest cell is hidden too.
    family = rows["family_counseling"]
    assert (family.referrals, family.started, family.completion_rate) == ("<10", 0, "<10")
    assert (rows["domestic_violence"].referrals, rows["domestic_violence"].completion_rate) == (
        0,
        None,
    )
    # All: 26 referrals, 10 started → 38.5 %.
    assert (stats.total, stats.total_started, stats.completion_rate) == (26, 10, 38.5)


def test_the_stats_page_shows_the_marker_and_no_student(scenario: ScenarioDistrict) -> None:
    _seed(scenario)
    client = Client()
    client.force_login(scenario.users[Role.COMMUNITY_MONITOR])  # type: ignore[arg-type]
    page = client.get("/referrals/stats/").content.decode()
    assert "&lt;10" in page and "83.3 %" in page
    # The student's initials in no text of the page (tags and their attributes dropped: a random
    # CSP nonce or form token may hold the two letters).
    assert not re.search(r"\bJD\b", re.sub(r"<[^>]*>", " ", page))
    body = client.get("/api/referrals/stats").json()
    assert body["total"] == 26
    assert {c["category"]: c["referrals"] for c in body["categories"]}["mental_health"] == "<10"
