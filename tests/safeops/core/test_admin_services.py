"""The admin writes only through services (issue 13, finding 1).

Every registered ModelAdmin is read-only for every role, or declares the service adapters it
writes through and keeps the base class's routing. The reported exploits are replayed through the
real admin URLs: the POST carries every field the change page offers, so on an admin that lets the
form save the model directly, the change lands.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import timezone

from safeops.access.admin_site import READ_ONLY, ScopedInline, ScopedModelAdmin, declares_writes
from safeops.core.models import AuditEntry
from safeops.incidents.models import Incident, IncidentKind
from safeops.incidents.services import incident_record
from safeops.safetyplans.services import plan_create
from safeops.staff.choices import Role
from safeops.threats.models import CaseTeamMember, TeamMember, ThreatLead
from safeops.training.models import CertificationType, Completion, RecordStatus, Topic
from safeops.training.services import (
    NOT_YOUR_OWN,
    certification_record,
    completion_confirm,
    completion_record,
)
from tests.safeops.drills.helpers import kentucky_year
from tests.safeops.factories import ScenarioDistrict, UserFactory
from tests.safeops.threats.helpers import make_case
from tests.safeops.training.helpers import seed

pytestmark = pytest.mark.shared_scenario

# Logins and tokens: superusers only, with Django's own auth forms (no safeops service).
SUPERUSER_ONLY = {"accounts.user", "accounts.apitoken", "auth.group", "schools.district"}


class _FormFields(HTMLParser):
    """The values a browser would submit from the admin's change form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = "on"
            else:
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n")


def _post_change(client: Client, url: str, changes: dict[str, Any]) -> int:
    """GET the admin page, submit every field it offers with `changes` applied."""
    page = client.get(url)
    fields = _FormFields()
    fields.feed(page.content.decode())
    data = {k: v for k, v in fields.data.items() if k != "csrfmiddlewaretoken"}
    data.update(changes)
    data["_save"] = "Save"
    return client.post(url, data).status_code


