"""Shared set-up for the SA workspace tests: Kentucky rules and the demo calendar."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeops.drills.demo import demo_school_year_create
from safeops.drills.models import DrillType, SchoolYear
from safeops.drills.services import drill_log, safety_defaults_seed
from safeops.schools.models import District, School

ACTOR = "system:test"


def kentucky_year(district: District, start_year: int = 2026) -> SchoolYear:
    safety_defaults_seed(district=district, actor=ACTOR)
    return demo_school_year_create(district=district, start_year=start_year, actor=ACTOR)


def log(school: School, code: str, day: dt.date, hour: int = 10) -> None:
    drill_log(
        school=school,
        drill_type=DrillType.objects.get(district=school.district, code=code),
        started_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))),
        duration_minutes=10,
        participants=400,
        actor=ACTOR,
        now=dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
    )
