"""Facility audits: the default Kentucky checklist, findings, remediation, scores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safeops.facilities.models import AuditTemplate, ItemResult
from safeops.facilities.selectors import facility_scores_for_user
from safeops.facilities.services import (
    DEFAULT_ITEMS,
    RESULTS_INCOMPLETE,
    audit_score,
    facility_audit_record,
    facility_defaults_seed,
    finding_photo_add,
    remediation_reinspect,
    remediation_task_create,
)
from safeops.staff.choices import Role
from tests.safeops.facilities.fixture import audit_results
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.images import has_metadata, jpeg_with_gps

pytestmark = pytest.mark.shared_scenario

ACTOR = "system:test"


@pytest.fixture
def template(scenario: ScenarioDistrict) -> AuditTemplate:
    return facility_defaults_seed(district=scenario.district, actor=ACTOR)


def test_the_default_checklist_holds_the_kentucky_items(template: AuditTemplate) -> None:
    codes = list(template.items.values_list("code", flat=True))
    assert codes == [code for code, *_ in DEFAULT_ITEMS]
    texts = " ".join(template.items.values_list("text", flat=True))
    for phrase in (
        "electronic lock, a camera and an intercom",
        "lock from outside",
        "kept locked",
        "evacuation routes",
        "safe zones",
        "front doors",
        "Exterior doors",
    ):
        assert phrase in texts
    again = facility_defaults_seed(district=template.district, actor=ACTOR)
    assert again.pk == template.pk and again.items.count() == len(DEFAULT_ITEMS)


def test_score_is_the_weighted_share_of_applicable_items_passed(template: AuditTemplate) -> None:
    items = {item.code: item for item in template.items.all()}
    total = sum(item.weight for item in items.values())  # 20
    failing = {"main_entrance", "safe_zones"}  # weights 3 + 2
    results = {
        item: ItemResult.FAIL if code in failing else ItemResult.PASS
        for code, item in items.items()
    }
    assert total == 20
    assert audit_score(results) == 75.0
    results[items["exterior_doors"]] = ItemResult.NOT_APPLICABLE  # weight 3 leaves 17
    assert audit_score(results) == round(100 * 12 / 17, 1)


def test_failed_items_open_findings_and_a_reinspection_closes_them(
    scenario: ScenarioDistrict, template: AuditTemplate
) -> None:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    with pytest.raises(ValidationError, match=r"8 missing"):
        facility_audit_record(
            school=scenario.school_a,
            template=template,
            conducted_on=dt.date(2026, 10, 1),
            results={},
            actor=sa,  # type: ignore[arg-type]
        )
    assert RESULTS_INCOMPLETE.format(missing=8).endswith("(8 missing).")
    audit = facility_audit_record(
        school=scenario.school_a,
        template=template,
        conducted_on=dt.date(2026, 10, 1),
        results=audit_results(template, {"front_cameras"}),
        actor=sa,  # type: ignore[arg-type]
    )
    finding = audit.findings.get()
    assert finding.severity == "medium"
    assert finding.description == "Cameras at the front doors work: broken"
    photo = finding_photo_add(
        finding=finding,
        upload=SimpleUploadedFile("cam.jpg", jpeg_with_gps()),
        actor=sa,  # type: ignore[arg-type]
    )
    assert photo.content_type == "image/jpeg"
    with photo.file.open("rb") as handle:
        assert not has_metadata(handle.read())  # the GPS position and camera are gone
    with pytest.raises(ValidationError):
        finding_photo_add(
            finding=finding,
            upload=SimpleUploadedFile("x.jpg", b"%PDF-1.4"),
            actor=sa,  # type: ignore[arg-type]
        )
    task = remediation_task_create(
        finding=finding,
        description="Replace camera",
        owner=scenario.people[Role.PRINCIPAL],
        due_on=dt.date(2026, 10, 15),
        actor=sa,
    )
    task = remediation_reinspect(
        task=task,
        passed=False,
        note="Still dark",
        on=dt.date(2026, 10, 16),
        actor=sa,  # type: ignore[arg-type]
    )
    finding.refresh_from_db()
    assert task.closed_on is None and finding.is_open
    remediation_reinspect(task=task, passed=True, note="Works", on=dt.date(2026, 10, 20), actor=sa)  # type: ignore[arg-type]
    finding.refresh_from_db()
    assert finding.closed_on == dt.date(2026, 10, 20)


def test_scores_roll_up_for_the_district(
    scenario: ScenarioDistrict, template: AuditTemplate
) -> None:
    for school, failing, day in (
        (scenario.school_a, {"main_entrance"}, 1),  # 85.0, superseded
        (scenario.school_a, set(), 5),  # 100.0
        (scenario.school_b, {"main_entrance", "safe_zones"}, 3),  # 75.0
    ):
        facility_audit_record(
            school=school,
            template=template,
            conducted_on=dt.date(2026, 10, day),
            results=audit_results(template, failing),
            actor=ACTOR,
        )
    chief = facility_scores_for_user(user=scenario.users[Role.SECURITY_CHIEF])
    assert chief.average == 87.5 and chief.audited == 2
    assert [r.school.name for r in chief.rows][:2] == ["A High", "B High"]  # never audited first
    sa = facility_scores_for_user(user=scenario.users[Role.SAFETY_ADMINISTRATOR])
    assert [(r.school.name, r.latest.score if r.latest else None) for r in sa.rows] == [
        ("A Middle", 100.0)
    ]
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    assert "87.5" in client.get("/facilities/").content.decode()
