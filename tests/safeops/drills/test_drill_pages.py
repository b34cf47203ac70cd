"""The drill dashboard, the calendar page, the admin, and the demo's workspace data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from safeops.accounts.models import User
from safeops.demo.services import demo_seed
from safeops.drills.selectors import compliance_list_for_user
from safeops.facilities.models import Finding
from safeops.incidents.models import Incident
from safeops.safetyplans.models import SafetyPlan
from safeops.staff.choices import Role
from tests.safeops.drills.helpers import kentucky_year, log
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario


def test_the_dashboard_lists_schools_riskiest_first(scenario: ScenarioDistrict) -> None:
    year = kentucky_year(scenario.district, start_year=2026)
    for day in (dt.date(2026, 8, 13), dt.date(2026, 8, 20), dt.date(2026, 9, 10)):
        log(scenario.high_a, "fire", day)
    for code in ("lockdown", "severe_weather", "earthquake"):
        log(scenario.high_a, code, dt.date(2026, 9, 1))
        log(scenario.school_a, code, dt.date(2026, 9, 1))
    on = dt.date(2026, 9, 25)
    rows = compliance_list_for_user(user=scenario.users[Role.SECURITY_CHIEF], on=on)
    names = [(r.school.name, r.compliance.status.value, len(r.compliance.reasons)) for r in rows]
    # On 09-25: fire August and the four first-30 windows have closed; fire September is due
    # soon (closes 09-30). A High logged everything; A Middle lacks its fire drills.
    assert names == [
        ("B High", "overdue", 6),
        ("B Middle", "overdue", 6),
        ("A Middle", "overdue", 3),
        ("A High", "compliant", 0),
    ]
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    page = client.get(f"/drills/?on={on.isoformat()}").content.decode()
    order = [page.index(name) for name in ("B High", "A High")]
    assert order == sorted(order)
    assert f"/drills/report/{year.pk}/" in page


def test_only_the_chief_imports_calendars_through_the_page(scenario: ScenarioDistrict) -> None:
    csv = (
        b"school_year,date,type,note\n2030-31,2030-08-14,first_day,\n2030-31,2031-05-30,last_day,\n"
    )
    sa = Client()
    sa.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    refused = sa.post(
        "/drills/calendar/", {"action": "import", "file": SimpleUploadedFile("c.csv", csv)}
    )
    assert refused.status_code == 403
    chief = Client()
    chief.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    done = chief.post(
        "/drills/calendar/", {"action": "import", "file": SimpleUploadedFile("c.csv", csv)}
    )
    assert done.status_code == 302
    assert scenario.district.school_years.get().name == "2030-31"
    links = sa.post("/drills/calendar/", {"action": "feed"}).content.decode()
    assert "/drills/feed/" in links and f"/{scenario.school_a.pk}.ics" in links


def test_the_admin_is_scoped(scenario: ScenarioDistrict) -> None:
    kentucky_year(scenario.district, start_year=2026)
    log(scenario.school_a, "fire", dt.date(2026, 8, 13))
    log(scenario.school_b, "fire", dt.date(2026, 8, 13))
    chief = Client()
    chief.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    assert chief.get("/admin/drills/drillrule/").status_code == 200
    assert chief.get("/admin/safetyplans/safetyplan/").status_code == 200
    sa = Client()
    sa.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    listing = sa.get("/admin/drills/drill/").content.decode()
    assert "A Middle" in listing and "B Middle" not in listing


@pytest.mark.slow
def test_the_demo_seeds_a_mixed_workspace(db: None) -> None:
    report = demo_seed(schools=25)
    rows = compliance_list_for_user(user=_user("demo-chief"))
    statuses = {r.compliance.status.value for r in rows}
    today = timezone.localdate()
    in_session = not (6 <= today.month <= 7)
    if in_session:
        assert {"overdue", "compliant"} <= statuses, statuses
    assert report.district.school_years.exists()
    assert set(SafetyPlan.objects.values_list("status", flat=True)) == {"approved", "draft"}
    assert Finding.objects.count() == 2 and Incident.objects.count() == 1
    client = Client()
    client.force_login(_user("demo-sa"))
    assert 'id="due-this-week"' in client.get("/").content.decode()


def _user(username: str) -> object:
    return User.objects.get(username=username)
