"""Each role's home (its work queue, with items in it) passes axe and fits a phone; so do the
refusal pages that offer "Why this is a safety matter" (dispatch request, tip line)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from safeops.dispatch.services import officer_duty_set, request_assign
from safeops.staff.choices import Role
from safeops.threats import services as threat_services
from safeops.threats import tips
from safeops.threats.choices import CaseSource, Urgency
from safeops.training.models import Topic
from safeops.training.services import completion_record
from tests.safeops.browser.accessibility import (
    SIZES,
    assert_accessible,
    assert_no_horizontal_scroll,
    logged_in_context,
)
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.training.helpers import seed

pytestmark = pytest.mark.browser
ACTOR = "system:test"


def _fill_queues(d: DispatchScenario) -> None:
    s = d.s
    tips.tip_submit(
        district=s.district,
        school=s.school_a,
        place="",
        what="He said he will bring a knife tomorrow",
        when_text="",
        urgency=Urgency.IMMINENT,
        address="192.0.2.20",
    )
    threat_services.case_open(
        school=s.school_a,
        source=CaseSource.STAFF,
        subject="A.B.",
        grade="7",
        concern="threatened to stab a classmate",
        actor=ACTOR,
    )
    request = d.file()
    request_assign(request_id=request.pk, officer_id=d.officer_a.pk, actor=d.dispatcher)
    d.file(actor=d.chief, school=s.school_b, summary="Fight at the bus loop")
    officer_duty_set(officer=d.officer_b, on_duty=False, actor=ACTOR)
    seed(s.district)
    completion_record(
        person=s.people[Role.SAFETY_ADMINISTRATOR],
        topic=Topic.objects.get(district=s.district, code="de-escalation"),
        hours=Decimal(8),
        completed_on=timezone.localdate() - dt.timedelta(days=3),
        actor=s.users[Role.SAFETY_ADMINISTRATOR],  # type: ignore[arg-type]
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_every_role_home_passes_axe_and_fits(
    browser: Any, live_server: Any, dispatch: DispatchScenario, size: str
) -> None:
    _fill_queues(dispatch)
    users = dispatch.s.users
    for role in (
        Role.SAFETY_ADMINISTRATOR,
        Role.PRINCIPAL,
        Role.SECURITY_CHIEF,
        Role.TRAINING_COORDINATOR,
        Role.SSO,
        Role.DISPATCHER,
    ):
        context = logged_in_context(
            browser, live_server.url, users[role], viewport=SIZES[size], locale="en-US"
        )
        page = context.new_page()
        page.set_default_timeout(8000)
        page.goto("/")
        label = f"{role.value} home ({size})"
        if role == Role.DISPATCHER:
            assert page.url.endswith("/dispatch/board/"), label
        else:
            items = page.locator("#needs-you-now li a")
            assert items.count() >= 1, label
        assert_no_horizontal_scroll(page, label=label)
        assert_accessible(page, label=label)
        context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_refusal_with_the_safety_reason_passes_axe_and_fits(
    browser: Any, live_server: Any, dispatch: DispatchScenario, size: str
) -> None:
    sa = dispatch.sa
    context = logged_in_context(browser, live_server.url, sa, viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(8000)
    page.goto("/dispatch/requests/new/")
    page.locator("#id_category").select_option("fight_assault")
    page.locator("#id_summary").fill("Student skipped 3rd period, please find him")
    page.locator("#request-form button[type=submit]").click()
    page.locator("#id_safety_reason").wait_for()
    assert "school's administration" in page.locator("#refused").inner_text()
    assert_no_horizontal_scroll(page, label=f"dispatch refusal ({size})")
    assert_accessible(page, label=f"dispatch refusal ({size})")
    page.locator("#id_safety_reason").fill("His friends say he went to meet a man with a gun")
    page.locator("#request-form button[type=submit]").click()
    page.wait_for_url("**/dispatch/requests/*/")
    context.close()
    tip = browser.new_context(base_url=live_server.url, viewport=SIZES[size], locale="es-US")
    page = tip.new_page()
    page.set_default_timeout(8000)
    page.goto("/tips/")
    page.locator("#id_what").fill("Kids vaping in the bathroom every day")
    page.locator("#id_place").fill("Gym")
    page.locator("input[name=urgency][value=soon]").check()
    page.locator("form.card button").click()
    page.locator("#id_safety_reason").wait_for()
    assert_no_horizontal_scroll(page, label=f"tip refusal (es, {size})")
    assert_accessible(page, label=f"tip refusal (es, {size})")
    tip.close()
