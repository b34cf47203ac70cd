"""Patrol part of the demo district: bell times by level (JCPS's three tiers), a few bus stops,
and today's plans, so `make run` shows them. Called by safeops.demo.services."""

from __future__ import annotations

from django.utils import timezone

from safeops.patrol.choices import PointKind
from safeops.patrol.models import BellSchedule, PatrolPoint, PatrolSettings
from safeops.patrol.services import plans_generate
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import District, School

ACTOR = "system:seed-demo"
# JCPS's bell tiers: high schools first, then middle, then elementary.
TIERS: dict[str, tuple[int, int]] = {
    SchoolLevel.HIGH: (7 * 60 + 30, 14 * 60 + 10),
    SchoolLevel.COMBINED: (7 * 60 + 30, 14 * 60 + 10),
    SchoolLevel.MIDDLE: (8 * 60 + 40, 15 * 60 + 20),
    SchoolLevel.ELEMENTARY: (9 * 60 + 40, 16 * 60 + 20),
}
BUS_STOPS = 6


def patrol_demo_seed(*, district: District) -> int:
    """Bells, bus stops near high schools, and today's plans; returns how many plans."""
    # The demo plans every day, so a weekend start still shows a plan.
    PatrolSettings.objects.get_or_create(district=district, defaults={"weekends": True})
    schools = list(School.objects.filter(district=district, active=True).order_by("pk"))
    BellSchedule.objects.bulk_create(
        [
            BellSchedule(school=s, start_minute=TIERS[s.level][0], end_minute=TIERS[s.level][1])
            for s in schools
            if s.level in TIERS
        ],
        ignore_conflicts=True,
    )
    highs = [s for s in schools if s.level == SchoolLevel.HIGH][:BUS_STOPS]
    for school in highs:
        PatrolPoint.objects.get_or_create(
            district=district,
            name=f"Bus stop by {school.name}",
            defaults={
                "kind": PointKind.BUS_STOP,
                "latitude": school.latitude + 0.004,
                "longitude": school.longitude - 0.004,
                "window_start": 14 * 60 + 10,
                "window_end": 14 * 60 + 40,
            },
        )
    plans = plans_generate(district_id=district.pk, day=timezone.localdate(), actor=ACTOR)
    return len(plans)
