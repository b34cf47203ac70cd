"""The training pages: my training, the district view and CSV, record entry and confirmation,
the LMS upload, the catalog, the iCalendar feed, the command, reminders and the demo."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from safeops.accounts.models import User
from safeops.core.models import AuditEntry
from safeops.core.notify.models import ChannelPreference
from safeops.demo.services import demo_seed
from safeops.staff.choices import Role
from safeops.training.models import Completion, Requirement, Topic
from safeops.training.selectors import lapsed_officers
from safeops.training.services import training_reminders_send
from tests.safeops.factories import PersonFactory, ScenarioDistrict
from tests.safeops.images import png_bytes
from tests.safeops.training.helpers import done, pops, seed

pytestmark = pytest.mark.shared_scenario


def login(scenario: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    return client


def test_my_training_shows_hours_missing_topics_and_certs(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    sso = scenario.people[Role.SSO]
    done(sso, "de-escalation", 8, dt.date(2026, 8, 1))
    pops(sso, dt.date(2026, 12, 20))
    page = login(scenario, Role.SSO).get("/training/?on=2026-11-28").content.decode()
    assert "8 of 60 h" in page
    assert "0 of 40 h" in page
    assert "Active-shooter training (yearly)" in page
    assert "overdue" in page  # active shooter was due 2026-11-01
    assert "expires 2026-12-20 (22 days, within 30)" in page
    assert 'id="lapsed"' in page  # no SRO hours in 2025-26 either


def test_the_district_view_is_sorted_by_risk_with_csv(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    sso = scenario.people[Role.SSO]
    for code in (
        "implicit-bias",
        "de-escalation",
        "restorative-practices",
        "trauma-informed-care",
        "safe-crisis-management",
        "idea-504",
        "behavior-handbook",
        "active-shooter",
    ):
        done(sa, code, 8, dt.date(2026, 8, 3))
    done(scenario.person_b, "de-escalation", 30, dt.date(2026, 8, 3))
    coordinator = login(scenario, Role.TRAINING_COORDINATOR)
    page = coordinator.get("/training/district/?on=2026-11-28").content.decode()
    # The SSO (lapsed: no POPS, no SRO hours) first, the SA with 64 h and every topic last.
    order = [page.index(f'data-person="{p.pk}"') for p in (sso, scenario.person_b, sa)]
    assert order == sorted(order)
    csv = coordinator.get("/training/district.csv?on=2026-11-28").content.decode()
    lines = csv.splitlines()
    assert lines[0].startswith("person,role,training_year,as_of,risk,lapsed,district_hours")
    assert lines[1].startswith(sso.full_name)
    assert "No POPS certification on file" in lines[1]
    assert lines[-1].startswith(f"{sa.full_name},Safety Administrator,2026-27,2026-11-28,0,,64,60,")
    assert AuditEntry.objects.filter(action="export", model="training.completion").exists()
    # A principal sees their school's SA only; an SSO only themself.
    principal = login(scenario, Role.PRINCIPAL).get("/training/district/").content.decode()
    assert sa.full_name in principal and scenario.person_b.full_name not in principal
    assert login(scenario, Role.COMMUNITY_MONITOR).get("/training/district/").status_code == 403


def test_self_entry_then_coordinator_confirms(
    scenario: ScenarioDistrict, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    seed(scenario.district)
    sa_client = login(scenario, Role.SAFETY_ADMINISTRATOR)
    course = Topic.objects.get(code="de-escalation").courses.get()  # type: ignore[attr-defined]
    response = sa_client.post(
        "/training/completions/new/",
        {
            "course": course.pk,
            "completed_on": "2026-09-01",
            "certificate": SimpleUploadedFile("c.png", png_bytes()),
        },
    )
    assert response.status_code == 302
    completion = Completion.objects.get()
    assert (completion.status, completion.hours, completion.files.count()) == (  # type: ignore[attr-defined]
        "pending",
        Decimal(8),
        1,
    )
    stored = completion.files.get()  # type: ignore[attr-defined]
    assert sa_client.get(f"/training/files/{stored.pk}/").status_code == 200
    assert login(scenario, Role.SSO).get(f"/training/files/{stored.pk}/").status_code == 404
    bad = sa_client.post(
        "/training/completions/new/",
        {
            "course": course.pk,
            "completed_on": "2026-09-02",
            "certificate": SimpleUploadedFile("c.pdf", b"GIF89a"),
        },
    )
    assert "Only PDF, PNG, JPEG files are accepted" in bad.content.decode()
    assert Completion.objects.count() == 1
    assert sa_client.post(f"/training/completion/{completion.pk}/decide/").status_code == 403
    completion.refresh_from_db()
    assert completion.status == "pending"  # the SA may not confirm their own entry
    coordinator = login(scenario, Role.TRAINING_COORDINATOR)
    assert (
        scenario.people[Role.SAFETY_ADMINISTRATOR].full_name
        in coordinator.get("/training/district/").content.decode()
    )
    coordinator.post(f"/training/completion/{completion.pk}/decide/", {"decision": "confirm"})
    completion.refresh_from_db()
    assert completion.status == "confirmed"


def test_the_upload_screen_lists_every_bad_line(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    sa.email = "sa@example.org"
    sa.save()
    text = (
        b"email,topic,hours,completed_on\n"
        b"sa@example.org,de-escalation,8,2026-09-01\n"
        b"sa@example.org,knitting,8,2026-09-01\n"
        b"sa@example.org,de-escalation,900,2026-09-01\n"
    )
    coordinator = login(scenario, Role.TRAINING_COORDINATOR)
    page = coordinator.post(
        "/training/import/", {"file": SimpleUploadedFile("lms.csv", text)}
    ).content.decode()
    assert "line 3: unknown topic &#x27;knitting&#x27;" in page
    assert "line 4: hours must be a number between 0.25 and 200" in page
    assert Completion.objects.count() == 0
    good = text.split(b"\n")[:2]
    done_response = coordinator.post(
        "/training/import/", {"file": SimpleUploadedFile("lms.csv", b"\n".join(good))}
    )
    assert done_response.status_code == 302
    assert Completion.objects.get().status == "confirmed"
    refused = login(scenario, Role.SAFETY_ADMINISTRATOR).post(
        "/training/import/", {"file": SimpleUploadedFile("lms.csv", text)}
    )
    assert refused.status_code == 403


def test_the_import_command_reports_lines_and_writes_nothing(
    scenario: ScenarioDistrict, tmp_path: object
) -> None:
    seed(scenario.district)
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    sa.email = "sa@example.org"
    sa.save()
    path = tmp_path / "lms.csv"  # type: ignore[operator]
    path.write_text(
        "email,topic,hours,completed_on\n"
        "sa@example.org,de-escalation,x,2026-09-01\n"
        "sa@example.org,de-escalation,8,2026-09-01\n"
        "nobody@example.org,de-escalation,8,2026-09-01\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"2 errors in lms\.csv; nothing was written"):
        call_command("import_training", str(path), stderr=err)
    assert "line 2:" in err.getvalue() and "line 4:" in err.getvalue()
    assert Completion.objects.count() == 0
    path.write_text("email,topic,hours,completed_on\nsa@example.org,de-escalation,8,2026-09-01\n")
    out = io.StringIO()
    call_command("import_training", str(path), stdout=out)
    assert "1 created, 0 updated, 0 unchanged" in out.getvalue()


def test_the_catalog_screen_changes_hours_and_topics_without_code(
    scenario: ScenarioDistrict,
) -> None:
    seed(scenario.district)
    coordinator = login(scenario, Role.TRAINING_COORDINATOR)
    response = coordinator.post(
        "/training/catalog/",
        {
            "action": "requirement",
            "req-role": Role.SAFETY_ADMINISTRATOR,
            "req-credit": "district",
            "req-from_year": "2027",
            "req-name": "District training",
            "req-hours": "64",
        },
    )
    assert response.status_code == 302
    new = Requirement.objects.get(role=Role.SAFETY_ADMINISTRATOR, from_year=2027)
    assert new.hours == 64 and new.topics.count() == 8  # type: ignore[attr-defined]
    item = new.topics.get(topic__code="restorative-practices")  # type: ignore[attr-defined]
    coordinator.post("/training/catalog/", {"action": "remove-topic", "item": item.pk})
    assert new.topics.count() == 7  # type: ignore[attr-defined]
    coordinator.post(
        "/training/catalog/",
        {
            "action": "policy",
            "policy-year_start_month": "8",
            "policy-lapse_grace_days": "30",
            "policy-topic_reminder_days": "14",
        },
    )
    page = coordinator.get("/training/catalog/").content.decode()
    assert "starts in month 8" in page and "30 day(s)" in page
    sa = login(scenario, Role.SAFETY_ADMINISTRATOR)
    assert sa.get("/training/catalog/").status_code == 200
    assert sa.post("/training/catalog/", {"action": "policy"}).status_code == 403


def test_the_calendar_feed_lists_due_items(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    sso = scenario.people[Role.SSO]
    pops(sso, dt.date(2099, 12, 20))
    client = login(scenario, Role.SSO)
    page = client.post("/training/").content.decode()
    url = page.split('id="feed-url">')[1].split("<")[0]
    feed = Client().get(url[url.index("/training/feed/") :])
    assert feed.status_code == 200
    text = feed.content.decode()
    assert "SUMMARY:Training due: Active-shooter training (yearly)" in text
    assert "SUMMARY:SRO in-service: 40 h to go" in text
    assert Client().get("/training/feed/nope.ics").status_code == 404


def test_reminders_go_once_per_window(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    sso = scenario.people[Role.SSO]
    sso.email = "sso@example.org"
    sso.save()
    pops(sso, dt.date(2026, 12, 20))
    for code in (
        "implicit-bias",
        "de-escalation",
        "trauma-informed-care",
        "safe-crisis-management",
        "idea-504",
        "behavior-handbook",
    ):
        done(sso, code, 1, dt.date(2026, 8, 1))
    # 10-20: POPS 61 days out (90-day window); active shooter due 11-01 within 14 days.
    assert training_reminders_send(on=dt.date(2026, 10, 20)) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "POPS certification expires 2026-12-20",
        "Training due by 2026-11-01: Active-shooter training (yearly)",
    ]
    assert training_reminders_send(on=dt.date(2026, 10, 20)) == 0  # sent once
    assert training_reminders_send(on=dt.date(2026, 10, 21)) == 1  # 60 days: 60-day window
    assert training_reminders_send(on=dt.date(2026, 10, 22)) == 0
    other = PersonFactory(district=scenario.district, role=Role.SSO, user=None, email="")
    assert other.pk
    assert training_reminders_send(on=dt.date(2026, 10, 23)) == 0


def test_reminders_reach_each_person_in_the_language_of_their_alerts(
    scenario: ScenarioDistrict,
) -> None:
    seed(scenario.district)
    sso = scenario.people[Role.SSO]
    sso.email = "sso@example.org"
    sso.save()
    ChannelPreference.objects.create(user=sso.user, language="es")
    pops(sso, dt.date(2026, 12, 20))
    assert training_reminders_send(on=dt.date(2026, 10, 20)) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Capacitación pendiente para el 2026-11-01: Capacitación sobre tirador activo (anual)",
        "La certificación POPS vence el 2026-12-20",
    ]
    body = next(m.body for m in mail.outbox if "POPS" in m.subject)
    assert "Su certificación POPS vence el 2026-12-20 (en 61 días)." in body
    assert "Su formación: /training/" in body
    assert "Sent by" not in body


def test_the_demo_seeds_compliant_behind_and_one_lapsed_officer(db: None) -> None:
    report = demo_seed(schools=24)
    flags = lapsed_officers(district_id=report.district.pk, on=timezone.localdate())
    assert len(flags) == 1
    client = Client()
    client.force_login(User.objects.get(username="demo-training"))
    page = client.get("/training/district/").content.decode()
    assert "Lapsed" in page and "met" in page and "behind" in page


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/x", "http://evil.example"]
)
def test_the_decision_never_redirects_off_site(scenario: ScenarioDistrict, target: str) -> None:
    seed(scenario.district)
    pending = Completion.objects.create(
        person=scenario.people[Role.SSO],
        topic=Topic.objects.filter(district=scenario.district).first(),
        title="x",
        hours=Decimal(1),
        completed_on=timezone.localdate(),
        status="pending",
    )
    client = Client()
    client.force_login(scenario.users[Role.TRAINING_COORDINATOR])  # type: ignore[arg-type]
    response = client.post(
        f"/training/completion/{pending.pk}/decide/", {"decision": "confirm", "next": target}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    same_site = client.post(
        f"/training/completion/{pending.pk}/decide/", {"decision": "reject", "next": "/training/"}
    )
    assert same_site["Location"] == "/training/"
