"""Acceptance 4: an anonymous tip, triage, a case, serious substantive, a plan task done, the
case closed; the reporter's tip-code page then shows "Closed"."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from safeops.threats.models import ThreatCase
from tests.safeops.factories import (
    PASSWORD,
    DistrictFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_tip_to_closed_case(browser: Any, live_server: Any) -> None:
    district = DistrictFactory(name="Threat district")
    school = SchoolFactory(district=district, name="Tip High")
    sa = PersonFactory(
        district=district,
        role=Role.SAFETY_ADMINISTRATOR,
        full_name="Sam Admin",
        user=UserFactory(username="sa-threat"),
    )
    Assignment.objects.create(person=sa, school=school, starts_on=timezone.localdate())
    base = live_server.url
    reporter = browser.new_context().new_page()
    reporter.goto(f"{base}/tips/")
    reporter.get_by_label("What did you see or hear?").fill("He said he will bring a knife Friday")
    reporter.get_by_label("Which school?").select_option(label="Tip High")
    reporter.get_by_label("Not urgent").check()
    reporter.get_by_role("button", name="Send the tip").click()
    code = reporter.locator("#tip-code").inner_text()
    phrase = reporter.locator("#tip-phrase").inner_text()
    assert reporter.context.cookies() == []

    staff = browser.new_context().new_page()
    staff.set_default_timeout(8000)
    staff.goto(f"{base}/accounts/login/")
    staff.get_by_label("Username").fill("sa-threat")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.wait_for_url(f"{base}/")
    staff.goto(f"{base}/threats/")
    staff.get_by_role("link", name=code).click()
    staff.get_by_role("button", name="Triage").click()
    staff.locator("#open-case").click()
    staff.get_by_label("Student number or initials").fill("K.M.")
    staff.get_by_label("Grade").fill("10")
    staff.get_by_role("button", name="Open the case").click()
    case_url = staff.url

    def record(kind: str, text: str) -> None:
        staff.locator("#record-form select[name=kind]").select_option(kind)
        staff.locator("#record-form textarea[name=body]").fill(text)
        staff.locator("#record-form button").click()

    def move(to: str, **fields: str) -> None:
        staff.locator("#move-form select[name=to]").select_option(to)
        for name, value in fields.items():
            staff.locator(f"#move-form [name={name}]").fill(value)
        staff.locator("#move-form button").click()

    record("interview", "Interviewed the student")
    move("serious")
    assert "Serious substantive" in staff.locator("#case-classification").inner_text()
    for kind in ("protective_action", "target_notified", "parents_notified"):
        record(kind, "Done")
    move("plan")
    staff.locator("#task-form [name=title]").fill("Counselor check-in")
    staff.locator("#task-form select[name=owner]").select_option(index=1)
    staff.locator("#task-form button").click()
    staff.get_by_role("button", name="Mark done").click()
    move("monitoring", follow_up_every_days="14")
    staff.locator("#follow-up-form textarea").fill("Doing well")
    staff.locator("#follow-up-form button").click()
    move("closed", reason="Plan complete; no further concern")
    assert staff.locator("#case-stage").inner_text() == "Closed", staff.content()[:3000]
    assert staff.url == case_url
    assert ThreatCase.objects.get().stage == "closed"

    reporter.goto(f"{base}/tips/status/")
    reporter.get_by_label("Tip code").fill(code)
    reporter.get_by_label("Secret phrase").fill(phrase)
    reporter.get_by_role("button", name="Show my tip").click()
    assert reporter.locator("#tip-status").inner_text() == "Closed"
    assert reporter.context.cookies() == []
