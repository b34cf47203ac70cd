"""The demo district comes with dispatch: settings, officers on duty, a little history."""

from __future__ import annotations

import pytest

from safeops.demo.services import demo_seed
from safeops.dispatch.models import DispatchSettings, OfficerStatus, SupportRequest

pytestmark = pytest.mark.django_db


def test_the_demo_puts_officers_on_duty_with_positions_and_some_history() -> None:
    report = demo_seed(schools=40)
    assert DispatchSettings.objects.filter(district=report.district).exists()
    on_duty = OfficerStatus.objects.filter(district=report.district, on_duty=True)
    assert on_duty.count() >= 3
    assert not on_duty.filter(latitude__isnull=True).exists()
    assert not on_duty.exclude(open_request_count=0).exists()
    past = SupportRequest.objects.filter(status="cleared", response_seconds__isnull=False)
    assert past.count() == 8
