"""The patrol settings pages: the chief changes the rules, bells, special days and points
through the import's services (audited); a bad value is named at its field; dispatchers read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from safeops.core.models import AuditEntry
from safeops.patrol.models import BellOverride, BellSchedule, PatrolPoint, PatrolSettings
from tests.safeops.patrol.conftest import PatrolScenario

pytestmark = pytest.mark.shared_scenario

GOOD_SETTINGS = {
    "shift_start": "07:00",
    "shift_end": "16:00",
    "arrival_before": "20",
    "arrival_after": "10",
    "dismissal_before": "25",
    "dismissal_after": "20",
    "geofence_m": "200",
    "weekly_visits": "3",
    "high_risk": "4.5",
    "risk_days": "30",
    "long_call_minutes": "60",
    "weekends": "on",
}


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _field_error(page: str, field: str) -> bool:
    """Django's form puts the field's errors in an element with id `id_<field>_error`."""
    return f'id="id_{field}_error"' in page


@pytest.mark.django_db
def test_the_chief_changes_the_rules_and_a_bad_value_is_named(patrol: PatrolScenario) -> None:
    chief = _client(patrol.chief)
    assert chief.get("/patrol/settings/").status_code == 200
    response = chief.post("/patrol/settings/", GOOD_SETTINGS)
    assert response.status_code == 302
    rules = PatrolSettings.objects.get(district=patrol.s.district)
    assert (rules.arrival_before, rules.dismissal_after, rules.geofence_m) == (20, 20, 200)
    assert (rules.weekly_visits, rules.high_risk, rules.long_call_minutes) == (3, 4.5, 60)
    assert rules.shift_end == 16 * 60
    assert AuditEntry.objects.filter(model="patrol.patrolsettings", note="settings page").exists()
    bad = chief.post("/patrol/settings/", {**GOOD_SETTINGS, "shift_end": "06:00"})
    assert bad.status_code == 422
    assert _field_error(bad.content.decode(), "shift_end")  # the model's rule, via the service
    bad = chief.post("/patrol/settings/", {**GOOD_SETTINGS, "geofence_m": "3"})
    assert bad.status_code == 422
    assert _field_error(bad.content.decode(), "geofence_m")
    assert PatrolSettings.objects.get(district=patrol.s.district).shift_end == 16 * 60


@pytest.mark.django_db
def test_dispatchers_read_the_settings_and_officers_do_not(patrol: PatrolScenario) -> None:
    dispatcher = _client(patrol.dispatcher)
    page = dispatcher.get("/patrol/settings/")
    assert page.status_code == 200
    assert 'id="settings-form"' not in page.content.decode()
    assert dispatcher.post("/patrol/settings/", GOOD_SETTINGS).status_code == 403
    assert dispatcher.post("/patrol/settings/points/", {}).status_code == 403
    for user in (patrol.officer_a.user, patrol.sa):
        for url in ("/patrol/settings/", "/patrol/settings/bells/", "/patrol/settings/points/"):
            assert _client(user).get(url).status_code == 403
    coverage = _client(patrol.chief).get("/patrol/coverage/").content.decode()
    assert 'href="/patrol/settings/"' in coverage and 'href="/patrol/settings/bells/"' in coverage


@pytest.mark.django_db
def test_bells_and_special_days_through_the_import_services(patrol: PatrolScenario) -> None:
    chief = _client(patrol.chief)
    school = patrol.s.high_b
    response = chief.post(
        "/patrol/settings/bells/",
        {
            "action": "bell",
            "bell-school": school.pk,
            "bell-start_minute": "07:40",
            "bell-end_minute": "14:20",
        },
    )
    assert response.status_code == 302
    bell = BellSchedule.objects.get(school=school)
    assert (bell.start_minute, bell.end_minute) == (460, 860)
    assert AuditEntry.objects.filter(model="patrol.bellschedule", note="settings page").exists()
    bad = chief.post(
        "/patrol/settings/bells/",
        {
            "action": "bell",
            "bell-school": school.pk,
            "bell-start_minute": "15:00",
            "bell-end_minute": "09:00",
        },
    )
    assert bad.status_code == 422
    assert _field_error(bad.content.decode(), "bell-end_minute")
    day = dt.date(2031, 1, 14)
    late = {
        "action": "override",
        "day-day": day.isoformat(),
        "day-school": school.pk,
        "day-kind": "late_start",
        "day-shift_minutes": "120",
        "day-note": "Snow",
    }
    assert chief.post("/patrol/settings/bells/", late).status_code == 302
    override = BellOverride.objects.get(school=school, day=day)
    assert (override.kind, override.shift_minutes) == ("late_start", 120)
    no_minutes = chief.post("/patrol/settings/bells/", {**late, "day-shift_minutes": ""})
    assert no_minutes.status_code == 422
    assert _field_error(no_minutes.content.decode(), "day-shift_minutes")
    page = chief.get("/patrol/settings/bells/").content.decode()
    assert "2031-01-14" in page and "14:20" in page
    chief.post("/patrol/settings/bells/", {"action": "delete-override", "override": override.pk})
    assert not BellOverride.objects.exists()
    assert AuditEntry.objects.filter(model="patrol.belloverride", action="delete").exists()


@pytest.mark.django_db
def test_points_are_saved_by_name_and_checked_like_the_import(patrol: PatrolScenario) -> None:
    chief = _client(patrol.chief)
    point = {
        "name": "Stop 9",
        "kind": "bus_stop",
        "latitude": "38.205",
        "longitude": "-85.695",
        "window_start": "06:50",
        "window_end": "07:10",
        "risk": "1.5",
        "active": "on",
    }
    assert chief.post("/patrol/settings/points/", point).status_code == 302
    assert chief.post("/patrol/settings/points/", {**point, "risk": "2"}).status_code == 302
    saved = PatrolPoint.objects.get()
    assert (saved.window_start, saved.window_end, saved.risk) == (410, 430, 2.0)
    far = chief.post("/patrol/settings/points/", {**point, "latitude": "40.7"})
    assert far.status_code == 422
    assert _field_error(far.content.decode(), "latitude")
    assert "outside the district" in far.content.decode()
    half = chief.post("/patrol/settings/points/", {**point, "window_end": ""})
    assert _field_error(half.content.decode(), "window_end")
    assert AuditEntry.objects.filter(model="patrol.patrolpoint", note="settings page").count() == 2
