"""Jobs in the admin: read-only, for the security chief only, with an audited "retry now"."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from safeops.core.jobs_ops import job_retry
from safeops.core.models import AuditEntry, Job, JobStatus
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict

pytestmark = pytest.mark.shared_scenario

LIST = "/admin/core/job/"


def _failed(kind: str = "drills.reminders") -> Job:
    now = timezone.now()
    return Job.objects.create(
        kind=kind,
        status=JobStatus.FAILED,
        run_after=now,
        attempts=3,
        finished_at=now,
        error="Traceback (most recent call last):\nRuntimeError: the mail server is down\n",
    )


def _client(scenario: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
def test_the_chief_lists_jobs_filtered_by_kind_and_status_with_the_error(
    scenario: ScenarioDistrict,
) -> None:
    failed = _failed()
    Job.objects.create(kind="training.reminders", run_after=timezone.now())
    client = _client(scenario, Role.SECURITY_CHIEF)
    response = client.get(LIST, {"status__exact": "failed", "kind": "drills.reminders"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "RuntimeError: the mail server is down" in text
    assert response.context["cl"].result_count == 1
    detail = client.get(f"{LIST}{failed.pk}/change/")
    assert detail.status_code == 200
    assert "Traceback (most recent call last)" in detail.content.decode()
    assert "Save" not in detail.content.decode()  # read-only
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{failed.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.DISPATCHER, Role.SAFETY_ADMINISTRATOR, Role.TRAINING_COORDINATOR]
)
def test_other_roles_cannot_see_jobs(scenario: ScenarioDistrict, role: Role) -> None:
    failed = _failed()
    client = _client(scenario, role)
    assert client.get(LIST).status_code in (302, 403)
    assert client.get(f"{LIST}{failed.pk}/change/").status_code in (302, 403)
    response = client.post(
        LIST, {"action": "retry_now", "_selected_action": [failed.pk], "index": 0}
    )
    assert response.status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED


@pytest.mark.django_db
def test_retry_now_queues_a_failed_job_again_and_is_audited(scenario: ScenarioDistrict) -> None:
    failed = _failed()
    done = Job.objects.create(
        kind="drills.reminders", status=JobStatus.DONE, run_after=timezone.now()
    )
    client = _client(scenario, Role.SECURITY_CHIEF)
    response = client.post(
        LIST,
        {"action": "retry_now", "_selected_action": [failed.pk, done.pk], "index": 0},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 job(s) queued again." in text
    assert f"Only a failed job can be retried; job {done.pk} is done." in text
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.finished_at) == (JobStatus.QUEUED, 0, None)
    assert "the mail server is down" in failed.error  # the last error stays visible
    entry = AuditEntry.objects.get(model="core.job", object_id=str(failed.pk))
    assert entry.note == "retry now"
    assert entry.actor == scenario.users[Role.SECURITY_CHIEF]
    assert entry.changes["status"] == ["failed", "queued"]


@pytest.mark.django_db
def test_the_retry_service_refuses_other_roles_and_unfailed_jobs(
    scenario: ScenarioDistrict,
) -> None:
    failed = _failed()
    with pytest.raises(PermissionDenied):
        job_retry(job_id=failed.pk, actor=scenario.users[Role.DISPATCHER])
    with pytest.raises(PermissionDenied):
        job_retry(job_id=failed.pk, actor="system:anything")
    queued = Job.objects.create(kind="drills.reminders", run_after=timezone.now())
    with pytest.raises(ValidationError):
        job_retry(job_id=queued.pk, actor=scenario.users[Role.SECURITY_CHIEF])
    assert not AuditEntry.objects.filter(model="core.job").exists()
