"""The demo seed gives every school bells and every zone's SSO a plan for today."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeops.demo.services import demo_seed
from safeops.patrol.models import BellSchedule, PatrolPlan, PatrolPoint
from safeops.staff.choices import Role
from safeops.staff.models import Person


@pytest.mark.django_db
def test_demo_has_bells_and_todays_plans() -> None:
    report = demo_seed(schools=40)
    assert BellSchedule.objects.filter(school__district=report.district).count() > 30
    assert PatrolPoint.objects.filter(district=report.district).exists()
    plans = PatrolPlan.objects.filter(district=report.district, day=timezone.localdate())
    with_login = Person.objects.filter(
        district=report.district, role=Role.SSO, user__isnull=False
    ).first()
    assert with_login is not None
    mine = plans.get(person=with_login)
    assert mine.visits.count() > 0 and mine.windows_targeted > 0
