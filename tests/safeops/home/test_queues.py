"""Each role's home is a work queue: an item appears when its matter arises and leaves when
it is done, and links to where it is done."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from safeops.dispatch.credentials import forget_lapsed
from safeops.dispatch.services import officer_duty_set, request_assign, request_transition
from safeops.home.queues import work_queue_for_user
from safeops.staff.choices import Role
from safeops.threats import services as threat_services
from safeops.threats import tips
from safeops.threats.choices import CaseSource, RecordKind, Stage, TipCloseReason, Urgency
from safeops.training.models import Topic
from safeops.training.services import completion_confirm, completion_record
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.training.helpers import done, firearm, pops, seed

pytestmark = pytest.mark.shared_scenario

ACTOR = "system:test"


def _queue(user: object) -> list[str]:
    return [f"{item.area}|{item.text}|{item.url}" for item in work_queue_for_user(user=user)]


def _home(user: object) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client.get("/").content.decode()


def test_the_sa_queue_shows_tips_cases_and_requests_until_done(dispatch: DispatchScenario) -> None:
    s = dispatch.s
    assert _queue(dispatch.sa) == []
    receipt = tips.tip_submit(
        district=s.district,
        school=s.school_a,
        place="",
        what="He said he will bring a knife tomorrow",
        when_text="",
        urgency=Urgency.IMMINENT,
        address="192.0.2.10",
    )
    other = tips.tip_submit(
        district=s.district,
        school=s.school_b,
        place="",
        what="A gun in a car",
        when_text="",
        urgency=Urgency.SOON,
        address="192.0.2.11",
    )
    request = dispatch.file()
    case = threat_services.case_open(
        school=s.school_a,
        source=CaseSource.STAFF,
        subject="A.B.",
        grade="7",
        concern="threatened to stab a classmate",
        actor=ACTOR,
    )
    items = work_queue_for_user(user=dispatch.sa)
    urls = [i.url for i in items]
    assert f"/threats/tips/{receipt.tip.pk}/" in urls
    assert f"/threats/tips/{other.tip.pk}/" not in urls  # not my school
    assert f"/threats/cases/{case.pk}/" in urls
    assert f"/dispatch/requests/{request.pk}/" in urls
    assert items[0].urgent  # the imminent tip and the P1 come first
    page = _home(dispatch.sa)
    for url in urls:
        assert f'href="{url}"' in page
    tips.tip_close(tip=receipt.tip, actor=ACTOR, reason=TipCloseReason.NOT_ENOUGH)
    request_transition(request_id=request.pk, to_status="cancelled", actor=dispatch.sa)
    urls = [i.url for i in work_queue_for_user(user=dispatch.sa)]
    assert urls == [f"/threats/cases/{case.pk}/"]


def test_the_dispatchers_home_is_the_live_board(dispatch: DispatchScenario) -> None:
    client = Client()
    client.force_login(dispatch.dispatcher)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/dispatch/board/"


def test_the_chief_sees_uncovered_zones_and_open_p1s_until_covered(
    dispatch: DispatchScenario,
) -> None:
    chief = dispatch.chief
    zone_b = f"/zones/{dispatch.s.zone_b.pk}/"
    assert not any(zone_b in line for line in _queue(chief))
    officer_duty_set(officer=dispatch.officer_b, on_duty=False, actor=ACTOR)
    assert any(zone_b in line for line in _queue(chief))
    request = dispatch.file()
    p3 = dispatch.file(priority="p3", summary="Patrol check of the back lot")
    lines = _queue(chief)
    assert any(f"/dispatch/requests/{request.pk}/" in line for line in lines)
    assert not any(f"/dispatch/requests/{p3.pk}/" in line for line in lines)
    assert f'href="{zone_b}"' in _home(chief)
    officer_duty_set(officer=dispatch.officer_b, on_duty=True, actor=ACTOR)
    request_transition(request_id=request.pk, to_status="cancelled", actor=chief)
    assert _queue(chief) == []


def test_the_officer_sees_the_assignment_until_cleared(dispatch: DispatchScenario) -> None:
    officer = dispatch.officer_a.user
    request = dispatch.file()
    assert [i.area for i in work_queue_for_user(user=officer)] == ["In my zone"]
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    items = work_queue_for_user(user=officer)
    assert [i.area for i in items] == ["My assignment"] and items[0].url == "/dispatch/officer/"
    assert "My assignment" in _home(officer)
    for status in ("acknowledged", "en_route", "on_scene"):
        request_transition(request_id=request.pk, to_status=status, actor=officer)
    request_transition(
        request_id=request.pk, to_status="cleared", actor=officer, disposition="resolved_on_scene"
    )
    assert work_queue_for_user(user=officer) == []


def test_the_training_coordinator_confirms_pending_records_from_the_queue(
    dispatch: DispatchScenario,
) -> None:
    s = dispatch.s
    seed(s.district)
    coordinator = s.users[Role.TRAINING_COORDINATOR]
    sa = s.people[Role.SAFETY_ADMINISTRATOR]
    before = [i for i in work_queue_for_user(user=coordinator) if i.area == "To confirm"]
    mine = completion_record(
        person=sa,
        topic=Topic.objects.get(district=s.district, code="de-escalation"),
        hours=Decimal(8),
        completed_on=timezone.localdate() - dt.timedelta(days=3),
        actor=s.users[Role.SAFETY_ADMINISTRATOR],  # type: ignore[arg-type]
    )
    pending = [i for i in work_queue_for_user(user=coordinator) if i.area == "To confirm"]
    assert len(pending) == len(before) + 1
    assert pending[-1].url == f"/training/people/{sa.pk}/" and sa.full_name in pending[-1].text
    due = [i for i in work_queue_for_user(user=coordinator) if i.area in ("Overdue", "Due soon")]
    assert all(i.url.startswith("/training/people/") for i in due)
    completion_confirm(completion=mine, actor=coordinator)
    after = [i for i in work_queue_for_user(user=coordinator) if i.area == "To confirm"]
    assert len(after) == len(before)


def test_the_chief_sees_officers_whose_training_has_lapsed(dispatch: DispatchScenario) -> None:
    officer = dispatch.officer_a
    link = f"/training/people/{officer.pk}/"
    assert not any(link in line for line in _queue(dispatch.chief))
    seed(dispatch.s.district)  # the SRO rules: the officer has no POPS and no hours
    forget_lapsed()
    lapsed = [i for i in work_queue_for_user(user=dispatch.chief) if i.url == link]
    assert len(lapsed) == 1 and lapsed[0].urgent and officer.full_name in lapsed[0].text


def test_a_threat_case_leaves_the_sa_queue_when_it_is_closed(dispatch: DispatchScenario) -> None:
    case = threat_services.case_open(
        school=dispatch.s.school_a,
        source=CaseSource.STAFF,
        subject="C.D.",
        grade="8",
        concern="said he would hit a classmate after school",
        actor=ACTOR,
    )
    link = f"/threats/cases/{case.pk}/"
    assert [i.url for i in work_queue_for_user(user=dispatch.sa)] == [link]
    assert f'href="{link}"' in _home(dispatch.sa)
    threat_services.case_record_add(
        case=case, kind=RecordKind.INTERVIEW, body="Talked it through", actor=ACTOR
    )
    case = threat_services.case_move(case=case, to=Stage.TRANSIENT, actor=ACTOR)
    assert [i.url for i in work_queue_for_user(user=dispatch.sa)] == [link]  # still open
    threat_services.case_record_add(
        case=case, kind=RecordKind.RESOLUTION, body="Apologised", actor=ACTOR
    )
    threat_services.case_move(case=case, to=Stage.CLOSED, actor=ACTOR, reason="Resolved")
    assert work_queue_for_user(user=dispatch.sa) == []
    assert f'href="{link}"' not in _home(dispatch.sa)


def test_a_lapsed_officer_leaves_the_chiefs_queue_when_certification_is_renewed(
    dispatch: DispatchScenario,
) -> None:
    officer = dispatch.officer_a
    link = f"/training/people/{officer.pk}/"
    today = timezone.localdate()
    seed(dispatch.s.district, from_year=today.year - 3)
    for person in (dispatch.officer_a, dispatch.officer_b):
        previous_year = dt.date(today.year - 1 if today.month >= 7 else today.year - 2, 10, 1)
        done(person, "pops-in-service", 40, previous_year)
        firearm(person, today + dt.timedelta(days=365))
    pops(dispatch.officer_b, today + dt.timedelta(days=365))
    expired = today - dt.timedelta(days=2)
    pops(officer, expired)
    forget_lapsed()
    lapsed = [i for i in work_queue_for_user(user=dispatch.chief) if i.url == link]
    assert len(lapsed) == 1 and f"expired {expired.isoformat()}" in lapsed[0].text
    assert f'href="{link}"' in _home(dispatch.chief)
    pops(officer, today + dt.timedelta(days=730))  # renewed: the signal forgets the cache
    assert [i for i in work_queue_for_user(user=dispatch.chief) if i.url == link] == []
    assert f'href="{link}"' not in _home(dispatch.chief)


def test_the_lapse_reason_is_in_each_readers_language(dispatch: DispatchScenario) -> None:
    """The reasons are kept a minute per district: an English reader first must not leave
    them in English for the next Spanish one (nor the reverse)."""
    today = timezone.localdate()
    seed(dispatch.s.district)
    pops(dispatch.officer_a, today - dt.timedelta(days=2))
    forget_lapsed()
    pages = {}
    for language in ("en", "es", "en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(dispatch.chief)
        pages[language] = client.get("/").content.decode()
    assert "POPS certification expired" in pages["en"]
    assert "POPS certification expired" not in pages["es"]
    assert "Certificación POPS vencida el" in pages["es"]
