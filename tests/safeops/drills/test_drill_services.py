"""Calendar import, the drill log, reminders by e-mail and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from safeops.core.feedtokens import calendar_token_rotate
from safeops.core.jobs import schedules_materialise
from safeops.core.models import AuditEntry, CalendarFeedToken, Job
from safeops.core.notify.models import ChannelPreference
from safeops.drills.jobs import REMINDER_JOB
from safeops.drills.models import DrillReminder, DrillType
from safeops.drills.services import (
    CSV_BAD_DATE,
    CSV_DAY_OUTSIDE,
    CSV_FIRST_LAST,
    DRILL_IN_FUTURE,
    drill_log,
    drill_reminders_send,
    safety_defaults_seed,
    school_year_import_csv,
)
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from tests.safeops.drills.helpers import kentucky_year, log
from tests.safeops.factories import (
    DistrictFactory,
    PersonFactory,
    ScenarioDistrict,
    SchoolFactory,
)

pytestmark = pytest.mark.shared_scenario

CSV = """school_year,date,type,note
2026-27,2026-08-12,first_day,
2026-27,2027-05-28,last_day,
2026-27,2026-09-07,non_instructional,Labor Day
2026-27,2026-11-03,non_instructional,Election Day
"""

LOCAL = ZoneInfo("America/Kentucky/Louisville")


def test_calendar_csv_import_is_idempotent(db: None) -> None:
    district = DistrictFactory()
    first = school_year_import_csv(district=district, text=CSV, actor="system:test")
    again = school_year_import_csv(district=district, text=CSV, actor="system:test")
    year = again.years[0]
    assert first.years[0].pk == year.pk
    assert (year.first_day, year.last_day) == (dt.date(2026, 8, 12), dt.date(2027, 5, 28))
    assert list(year.non_instructional_days.values_list("reason", flat=True)) == [
        "Labor Day",
        "Election Day",
    ]


def test_calendar_csv_errors_are_line_numbered_and_nothing_is_written(db: None) -> None:
    district = DistrictFactory()
    bad = CSV + "2026-27,2026-13-01,non_instructional,\n2026-27,2027-07-04,non_instructional,\n"
    bad += "2027-28,2027-08-11,first_day,\n"
    with pytest.raises(ValidationError) as caught:
        school_year_import_csv(district=district, text=bad, actor="system:test")
    assert caught.value.messages == [
        CSV_BAD_DATE.format(line=6, value="2026-13-01"),
        CSV_DAY_OUTSIDE.format(line=7, day=dt.date(2027, 7, 4), year="2026-27"),
        CSV_FIRST_LAST.format(year="2027-28"),
    ]
    assert not district.school_years.exists()


def test_a_drill_cannot_be_logged_before_it_happens(db: None) -> None:
    district = DistrictFactory()
    safety_defaults_seed(district=district, actor="system:test")
    school = SchoolFactory(district=district)
    with pytest.raises(ValidationError) as caught:
        drill_log(
            school=school,
            drill_type=DrillType.objects.get(district=district, code="fire"),
            started_at=timezone.now() + dt.timedelta(hours=2),
            duration_minutes=5,
            participants=10,
            actor="system:test",
        )
    assert caught.value.message_dict == {"started_at": [DRILL_IN_FUTURE]}


def test_the_kentucky_defaults_are_seeded_once_with_their_sources(db: None) -> None:
    district = DistrictFactory()
    assert safety_defaults_seed(district=district, actor="system:test") == 4 + 8
    assert safety_defaults_seed(district=district, actor="system:test") == 0
    sources = set(district.drill_rules.values_list("drill_type__code", "legal_source"))
    assert ("lockdown", "KRS 158.162(5)") in sources
    assert any(code == "fire" and "815 KAR 10:060" in source for code, source in sources)


@pytest.fixture
def reminder_school(db: None) -> object:
    district = DistrictFactory()
    kentucky_year(district)
    school = SchoolFactory(district=district, name="Reminder Middle")
    sa = PersonFactory(
        district=district, role=Role.SAFETY_ADMINISTRATOR, email="sa@example.org", user=None
    )
    Assignment.objects.create(person=sa, school=school, starts_on=dt.date(2026, 7, 1))
    return school


def test_reminders_go_out_once_a_week_before_a_window_closes(reminder_school: object) -> None:
    # Instructional day 30 is 2026-09-23: on 09-17 the unmet first-30 windows close within a week.
    on = dt.date(2026, 9, 17)
    log(reminder_school, "fire", dt.date(2026, 8, 13))
    log(reminder_school, "fire", dt.date(2026, 8, 20))
    sent = drill_reminders_send(on=on)
    subjects = sorted(message.body.splitlines()[0] for message in mail.outbox)
    assert sent == 3
    assert subjects == [
        "Reminder Middle: no earthquake drill yet within instructional days 1–30 "
        "(closes 2026-09-23).",
        "Reminder Middle: no lockdown drill yet within instructional days 1–30 "
        "(closes 2026-09-23).",
        "Reminder Middle: no severe weather drill yet within instructional days 1–30 "
        "(closes 2026-09-23).",
    ]
    assert mail.outbox[0].to == ["sa@example.org"]
    assert drill_reminders_send(on=on + dt.timedelta(days=1)) == 0
    assert DrillReminder.objects.count() == 3


def test_a_reminder_goes_once_per_language_its_readers_chose(reminder_school: object) -> None:
    principal = PersonFactory(
        district=reminder_school.district,  # type: ignore[attr-defined]
        role=Role.PRINCIPAL,
        email="principal@example.org",
    )
    Assignment.objects.create(
        person=principal, school=reminder_school, starts_on=dt.date(2026, 7, 1)
    )
    ChannelPreference.objects.create(user=principal.user, language="es")
    on = dt.date(2026, 9, 17)
    for kind in ("fire", "earthquake", "severe_weather"):
        log(reminder_school, kind, dt.date(2026, 8, 13))
    log(reminder_school, "fire", dt.date(2026, 8, 20))
    assert drill_reminders_send(on=on) == 2  # one window (lockdown), two languages
    by_reader = {tuple(message.to): message for message in mail.outbox}
    english = by_reader[("sa@example.org",)]
    spanish = by_reader[("principal@example.org",)]
    assert english.subject == "Drill due by 2026-09-23: Reminder Middle"
    assert "no lockdown drill yet within instructional days 1–30" in english.body
    assert spanish.subject == "Simulacro pendiente para el 2026-09-23: Reminder Middle"
    assert "Fuente legal: KRS 158.162(5)" in spanish.body
    assert "Legal source" not in spanish.body and "lockdown" not in spanish.body
    assert DrillReminder.objects.get().recipients == 2


def test_the_reminder_job_is_on_the_daily_schedule(db: None) -> None:
    now = dt.datetime(2026, 9, 17, 7, 0, tzinfo=LOCAL)
    job = next(j for j in schedules_materialise(now=now) if j.kind == REMINDER_JOB)
    assert timezone.localtime(job.run_after) == dt.datetime(2026, 9, 18, 6, 0, tzinfo=LOCAL)
    schedules_materialise(now=now + dt.timedelta(hours=1))
    assert Job.objects.filter(kind=REMINDER_JOB, status="queued").count() == 1


def test_the_feed_needs_the_secret_and_shows_only_the_users_schools(
    scenario: ScenarioDistrict,
) -> None:
    kentucky_year(scenario.district, start_year=timezone.localdate().year - 1)
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    raw = calendar_token_rotate(user=sa, actor=sa)
    assert CalendarFeedToken.objects.get().digest != raw
    client = Client()
    own = client.get(f"/drills/feed/{raw}/{scenario.school_a.pk}.ics")
    assert own.status_code == 200
    assert own["Content-Type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VEVENT" in own.content.decode()
    assert client.get(f"/drills/feed/{raw}/{scenario.school_b.pk}.ics").status_code == 404
    assert client.get(f"/drills/feed/not-the-token/{scenario.school_a.pk}.ics").status_code == 404
    calendar_token_rotate(user=sa, actor=sa)
    assert client.get(f"/drills/feed/{raw}/{scenario.school_a.pk}.ics").status_code == 404


def test_an_sa_logs_a_drill_with_corrective_actions_through_the_page(
    scenario: ScenarioDistrict,
) -> None:
    kentucky_year(scenario.district, start_year=timezone.localdate().year - 1)
    client = Client()
    client.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])
    fire = DrillType.objects.get(district=scenario.district, code="fire")
    owner = scenario.people[Role.PRINCIPAL]
    day = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        f"/drills/schools/{scenario.school_a.pk}/log/",
        {
            "drill_type": fire.pk,
            "date": day.isoformat(),
            "time": "10:15",
            "duration_minutes": "11",
            "time_to_clear_seconds": "240",
            "participants": "512",
            "observers": "Fire department",
            "issues": "Alarm inaudible in the gym",
            "ca-TOTAL_FORMS": "2",
            "ca-INITIAL_FORMS": "0",
            "ca-0-description": "Add a strobe in the gym",
            "ca-0-owner": owner.pk,
            "ca-0-due_on": (day + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    drill = scenario.school_a.drills.get()
    assert (drill.time_to_clear_seconds, drill.participants) == (240, 512)
    assert drill.corrective_actions.get().owner == owner
    assert AuditEntry.objects.filter(model="drills.drill", action="create").count() == 1
    # The SA of school A cannot log for school B.
    other = client.get(f"/drills/schools/{scenario.school_b.pk}/log/")
    assert other.status_code == 404
