"""Who reads an SSO report and its hand-offs: every role, through the pages and the admin.

Written out by hand: the officer who wrote it (zone A's SSO), the SSO supervisors
(dispatchers) and the chief. Nobody else: not SAs, principals, counselors, support staff, nor
another zone's officer. Every read is audited with the acting user."""

from __future__ import annotations

import pytest
from django.test import Client

from safeops.core.models import AuditEntry
from safeops.ssoreports.choices import HandoffKind
from safeops.ssoreports.models import SsoReport
from safeops.ssoreports.services import ConsentInput, ReportInput, handoff_record, sso_report_save
from safeops.staff.choices import Role
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.ssoreports.conftest import cleared

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

READS_REPORT = {Role.SSO, Role.DISPATCHER, Role.SECURITY_CHIEF}
# Hand-off rows (no narrative): the supervisors, the officer, and the role each is addressed to.
READS_COURT_NOTICE = {Role.SSO, Role.DISPATCHER, Role.SECURITY_CHIEF, Role.COURT_LIAISON}


@pytest.fixture
def report(dispatch: DispatchScenario) -> SsoReport:
    from django.utils import timezone  # noqa: PLC0415

    request = cleared(dispatch, disposition="arrest")
    handoff_record(
        request_id=request.pk,
        kind=HandoffKind.COURT_LIAISON_NOTICE,
        actor=dispatch.officer_a.user,
        consent=ConsentInput(
            given_by="parent_guardian",  # type: ignore[arg-type]
            given_on=timezone.localdate(),
            confirmed=True,
        ),
        note="Court date pending.",
    )
    return sso_report_save(
        request_id=request.pk,
        actor=dispatch.officer_a.user,
        data=ReportInput(narrative="Narrative of the arrest at the bus loop, sealed."),
    )


@pytest.mark.parametrize("role", list(Role))
def test_report_pages_by_role(dispatch: DispatchScenario, report: SsoReport, role: Role) -> None:
    client = Client()
    user = dispatch.s.users[role]
    client.force_login(user)  # type: ignore[arg-type]
    detail = client.get(f"/sso-reports/{report.pk}/")
    after = client.get(f"/sso-reports/requests/{report.request_id}/")
    listing = client.get("/sso-reports/")
    sees = role in READS_REPORT
    assert (detail.status_code == 200) == sees, detail.status_code
    assert (after.status_code == 200) == sees
    assert (listing.status_code == 200) == sees
    assert (b"Narrative of the arrest" in detail.content) == sees
    assert (b"Narrative of the arrest" in listing.content) is False  # lists carry no narrative
    reads = AuditEntry.objects.filter(
        model="ssoreports.ssoreport", action="view", actor=user, object_id=str(report.pk)
    )
    assert reads.count() == (2 if sees else 0)  # the report and the after-the-call page
    exports = AuditEntry.objects.filter(model="ssoreports.ssoreport", action="export", actor=user)
    assert exports.count() == (1 if sees else 0)
    if not sees:
        assert detail.status_code in (403, 404)


@pytest.mark.parametrize("role", list(Role))
def test_handoff_list_by_role(dispatch: DispatchScenario, report: SsoReport, role: Role) -> None:
    client = Client()
    client.force_login(dispatch.s.users[role])  # type: ignore[arg-type]
    response = client.get("/sso-reports/handoffs/")
    sees = role in READS_COURT_NOTICE
    if role == Role.MENTAL_HEALTH_PRACTITIONER:  # the page, but not a court notice
        assert response.status_code == 200 and b"Court date pending" not in response.content
        return
    assert (response.status_code == 200) == sees
    assert (b"Court date pending" in response.content) == sees


def test_another_zones_officer_sees_nothing(dispatch: DispatchScenario, report: SsoReport) -> None:
    client = Client()
    client.force_login(dispatch.officer_b.user)  # type: ignore[arg-type]
    assert client.get(f"/sso-reports/{report.pk}/").status_code == 404
    assert client.get(f"/sso-reports/requests/{report.request_id}/").status_code == 404
    assert b"Court date pending" not in client.get("/sso-reports/handoffs/").content


@pytest.mark.parametrize("role", list(Role))
def test_admin_is_read_only_and_scoped(
    dispatch: DispatchScenario, report: SsoReport, role: Role
) -> None:
    client = Client()
    user = dispatch.s.users[role]
    client.force_login(user)  # type: ignore[arg-type]
    url = f"/admin/ssoreports/ssoreport/{report.pk}/change/"
    response = client.get(url)
    if role in READS_REPORT:
        assert response.status_code == 200
        assert b"Narrative of the arrest" not in response.content  # no narrative in the admin
        assert b'name="_save"' not in response.content  # read-only
        assert AuditEntry.objects.filter(
            model="ssoreports.ssoreport", action="view", actor=user
        ).exists()
        posted = client.post(url, {"outside_agency": "changed"})
        assert posted.status_code in (403, 302, 200)
        report.refresh_from_db()
        assert report.outside_agency == ""
    else:
        assert response.status_code in (302, 403, 404)
