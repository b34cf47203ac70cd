"""The safety plan workflow: SA drafts, principal approves, versions kept and compared, the
dated steps, and floor plans checked by their bytes."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import translation

from safeops.core.images import image_without_metadata
from safeops.core.uploads import FILE_TOO_LARGE, FILE_TYPE_REFUSED
from safeops.safetyplans.models import (
    SECTION_KEYS,
    PlanAttachment,
    PlanEvent,
    PlanStatus,
    SafetyPlan,
)
from safeops.safetyplans.selectors import plan_steps
from safeops.safetyplans.services import (
    BRIEFING_LATE,
    NOT_APPROVED,
    NOT_SUBMITTED,
    ONLY_PRINCIPAL_APPROVES,
    ONLY_SA_DRAFTS,
    attachment_add,
    plan_approve,
    plan_create,
    plan_record_briefing,
    plan_record_shared,
    plan_return,
    plan_save_version,
    plan_submit,
)
from safeops.staff.choices import Role
from tests.safeops.drills.helpers import kentucky_year
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.images import png_bytes

pytestmark = pytest.mark.shared_scenario

FULL = {key: f"{key} procedure" for key in SECTION_KEYS}

LOCAL = ZoneInfo("America/Kentucky/Louisville")


def test_an_error_with_a_value_in_it_reads_in_the_users_language(
    scenario: ScenarioDistrict, plan: SafetyPlan
) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        plan_create(school=scenario.school_a, school_year=plan.school_year, actor=sa)  # type: ignore[arg-type]
    assert refused.value.messages == [
        f"Esta escuela ya tiene un plan de seguridad para {plan.school_year}."
    ]


@pytest.fixture
def plan(scenario: ScenarioDistrict) -> SafetyPlan:
    year = kentucky_year(scenario.district, start_year=2026)
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    return plan_create(school=scenario.school_a, school_year=year, actor=sa)  # type: ignore[arg-type]


def test_sa_drafts_principal_approves_and_every_version_is_kept(
    scenario: ScenarioDistrict, plan: SafetyPlan
) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    principal = scenario.users[Role.PRINCIPAL]
    partial = {**FULL, "cardiac": ""}
    plan_save_version(plan=plan, sections=partial, actor=sa)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        plan_submit(plan=plan, actor=sa)  # type: ignore[arg-type]
    assert caught.value.messages == [
        "Complete every required section before submitting: "
        "Cardiac emergency response and AED locations."
    ]
    plan_save_version(plan=plan, sections=FULL, actor=sa)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=NOT_SUBMITTED):
        plan_approve(plan=plan, actor=principal)  # type: ignore[arg-type]
    plan = plan_submit(plan=plan, actor=sa)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match=ONLY_PRINCIPAL_APPROVES):
        plan_approve(plan=plan, actor=sa)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match=re.escape(ONLY_SA_DRAFTS)):
        plan_save_version(plan=plan, sections=FULL, actor=scenario.users[Role.COUNSELOR])  # type: ignore[arg-type]
    plan = plan_approve(plan=plan, actor=principal)  # type: ignore[arg-type]
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_version is not None and plan.approved_version.number == 3
    # An edit after approval is a new draft; the approved version stays recorded.
    plan_save_version(plan=plan, sections={**FULL, "fire": "new route"}, actor=sa)  # type: ignore[arg-type]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.approved_version.number == 3  # type: ignore[union-attr]
    assert list(plan.versions.values_list("number", flat=True)) == [4, 3, 2, 1]
    assert list(PlanEvent.objects.filter(plan=plan).values_list("kind", flat=True)) == [
        "saved",
        "approved",
        "submitted",
        "saved",
        "saved",
    ]


def test_the_principal_may_return_a_plan(scenario: ScenarioDistrict, plan: SafetyPlan) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    plan_save_version(plan=plan, sections=FULL, actor=sa)  # type: ignore[arg-type]
    plan_submit(plan=plan, actor=sa)  # type: ignore[arg-type]
    plan = plan_return(plan=plan, actor=scenario.users[Role.PRINCIPAL], note="Add the AED map")  # type: ignore[arg-type]
    assert plan.status == PlanStatus.DRAFT


def test_versions_are_compared_section_by_section(
    scenario: ScenarioDistrict, plan: SafetyPlan
) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    plan_save_version(plan=plan, sections=FULL, actor=sa)  # type: ignore[arg-type]
    plan_save_version(plan=plan, sections={**FULL, "fire": "north field assembly"}, actor=sa)  # type: ignore[arg-type]
    client = Client()
    client.force_login(scenario.users[Role.PRINCIPAL])  # type: ignore[arg-type]
    page = client.get(f"/plans/{plan.pk}/compare/?old=2&new=3").content.decode()
    assert "<del>- fire procedure</del>" in page
    assert "<ins>+ north field assembly</ins>" in page
    assert page.count("(unchanged)") == len(SECTION_KEYS) - 1


def test_missing_steps_show_as_due_and_are_recorded(
    scenario: ScenarioDistrict, plan: SafetyPlan
) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    steps = {s.key: s.state for s in plan_steps(plan, on=dt.date(2026, 8, 1))}
    assert steps == {"approval": "due", "briefing": "due", "shared": "due", "review": "upcoming"}
    late = {s.key: s.state for s in plan_steps(plan, on=dt.date(2026, 8, 20))}
    assert late["briefing"] == "overdue"
    with pytest.raises(ValidationError, match=NOT_APPROVED):
        plan_record_shared(plan=plan, on=dt.date(2026, 8, 5), shared_with="Fire", actor=sa)  # type: ignore[arg-type]
    on_first_day = dt.datetime(2026, 8, 12, 8, 0, tzinfo=LOCAL)
    with pytest.raises(ValidationError) as caught:
        plan_record_briefing(plan=plan, at=on_first_day, attendance=5, notes="", actor=sa)  # type: ignore[arg-type]
    assert caught.value.message_dict == {"briefing_at": [BRIEFING_LATE.format(day="2026-08-12")]}
    before = dt.datetime(2026, 8, 10, 13, 30, tzinfo=LOCAL)
    plan = plan_record_briefing(plan=plan, at=before, attendance=84, notes="", actor=sa)  # type: ignore[arg-type]
    steps = {s.key: s for s in plan_steps(plan, on=dt.date(2026, 8, 20))}
    assert steps["briefing"].state == "done"
    assert steps["briefing"].done == "2026-08-10 13:30, 84 attended"


PNG = png_bytes()


def test_floor_plans_are_checked_by_their_bytes(
    scenario: ScenarioDistrict, plan: SafetyPlan
) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        attachment_add(plan=plan, kind="floor_plan", title="Floor", upload=fake, actor=sa)  # type: ignore[arg-type]
    assert caught.value.message_dict == {"file": [FILE_TYPE_REFUSED.format(kinds="PDF, PNG, JPEG")]}
    image = SimpleUploadedFile("plan.txt", PNG, content_type="text/plain")
    stored = attachment_add(plan=plan, kind="floor_plan", title="Floor", upload=image, actor=sa)  # type: ignore[arg-type]
    stored_png = image_without_metadata(PNG, "image/png")  # what is kept: no metadata
    assert (stored.content_type, stored.size) == ("image/png", len(stored_png))
    with override_settings(SAFEOPS_UPLOAD_MAX_BYTES=len(PNG) - 1):
        big = SimpleUploadedFile("big.png", PNG, content_type="image/png")
        with pytest.raises(ValidationError) as caught:
            attachment_add(plan=plan, kind="floor_plan", title="Big", upload=big, actor=sa)  # type: ignore[arg-type]
        assert caught.value.message_dict == {"file": [FILE_TOO_LARGE.format(limit=0)]}
    client = Client()
    client.force_login(scenario.users[Role.SSO])  # type: ignore[arg-type]
    response = client.get(f"/plans/files/{stored.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == stored_png  # type: ignore[attr-defined]


def test_the_workflow_through_the_pages(scenario: ScenarioDistrict, plan: SafetyPlan) -> None:
    sa, principal = Client(), Client()
    sa.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    principal.force_login(scenario.users[Role.PRINCIPAL])  # type: ignore[arg-type]
    assert sa.post(f"/plans/{plan.pk}/edit/", {**FULL, "note": "v2"}).status_code == 302
    assert sa.post(f"/plans/{plan.pk}/submit/").status_code == 302
    sa.post(f"/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    principal.post(f"/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    page = principal.get(f"/plans/{plan.pk}/").content.decode()
    assert "Approved" in page and "north field" not in page


def test_each_role_is_offered_only_its_own_step(
    scenario: ScenarioDistrict, plan: SafetyPlan
) -> None:
    sa_user = scenario.users[Role.SAFETY_ADMINISTRATOR]
    plan_save_version(plan=plan, sections=FULL, actor=sa_user)  # type: ignore[arg-type]
    sa, principal = Client(), Client()
    sa.force_login(sa_user)  # type: ignore[arg-type]
    principal.force_login(scenario.users[Role.PRINCIPAL])  # type: ignore[arg-type]
    edit_link = f'href="/plans/{plan.pk}/edit/"'
    assert edit_link in sa.get(f"/plans/{plan.pk}/").content.decode()
    assert edit_link not in principal.get(f"/plans/{plan.pk}/").content.decode()
    plan_submit(plan=plan, actor=sa_user)  # type: ignore[arg-type]
    approve_action = f'action="/plans/{plan.pk}/approve/"'
    assert approve_action in principal.get(f"/plans/{plan.pk}/").content.decode()
    assert approve_action not in sa.get(f"/plans/{plan.pk}/").content.decode()


def test_a_floor_plan_uploads_through_the_page(
    scenario: ScenarioDistrict, plan: SafetyPlan
) -> None:
    client = Client()
    client.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    upload = SimpleUploadedFile("floor.png", PNG, content_type="image/png")
    response = client.post(
        f"/plans/{plan.pk}/files/", {"kind": "floor_plan", "title": "Ground floor", "file": upload}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    stored = PlanAttachment.objects.get(plan=plan)
    assert (stored.title, stored.content_type) == ("Ground floor", "image/png")
