"""Roster and fleet pages in a real browser, at 1366 × 900 and 390 × 844: axe (no serious or
critical violation) and no sideways scroll on the officer's shifts, start-of-shift inspection
and equipment pages and the supervisor's roster, vehicles and equipment pages; on the phone the
officer records an inspection with a failed critical item by tapping big targets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeops.fleet.models import EquipmentKind, Vehicle, VehicleStatus
from safeops.fleet.services import equipment_create
from safeops.roster.models import EventKind, LeaveKind
from safeops.roster.services import coverage_event_create, leave_record, shift_create
from safeops.staff.choices import Role
from tests.safeops.browser.accessibility import (
    SIZES,
    assert_accessible,
    assert_no_horizontal_scroll,
    logged_in_context,
)
from tests.safeops.factories import DistrictFactory, PersonFactory, UserFactory
from tests.safeops.fleet.helpers import ACTOR, assigned_vehicle

pytestmark = pytest.mark.browser


def check(page: Any, label: str) -> None:
    assert_no_horizontal_scroll(page, label=label)
    assert_accessible(page, label=label)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_roster_and_fleet_pages_pass_axe_and_fit(browser: Any, live_server: Any, size: str) -> None:
    district = DistrictFactory(name="Fleet district")
    officer = PersonFactory(
        district=district,
        role=Role.SSO,
        full_name="Olivia Officer-Longname",
        user=UserFactory(username="sso-fleet"),
    )
    other = PersonFactory(district=district, role=Role.SSO, full_name="Ray Relief", user=None)
    chief = PersonFactory(
        district=district,
        role=Role.SECURITY_CHIEF,
        full_name="Chief",
        user=UserFactory(username="chief-fleet"),
    )
    now = timezone.now()
    shift_create(
        person=officer,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=7),
        actor=ACTOR,
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    leave_record(
        person=other, first_day=tomorrow, last_day=tomorrow, kind=LeaveKind.DAY_OFF, actor=ACTOR
    )
    coverage_event_create(
        district=district,
        title="Basketball",
        kind=EventKind.ATHLETIC,
        starts_at=now + dt.timedelta(hours=10),
        ends_at=now + dt.timedelta(hours=13),
        officers_needed=2,
        actor=ACTOR,
    )
    vehicle = assigned_vehicle(district, officer)
    naloxone = equipment_create(
        district=district,
        kind=EquipmentKind.NALOXONE,
        serial="NX-1",
        expires_on=timezone.localdate() - dt.timedelta(days=2),
        holder=officer,
        issued_on=timezone.localdate(),
        actor=ACTOR,
    )
    assert naloxone.holder_id == officer.pk

    context = logged_in_context(browser, live_server.url, officer.user, viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(8000)
    page.goto("/roster/mine/")
    assert "On shift until" in page.locator("#on-shift").inner_text()
    check(page, f"my shifts ({size})")
    page.goto("/fleet/equipment/")
    assert "Lapsed" in page.locator("#equipment").inner_text()
    check(page, f"my equipment ({size})")
    page.goto("/fleet/inspect/")
    check(page, f"inspection form ({size})")
    page.locator("#id_mileage").fill("41015")
    for label in page.locator(".choice label").all():
        if label.inner_text().strip() == "OK":
            box = label.bounding_box()
            assert box is not None and box["height"] >= 44  # a finger-sized target
            label.click()
    brakes = page.locator("fieldset", has_text="Brakes feel normal")
    brakes.locator("label", has_text="Problem").click()
    brakes.locator("input[type=text]").fill("grinding")
    page.locator("button.big-button").click()
    page.wait_for_url("**/fleet/inspect/")
    assert "OUT OF SERVICE" in page.locator(".messages").inner_text()
    check(page, f"inspection recorded ({size})")
    context.close()
    assert Vehicle.objects.get(pk=vehicle.pk).status == VehicleStatus.OUT_OF_SERVICE

    context = logged_in_context(browser, live_server.url, chief.user, viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(8000)
    page.goto("/roster/")
    assert "olivia officer-longname" in page.locator("#roster").inner_text().lower()
    check(page, f"roster week ({size})")
    page.goto("/roster/import/")
    check(page, f"roster import ({size})")
    page.goto("/fleet/")
    assert "Brakes feel normal: grinding" in page.locator("#vehicles").inner_text()
    check(page, f"vehicles ({size})")
    page.goto("/fleet/equipment/")
    check(page, f"equipment ({size})")
    context.close()
