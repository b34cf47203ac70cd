"""The KRS 158.4414 SRO report and the 2022 HB 63 campus status, on a small district by hand
and on the demo district."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from safeops.core.models import AuditAction, AuditEntry
from safeops.demo.services import demo_seed
from safeops.reports.kentucky import MARSHAL_APPROVAL, NOT_MET, ON_SITE, campus_report, sro_report
from safeops.staff.choices import EmploymentMethod, FundingSource, Role
from safeops.staff.models import Assignment, MarshalApproval, Person
from safeops.staff.services import marshal_approval_record, sro_details_set
from safeops.zones.models import ZoneKind, ZoneMembership
from tests.safeops.factories import (
    DistrictFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db
START = dt.date(2026, 7, 1)
ON = dt.date(2026, 10, 1)


@pytest.fixture
def district():  # type: ignore[no-untyped-def]
    """One High has its own officer (a dedicated zone); Two and Three Elementary share a patrol
    officer; Two has the marshal's approval, Three has none (and an approval that lapsed)."""
    district = DistrictFactory(name="Small district")
    one = SchoolFactory(district=district, name="One High")
    two = SchoolFactory(district=district, name="Two Elementary")
    three = SchoolFactory(district=district, name="Three Elementary")
    dedicated = ZoneFactory(district=district, name="One High (dedicated)", kind=ZoneKind.DEDICATED)
    patrol = ZoneFactory(district=district, name="Patrol East")
    ZoneMembership.objects.create(zone=dedicated, school=one, starts_on=START)
    for school in (two, three):
        ZoneMembership.objects.create(zone=patrol, school=school, starts_on=START)
    for name, zone, method, funding in (
        ("Ann Post", dedicated, EmploymentMethod.DISTRICT_POLICE, FundingSource.DISTRICT_AND_STATE),
        ("Bo Patrol", patrol, EmploymentMethod.OUTSIDE_AGENCY, FundingSource.SHARED),
    ):
        officer = PersonFactory(district=district, role=Role.SSO, full_name=name, user=None)
        sro_details_set(
            person=officer, employment_method=method, funding_source=funding, actor="test"
        )
        Assignment.objects.create(person=officer, zone=zone, starts_on=START)
    marshal_approval_record(
        school=two, approved_on=dt.date(2026, 8, 3), reference="SSM-2026-014", actor="test"
    )
    marshal_approval_record(
        school=three,
        approved_on=dt.date(2025, 8, 1),
        reference="SSM-2025-002",
        ends_on=dt.date(2026, 7, 1),
        actor="test",
    )
    return district


def test_the_sro_report_counts_places_and_tells_funding_and_employment(district) -> None:  # type: ignore[no-untyped-def]
    report = sro_report(district_id=district.pk, on=ON)
    assert report.count == 2 and report.certified == 2
    rows = {row.name: row for row in report.rows}
    assert rows["Ann Post"].dedicated and rows["Ann Post"].schools == ["One High"]
    assert rows["Bo Patrol"].schools == ["Three Elementary", "Two Elementary"]
    assert rows["Bo Patrol"].employment_method == str(EmploymentMethod.OUTSIDE_AGENCY.label)
    assert dict(report.by_funding) == {
        str(FundingSource.DISTRICT_AND_STATE.label): 1,
        str(FundingSource.SHARED.label): 1,
    }
    assert sro_report(district_id=district.pk, on=START - dt.timedelta(days=1)).count == 0


def test_each_campus_has_an_sro_on_site_the_marshals_approval_or_neither(district) -> None:  # type: ignore[no-untyped-def]
    report = campus_report(district_id=district.pk, on=ON)
    rows = {row.name: row for row in report.rows}
    assert rows["One High"].status == ON_SITE and rows["One High"].officer == "Ann Post"
    assert rows["Two Elementary"].status == MARSHAL_APPROVAL
    assert rows["Two Elementary"].approved_on == dt.date(2026, 8, 3)
    assert rows["Two Elementary"].reference == "SSM-2026-014"
    assert rows["Three Elementary"].status == NOT_MET  # its approval lapsed on July 1
    assert rows["Three Elementary"].zone == "Patrol East"
    assert report.counts == {ON_SITE: 1, MARSHAL_APPROVAL: 1, NOT_MET: 1}
    # before the approval's date, Two had none
    before = campus_report(district_id=district.pk, on=dt.date(2026, 8, 2))
    assert {r.name: r.status for r in before.rows}["Two Elementary"] == NOT_MET


