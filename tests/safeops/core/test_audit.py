"""Every create, update and delete is in the audit log with actor and before/after values."""

from __future__ import annotations

import pytest
from django.test import Client

from safeops.core.models import AuditAction, AuditEntry
from safeops.core.services import model_create, model_delete, model_update
from safeops.schools.models import School
from safeops.staff.choices import Role
from tests.safeops.factories import DistrictFactory, ScenarioDistrict

pytestmark = pytest.mark.shared_scenario


@pytest.mark.django_db
def test_service_writes_record_actor_and_before_after_values() -> None:
    district = DistrictFactory()
    school = model_create(
        model=School,
        actor="system:test",
        district=district,
        name="Audit Elementary",
        level="elementary",
        latitude=38.2,
        longitude=-85.7,
    )
    model_update(instance=school, actor="system:test", data={"enrollment": 321})
    model_update(instance=school, actor="system:test", data={"enrollment": 321})  # no change
    school_id = str(school.pk)
    model_delete(instance=school, actor="system:test")

    entries = list(
        AuditEntry.objects.filter(model="schools.school", object_id=school_id).order_by("id")
    )
    assert [e.action for e in entries] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
    ]
    assert entries[0].changes["name"] == [None, "Audit Elementary"]
    assert entries[1].changes == {"enrollment": [None, 321]}
    assert entries[2].changes["name"] == ["Audit Elementary", None]
    assert all(e.actor_label == "system:test" for e in entries)


@pytest.mark.django_db
def test_admin_edit_is_audited_with_the_acting_user(scenario: ScenarioDistrict) -> None:
    chief = scenario.users[Role.SECURITY_CHIEF]
    client = Client()
    client.force_login(chief)  # type: ignore[arg-type]
    school = scenario.school_a
    response = client.post(
        f"/admin/schools/school/{school.pk}/change/",
        {
            "district": scenario.district.pk,
            "name": school.name,
            "code": "",
            "nces_id": "",
            "level": school.level,
            "grade_low": "",
            "grade_high": "",
            "address": "1 New Street",
            "latitude": school.latitude,
            "longitude": school.longitude,
            "enrollment": 777,
            "feeder_high_school": school.feeder_high_school_id,
            "resides_high_school": "",
            "active": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(
        model="schools.school", object_id=str(school.pk), action="update"
    )
    assert entry.actor == chief
    assert entry.changes["address"] == ["", "1 New Street"]
    assert entry.changes["enrollment"] == [400, 777]


@pytest.mark.django_db
def test_audit_entries_cannot_be_edited_or_deleted_in_the_admin(scenario: ScenarioDistrict) -> None:
    entry = AuditEntry.objects.create(
        actor_label="x", action="create", model="m", object_id="1", object_repr="r"
    )
    client = Client()
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"actor_label": "forged"})
    client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    entry.refresh_from_db()
    assert entry.actor_label == "x"


@pytest.mark.django_db
def test_only_the_chief_reads_the_audit_log(scenario: ScenarioDistrict) -> None:
    client = Client()
    client.force_login(scenario.users[Role.DISPATCHER])  # type: ignore[arg-type]
    assert client.get("/admin/core/auditentry/").status_code == 403
    client.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    assert client.get("/admin/core/auditentry/").status_code == 200