def _login(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


# --- The structural rule ---------------------------------------------------------------------


def _writes(model_admin: Any, request: Any) -> list[str]:
    allowed = []
    if model_admin.has_add_permission(request):
        allowed.append("add")
    if model_admin.has_change_permission(request):
        allowed.append("change")
    if model_admin.has_delete_permission(request):
        allowed.append("delete")
    return allowed


def test_every_admin_is_read_only_or_writes_through_declared_services(
    scenario: ScenarioDistrict,
) -> None:
    """A new admin cannot bypass the services: without `service_writes` it offers no write,
    for any role (superusers included), and a declaring admin keeps the base class's routing."""
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    users = [*scenario.users.values(), superuser]
    problems = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in SUPERUSER_ONLY:
            for role, user in scenario.users.items():
                request = RequestFactory().get("/admin/")
                request.user = user  # type: ignore[assignment]
                if model_admin.has_module_permission(request) or _writes(model_admin, request):
                    problems.append(f"{label}: open to {role}")
            continue
        if not isinstance(model_admin, ScopedModelAdmin):  # e.g. the audit log: no write at all
            for user in users:
                request = RequestFactory().get("/admin/")
                request.user = user  # type: ignore[assignment]
                if _writes(model_admin, request):
                    problems.append(f"{label}: writes outside ScopedModelAdmin for {user}")
            continue
        for method in ("save_model", "delete_model", "save_formset", "save_related"):
            if getattr(type(model_admin), method) is not getattr(ScopedModelAdmin, method):
                problems.append(f"{label}: overrides {method} (writes must use service_writes)")
        for inline_class in model_admin.inlines:
            if not issubclass(inline_class, ScopedInline):
                problems.append(f"{label}: inline {inline_class.__name__} is not a ScopedInline")
        for user in users:
            request = RequestFactory().get("/admin/")
            request.user = user  # type: ignore[assignment]
            allowed = _writes(model_admin, request)
            writes = model_admin.service_writes
            declared = {
                "add": writes.create is not None,
                "change": writes.update is not None,
                "delete": writes.delete is not None,
            }
            for action in allowed:
                if not declared[action]:
                    problems.append(f"{label}: {user} may {action} without a service")
            for inline in model_admin.get_inline_instances(request):
                inline_writes = getattr(inline, "service_writes", READ_ONLY)
                for action, ok in (
                    ("add", inline.has_add_permission(request, None)),
                    ("change", inline.has_change_permission(request, None)),
                    ("delete", inline.has_delete_permission(request, None)),
                ):
                    needed = {
                        "add": inline_writes.create,
                        "change": inline_writes.update,
                        "delete": inline_writes.delete,
                    }[action]
                    if ok and needed is None:
                        problems.append(f"{label} inline {type(inline).__name__}: {action}")
    assert problems == []


SENSITIVE = (
    "training.completion",
    "training.certification",
    "incidents.incident",
    "safetyplans.safetyplan",
    "threats.threatcase",
    "threats.tip",
    "referrals.referral",
    "dispatch.supportrequest",
)


def test_sensitive_records_are_read_only_in_the_admin_and_their_reads_audited() -> None:
    by_label = {m._meta.label_lower: a for m, a in admin.site._registry.items()}
    for label in SENSITIVE:
        assert not declares_writes(by_label[label]), label
    for label in SENSITIVE[:-1]:  # dispatch requests are operational, not student records
        assert by_label[label].audit_reads, label


# --- The reported exploits, through the admin's URLs ----------------------------------------


def test_an_sso_cannot_change_their_own_pops_expiry(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    sso = scenario.people[Role.SSO]
    pops = certification_record(
        person=sso,
        certification_type=CertificationType.objects.get(district=scenario.district, code="pops"),
        issued_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2027, 1, 1),
        actor="system:test",
    )
    client = _login(scenario.users[Role.SSO])
    _post_change(
        client, f"/admin/training/certification/{pops.pk}/change/", {"expires_on": "2031-01-01"}
    )
    pops.refresh_from_db()
    assert pops.expires_on == dt.date(2027, 1, 1)


def _pending_completion(scenario: ScenarioDistrict) -> Completion:
    seed(scenario.district)
    return completion_record(
        person=scenario.people[Role.SSO],
        topic=Topic.objects.filter(district=scenario.district).first(),  # type: ignore[arg-type]
        hours=Decimal(2),
        completed_on=timezone.localdate() - dt.timedelta(days=3),
        actor=scenario.users[Role.SSO],  # type: ignore[arg-type]
    )


def test_an_sso_cannot_confirm_their_own_training_with_199_hours(
    scenario: ScenarioDistrict,
) -> None:
    completion = _pending_completion(scenario)
    assert completion.status == RecordStatus.PENDING
    client = _login(scenario.users[Role.SSO])
    _post_change(
        client,
        f"/admin/training/completion/{completion.pk}/change/",
        {"status": RecordStatus.CONFIRMED, "hours": "199"},
    )
    completion.refresh_from_db()
    assert (completion.status, completion.hours) == (RecordStatus.PENDING, Decimal(2))


def test_an_sso_cannot_move_a_completion_to_another_officer(scenario: ScenarioDistrict) -> None:
    completion = _pending_completion(scenario)
    other = scenario.person_b
    client = _login(scenario.users[Role.SSO])
    _post_change(
        client, f"/admin/training/completion/{completion.pk}/change/", {"person": str(other.pk)}
    )
    completion.refresh_from_db()
    assert completion.person_id == scenario.people[Role.SSO].pk


def test_an_sa_cannot_move_an_incident_or_write_discipline_into_it(
    scenario: ScenarioDistrict,
) -> None:
    incident = incident_record(
        school=scenario.school_a,
        kind=IncidentKind.FIGHT,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        place="Cafeteria",
        summary="Two students fighting.",
        actions_taken="Separated them.",
        actor=scenario.users[Role.SAFETY_ADMINISTRATOR],  # type: ignore[arg-type]
    )
    client = _login(scenario.users[Role.SAFETY_ADMINISTRATOR])
    _post_change(
        client,
        f"/admin/incidents/incident/{incident.pk}/change/",
        {"school": str(scenario.school_b.pk), "summary": "Give him a three-day suspension."},
    )
    incident = Incident.objects.get(pk=incident.pk)
    assert incident.school_id == scenario.school_a.pk
    assert "suspension" not in incident.summary


def test_an_sa_cannot_edit_a_plans_sharing_in_the_admin(scenario: ScenarioDistrict) -> None:
    year = kentucky_year(scenario.district, start_year=2026)
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    plan = plan_create(school=scenario.school_a, school_year=year, actor=sa)  # type: ignore[arg-type]
    client = _login(sa)
    _post_change(
        client,
        f"/admin/safetyplans/safetyplan/{plan.pk}/change/",
        {"shared_with_responders_on": "2026-09-01"},
    )
    plan.refresh_from_db()
    assert plan.shared_with_responders_on is None


# --- Self-confirmation: impossible anywhere ---------------------------------------------------


def test_nobody_confirms_their_own_training(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    coordinator = scenario.people[Role.TRAINING_COORDINATOR]
    user = scenario.users[Role.TRAINING_COORDINATOR]
    own = completion_record(
        person=coordinator,
        topic=Topic.objects.filter(district=scenario.district).first(),  # type: ignore[arg-type]
        hours=Decimal(4),
        completed_on=timezone.localdate() - dt.timedelta(days=1),
        actor=user,  # type: ignore[arg-type]
    )
    assert own.status == RecordStatus.PENDING  # the office's own entry is not self-confirmed
    with pytest.raises(PermissionDenied, match=re.escape(str(NOT_YOUR_OWN))):
        completion_confirm(completion=own, actor=user)  # type: ignore[arg-type]
    page = _login(user).post(f"/training/completion/{own.pk}/decide/", {"decision": "confirm"})
    assert page.status_code == 403
    own.refresh_from_db()
    assert own.status == RecordStatus.PENDING
    completion_confirm(completion=own, actor=scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    own.refresh_from_db()
    assert own.status == RecordStatus.CONFIRMED


# --- Writes that stay: through the services, audited ------------------------------------------


def test_the_chief_edits_a_school_through_the_service_with_an_audit_entry(
    scenario: ScenarioDistrict,
) -> None:
    client = _login(scenario.users[Role.SECURITY_CHIEF])
    school = scenario.school_a
    status = _post_change(
        client, f"/admin/schools/school/{school.pk}/change/", {"enrollment": "612"}
    )
    assert status == 302
    school.refresh_from_db()
    assert school.enrollment == 612
    entry = AuditEntry.objects.get(model="schools.school", object_id=str(school.pk))
    assert entry.note == "admin" and entry.changes["enrollment"] == [400, 612]


def test_a_refused_service_write_shows_the_reason_and_saves_nothing(
    scenario: ScenarioDistrict,
) -> None:
    client = _login(scenario.users[Role.SECURITY_CHIEF])
    sso = scenario.people[Role.SSO]
    before = sso.assignments.count()  # type: ignore[attr-defined]
    response = client.post(
        "/admin/staff/assignment/add/",
        {"person": sso.pk, "school": scenario.school_a.pk, "starts_on": "2026-01-05"},
        follow=True,
    )
    assert response.status_code == 200
    assert "zone" in response.content.decode().lower()
    assert sso.assignments.count() == before  # type: ignore[attr-defined]


# --- Threat lead and teams (finding 7) ------------------------------------------------------


def test_the_chief_cannot_make_himself_threat_lead_in_the_admin(
    scenario: ScenarioDistrict,
) -> None:
    chief = scenario.people[Role.SECURITY_CHIEF]
    client = _login(scenario.users[Role.SECURITY_CHIEF])
    today = timezone.localdate().isoformat()
    client.post(
        "/admin/threats/threatlead/add/",
        {"district": scenario.district.pk, "person": chief.pk, "starts_on": today, "_save": "1"},
    )
    assert not ThreatLead.objects.filter(person=chief).exists()
    dispatcher = scenario.people[Role.DISPATCHER]
    client.post(
        "/admin/threats/threatlead/add/",
        {"district": scenario.district.pk, "person": dispatcher.pk, "starts_on": today},
    )
    assert not ThreatLead.objects.filter(person=dispatcher).exists()
    specialist = scenario.people[Role.VIOLENCE_PREVENTION_SPECIALIST]
    client.post(
        "/admin/threats/threatlead/add/",
        {"district": scenario.district.pk, "person": specialist.pk, "starts_on": today},
    )
    lead = ThreatLead.objects.get(person=specialist)
    entry = AuditEntry.objects.get(model="threats.threatlead", object_id=str(lead.pk))
    assert entry.actor == scenario.users[Role.SECURITY_CHIEF] and entry.action == "create"


def test_an_sa_cannot_add_a_dispatcher_to_a_case_team(scenario: ScenarioDistrict) -> None:
    case = make_case(scenario.school_a)
    client = _login(scenario.users[Role.SAFETY_ADMINISTRATOR])
    dispatcher = scenario.people[Role.DISPATCHER]
    client.post(f"/threats/cases/{case.pk}/team/", {"person_id": dispatcher.pk})
    assert not CaseTeamMember.objects.filter(case=case, person=dispatcher).exists()
    counselor = scenario.people[Role.COUNSELOR]
    client.post(f"/threats/cases/{case.pk}/team/", {"person_id": counselor.pk})
    assert CaseTeamMember.objects.filter(case=case, person=counselor).exists()


def test_a_dispatcher_cannot_join_a_school_team_in_the_admin(scenario: ScenarioDistrict) -> None:
    client = _login(scenario.users[Role.SECURITY_CHIEF])
    dispatcher = scenario.people[Role.DISPATCHER]
    client.post(
        "/admin/threats/teammember/add/",
        {
            "school": scenario.school_a.pk,
            "person": dispatcher.pk,
            "team_role": "x",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert not TeamMember.objects.filter(person=dispatcher).exists()