def test_sro_fields_are_for_officers_only(district) -> None:  # type: ignore[no-untyped-def]
    admin = PersonFactory(district=district, role=Role.SAFETY_ADMINISTRATOR, user=None)
    with pytest.raises(ValidationError):
        sro_details_set(
            person=admin,
            employment_method=EmploymentMethod.DISTRICT_POLICE,
            funding_source=FundingSource.DISTRICT,
            actor="test",
        )


def _login(district, role: Role) -> Client:  # type: ignore[no-untyped-def]
    person = PersonFactory(district=district, role=role, user=UserFactory())
    client = Client()
    client.force_login(person.user)
    return client


def test_the_chief_reads_both_reports_as_pages_and_csv_and_each_read_is_audited(district) -> None:  # type: ignore[no-untyped-def]
    chief = _login(district, Role.SECURITY_CHIEF)
    page = chief.get("/accountability/kentucky/sro/?on=2026-10-01").content.decode()
    assert "Bo Patrol" in page and str(FundingSource.SHARED.label) in page
    rows = list(
        csv.DictReader(
            io.StringIO(
                chief.get("/accountability/kentucky/sro.csv?on=2026-10-01").content.decode()
            )
        )
    )
    assert {row["officer"]: row["placement"] for row in rows} == {
        "Ann Post": "campus",
        "Bo Patrol": "patrol",
    }
    campuses = chief.get("/accountability/kentucky/campuses.csv?on=2026-10-01").content.decode()
    status = {row["school"]: row for row in csv.DictReader(io.StringIO(campuses))}
    assert status["Two Elementary"]["status"] == MARSHAL_APPROVAL
    assert status["Two Elementary"]["approved_on"] == "2026-08-03"
    assert chief.get("/accountability/kentucky/campuses/?on=2026-10-01").status_code == 200
    assert (
        AuditEntry.objects.filter(action=AuditAction.VIEW, note__contains="SRO report").count() == 2
    )
    for role in (Role.DISPATCHER, Role.COMMUNITY_MONITOR, Role.SSO):
        other = _login(district, role)
        assert other.get("/accountability/kentucky/sro/").status_code == 403
        assert other.get("/accountability/kentucky/campuses.csv").status_code == 403


def test_the_chief_records_a_marshal_approval_and_it_is_audited(district) -> None:  # type: ignore[no-untyped-def]
    three = district.schools.get(name="Three Elementary")
    form = {"school": three.pk, "approved_on": "2026-09-15", "reference": "SSM-2026-031"}
    monitor = _login(district, Role.COMMUNITY_MONITOR)
    assert monitor.post("/accountability/kentucky/campuses/", form).status_code == 403
    chief = _login(district, Role.SECURITY_CHIEF)
    response = chief.post("/accountability/kentucky/campuses/", form)
    assert response.status_code == 302
    approval = MarshalApproval.objects.get(reference="SSM-2026-031")
    assert approval.school == three and approval.approved_on == dt.date(2026, 9, 15)
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, model="staff.marshalapproval", object_id=str(approval.pk)
    ).exists()
    rows = {r.name: r for r in campus_report(district_id=district.pk, on=ON).rows}
    assert rows["Three Elementary"].status == MARSHAL_APPROVAL


def test_the_demo_district_has_both_kentucky_reports() -> None:
    district = demo_seed(schools=24).district
    today = timezone.localdate()
    sros = sro_report(district_id=district.pk, on=today)
    officers = Person.objects.filter(district=district, role=Role.SSO, active=True).count()
    assert 0 < sros.count <= officers
    assert all(row.employment_method and row.funding_source for row in sros.rows)
    assert sros.certified < sros.count  # the demo's one lapsed officer
    campuses = campus_report(district_id=district.pk, on=today)
    assert len(campuses.rows) == district.schools.filter(active=True).count()
    # the demo posts its officers in patrol zones: only a certified officer of a dedicated zone
    # is on site; every other patrol zone's campuses have the marshal's approval
    on_site = [row for row in sros.rows if row.dedicated and row.certified]
    assert campuses.counts[ON_SITE] == len(on_site)
    assert campuses.counts[MARSHAL_APPROVAL] > 0 and campuses.counts[NOT_MET] > 0
    approved = [row for row in campuses.rows if row.status == MARSHAL_APPROVAL]
    assert all(row.approved_on and row.reference.startswith("SSM-") for row in approved)
