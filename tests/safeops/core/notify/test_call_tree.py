"""The call tree: tier by tier until someone acknowledges; an imminent-harm tip pages the
on-call dispatcher with the school and the kind of concern, never the reporter's words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeops.core.jobs import run_due_jobs
from safeops.core.models import Job, JobStatus
from safeops.core.notify import availability, calltree
from safeops.core.notify.models import CloseReason, Notification
from safeops.core.notify.services import notification_acknowledge, page_call_tree
from safeops.staff.choices import Role
from safeops.threats.tips import tip_submit
from tests.safeops.factories import ScenarioDistrict

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

SECRET = "He said he would bring the knife to the gym on Friday."


def test_the_next_tier_is_paged_when_nobody_acknowledges(
    scenario: ScenarioDistrict, settings: Any
) -> None:
    settings.NOTIFY_CALL_TREE_STEP_SECONDS = 120
    dispatcher, chief = scenario.users[Role.DISPATCHER], scenario.users[Role.SECURITY_CHIEF]
    assert calltree.tiers(scenario.district.pk) == [[dispatcher.pk], [chief.pk]]  # type: ignore[attr-defined]
    assert page_call_tree(district_id=scenario.district.pk, title="Page", ref="t:tree")
    assert not page_call_tree(district_id=scenario.district.pk, title="Again", ref="t:tree")
    run_due_jobs()
    assert list(Notification.objects.values_list("user_id", flat=True)) == [dispatcher.pk]  # type: ignore[attr-defined]
    assert run_due_jobs(now=timezone.now() + dt.timedelta(seconds=60)) == 0
    run_due_jobs(now=timezone.now() + dt.timedelta(seconds=121))
    assert Notification.objects.filter(user=chief, ref="t:tree").exists()


def test_an_acknowledgement_stops_the_tree_and_closes_the_other_copies(
    scenario: ScenarioDistrict, settings: Any
) -> None:
    dispatcher = scenario.users[Role.DISPATCHER]
    page_call_tree(district_id=scenario.district.pk, title="Page", ref="t:ack")
    run_due_jobs()
    page = Notification.objects.get(user=dispatcher)
    assert Job.objects.filter(dedupe_key="calltree:t:ack", status=JobStatus.QUEUED).exists()
    notification_acknowledge(notification_id=page.pk, user=dispatcher)
    assert not Job.objects.filter(dedupe_key="calltree:t:ack", status=JobStatus.QUEUED).exists()
    run_due_jobs(now=timezone.now() + dt.timedelta(hours=1))
    assert Notification.objects.filter(ref="t:ack").count() == 1


def test_a_tier_with_nobody_available_passes_to_the_next(scenario: ScenarioDistrict) -> None:
    dispatcher, chief = scenario.users[Role.DISPATCHER], scenario.users[Role.SECURITY_CHIEF]

    def dispatcher_off_shift(user_id: int) -> bool | None:
        return False if user_id == dispatcher.pk else None  # type: ignore[attr-defined]

    availability.register(dispatcher_off_shift)
    try:
        page_call_tree(district_id=scenario.district.pk, title="Page", ref="t:off")
        run_due_jobs()
    finally:
        availability._PREDICATES.remove(dispatcher_off_shift)
    reasons = dict(Notification.objects.values_list("user_id", "close_reason"))
    assert reasons == {dispatcher.pk: CloseReason.UNAVAILABLE, chief.pk: ""}  # type: ignore[attr-defined]


def test_an_imminent_tip_pages_the_dispatcher_without_its_narrative(
    scenario: ScenarioDistrict,
) -> None:
    tip_submit(
        district=scenario.district,
        school=scenario.school_a,
        place="Gym",
        what=SECRET,
        when_text="Friday",
        urgency="imminent",
        address="198.51.100.7",  # type: ignore[arg-type]
    )
    run_due_jobs()
    page = Notification.objects.get(user=scenario.users[Role.DISPATCHER])
    assert page.ref.startswith("threats.tip:")
    assert page.title.startswith("Imminent-harm tip ")
    assert "A Middle" in page.body
    assert "hurt now or today" in page.body
    assert page.link.startswith("/dispatch/requests/new/?school=")
    text = f"{page.title} {page.body} {page.link}"
    assert "knife" not in text and "Gym" not in text and "Friday" not in text
