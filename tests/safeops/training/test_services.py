"""Seeding, records and confirmation, the LMS import (acceptance 3), and the lapsed-SSO flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safeops.core.models import AuditEntry
from safeops.staff.choices import Role
from safeops.training.defaults import DEFAULT_TOPICS
from safeops.training.models import (
    CertificateFile,
    Completion,
    RecordStatus,
    Requirement,
    Topic,
)
from safeops.training.selectors import assess_people, lapsed_officers
from safeops.training.services import (
    TrainingImportError,
    certificate_attach,
    completion_confirm,
    completion_record,
    completions_import_csv,
    training_defaults_seed,
)
from tests.safeops.factories import PersonFactory, ScenarioDistrict
from tests.safeops.training.helpers import ACTOR, done, firearm, pops, seed

pytestmark = pytest.mark.shared_scenario

ISSUE_TOPICS = [
    "Cross-cultural communication / implicit bias",
    "De-escalation",
    "Restorative practices",
    "Trauma-informed care",
    "Safe crisis management",
    "MTSS",
    "PBIS",
    "Students with IDEA/504 protections",
    "Student Support and Behavior Intervention Handbook",
    "Bullying resources",
    "New employee training",
    "SRO I",
    "SRO II",
    "SRO III",
    "Active-shooter training (yearly)",
    "POPS in-service",
]


def test_the_defaults_are_the_issue_topics_and_seeding_is_idempotent(
    scenario: ScenarioDistrict,
) -> None:
    created = training_defaults_seed(district=scenario.district, actor=ACTOR, from_year=2026)
    assert created > 30
    assert [t.name for t in DEFAULT_TOPICS] == ISSUE_TOPICS
    assert training_defaults_seed(district=scenario.district, actor=ACTOR, from_year=2026) == 0
    hours = {
        t.code: t.courses.get().hours  # type: ignore[attr-defined]
        for t in Topic.objects.filter(code__in=["sro-1", "sro-2", "sro-3", "pops-in-service"])
    }
    assert set(hours.values()) == {Decimal(40)}
    assert Topic.objects.get(code="active-shooter").courses.get().hours == 1  # type: ignore[attr-defined]
    rows = {
        (r.role, r.credit, r.hours, r.lapse_when_unmet)
        for r in Requirement.objects.filter(district=scenario.district)
    }
    assert rows == {
        (Role.SAFETY_ADMINISTRATOR, "district", Decimal(60), False),
        (Role.SSO, "district", Decimal(60), False),
        (Role.SSO, "state", Decimal(40), True),
    }


def test_own_entries_wait_for_the_coordinator(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    topic = Topic.objects.get(code="de-escalation")
    mine = completion_record(
        person=sa,
        topic=topic,
        hours=Decimal(8),
        completed_on=dt.date(2026, 9, 1),
        actor=scenario.users[Role.SAFETY_ADMINISTRATOR],  # type: ignore[arg-type]
    )
    assert mine.status == RecordStatus.PENDING
    on = dt.date(2026, 10, 1)
    assert assess_people(district_id=sa.district_id, people=[sa], on=on)[sa.pk].hours[0].earned == 0
    with pytest.raises(PermissionDenied):
        completion_record(
            person=scenario.person_b,
            topic=topic,
            hours=Decimal(8),
            completed_on=dt.date(2026, 9, 1),
            actor=scenario.users[Role.SAFETY_ADMINISTRATOR],  # type: ignore[arg-type]
        )
    with pytest.raises(PermissionDenied):
        completion_confirm(completion=mine, actor=scenario.users[Role.PRINCIPAL])  # type: ignore[arg-type]
    completion_confirm(completion=mine, actor=scenario.users[Role.TRAINING_COORDINATOR])  # type: ignore[arg-type]
    assert assess_people(district_id=sa.district_id, people=[sa], on=on)[sa.pk].hours[0].earned == 8
    with pytest.raises(ValidationError, match="already confirmed"):
        completion_confirm(completion=mine, actor=scenario.users[Role.TRAINING_COORDINATOR])  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        completion_record(
            person=sa,
            topic=topic,
            hours=Decimal(1),
            completed_on=dt.date(2999, 1, 1),
            actor=ACTOR,
        )


def test_certificate_files_are_checked_by_type_and_size(
    scenario: ScenarioDistrict, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    seed(scenario.district)
    sso = scenario.people[Role.SSO]
    cert = pops(sso, dt.date(2027, 1, 1))
    user = scenario.users[Role.SSO]
    stored = certificate_attach(
        upload=SimpleUploadedFile("pops.pdf", b"%PDF-1.4 certificate"),
        certification=cert,
        actor=user,  # type: ignore[arg-type]
    )
    assert (stored.content_type, stored.size, stored.person_id) == ("application/pdf", 20, sso.pk)
    with pytest.raises(ValidationError, match="Only PDF, PNG, JPEG"):
        certificate_attach(
            upload=SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"),
            certification=cert,
            actor=user,  # type: ignore[arg-type]
        )
    settings.SAFEOPS_UPLOAD_MAX_BYTES = 10  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="larger than"):
        certificate_attach(
            upload=SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 20),
            certification=cert,
            actor=user,  # type: ignore[arg-type]
        )
    assert CertificateFile.objects.count() == 1


def test_a_record_with_a_rejected_certificate_file_is_not_written(
    scenario: ScenarioDistrict, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    seed(scenario.district)
    sso = scenario.people[Role.SSO]
    user = scenario.users[Role.SSO]
    topic = Topic.objects.get(district_id=sso.district_id, code="de-escalation")
    with pytest.raises(ValidationError, match="Only PDF, PNG, JPEG"):
        completion_record(
            person=sso,
            topic=topic,
            hours=Decimal(4),
            completed_on=dt.date(2026, 9, 1),
            actor=user,
            certificate=SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert not Completion.objects.filter(person=sso).exists()
    completion = completion_record(
        person=sso,
        topic=topic,
        hours=Decimal(4),
        completed_on=dt.date(2026, 9, 1),
        actor=user,
        certificate=SimpleUploadedFile("ok.pdf", b"%PDF-1.4 certificate"),
    )
    assert CertificateFile.objects.filter(completion=completion).count() == 1


CSV_HEADER = "email,topic,hours,completed_on,course,provider,lms_id\n"


def _people(scenario: ScenarioDistrict) -> tuple[object, object]:
    sa = scenario.people[Role.SAFETY_ADMINISTRATOR]
    sso = scenario.people[Role.SSO]
    sa.email, sso.email = "sa@example.org", "sso@example.org"
    sa.save()
    sso.save()
    return sa, sso


def test_an_lms_file_with_two_bad_rows_names_both_lines_and_writes_nothing(
    scenario: ScenarioDistrict,
) -> None:
    seed(scenario.district)
    _people(scenario)
    text = (
        CSV_HEADER
        + "sa@example.org,de-escalation,8,2026-09-01,,,L1\n"
        + "nobody@example.org,de-escalation,8,2026-09-01,,,L2\n"
        + "SSO@example.org,POPS in-service,40,2026-09-03,,KLEC,L3\n"
        + "sso@example.org,de-escalation,eight,2026-13-01,,,L4\n"
    )
    before = AuditEntry.objects.count()
    with pytest.raises(TrainingImportError) as rejected:
        completions_import_csv(district=scenario.district, text=text, actor=ACTOR)
    assert rejected.value.errors == [
        "line 3: no active person with e-mail 'nobody@example.org' in the district.",
        "line 5: hours must be a number between 0.25 and 200, not 'eight'.",
        "line 5: completed_on '2026-13-01' is not a date (YYYY-MM-DD).",
    ]
    assert Completion.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_valid_lms_file_imports_confirmed_and_reimports_unchanged(
    scenario: ScenarioDistrict,
) -> None:
    seed(scenario.district)
    _people(scenario)
    text = (
        CSV_HEADER
        + "sa@example.org,de-escalation,8,2026-09-01,,,L1\n"
        + "sso@example.org,,,2026-09-03,sro-2,,L3\n"
        + "sso@example.org,Active-shooter training (yearly),1,2026-09-04,,,\n"
    )
    first = completions_import_csv(district=scenario.district, text=text, actor=ACTOR)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    rows = Completion.objects.order_by("completed_on")
    assert [(r.topic.code, r.hours, r.status, r.source) for r in rows] == [
        ("de-escalation", Decimal(8), "confirmed", "lms"),
        ("sro-2", Decimal(40), "confirmed", "lms"),
        ("active-shooter", Decimal(1), "confirmed", "lms"),
    ]
    again = completions_import_csv(
        district=scenario.district,
        text=CSV_HEADER + text.split("\n", 1)[1].split("\n")[0],
        actor=ACTOR,
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = completions_import_csv(
        district=scenario.district,
        text=CSV_HEADER + "sa@example.org,de-escalation,6,2026-09-01,,,L1\n",
        actor=ACTOR,
    )
    assert (changed.created, changed.updated) == (0, 1)
    assert Completion.objects.count() == 3
    with pytest.raises(TrainingImportError, match="1 error"):
        completions_import_csv(district=scenario.district, text="name,hours\nx,1\n", actor=ACTOR)


def test_the_lms_import_is_for_the_training_office(scenario: ScenarioDistrict) -> None:
    seed(scenario.district)
    with pytest.raises(PermissionDenied):
        completions_import_csv(
            district=scenario.district,
            text=CSV_HEADER,
            actor=scenario.users[Role.SAFETY_ADMINISTRATOR],  # type: ignore[arg-type]
        )


def test_lapsed_officers_flags_expired_pops_and_unmet_sro_hours(
    scenario: ScenarioDistrict, django_assert_max_num_queries: object
) -> None:
    seed(scenario.district)
    district = scenario.district
    current = scenario.people[Role.SSO]
    expired = PersonFactory(district=district, role=Role.SSO, user=None, full_name="Expired")
    short = PersonFactory(district=district, role=Role.SSO, user=None, full_name="Short")
    no_pops = PersonFactory(district=district, role=Role.SSO, user=None, full_name="No POPS")
    PersonFactory(district=district, role=Role.SSO, user=None, active=False)
    for officer in (current, short, no_pops):
        done(officer, "pops-in-service", 40, dt.date(2025, 10, 1)) if officer != short else None
    done(expired, "sro-2", 40, dt.date(2026, 3, 1))
    done(short, "pops-in-service", 12, dt.date(2026, 2, 1))
    for officer in (current, short):
        pops(officer, dt.date(2028, 1, 1))
    pops(expired, dt.date(2026, 10, 1))
    for officer in (current, expired, short, no_pops):
        firearm(officer, dt.date(2027, 6, 1))
    on = dt.date(2026, 11, 28)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        flags = lapsed_officers(district_id=district.pk, on=on)
    assert flags == {
        expired.pk: "POPS certification expired 2026-10-01",
        short.pk: "SRO in-service: 12 of 40 h for 2025-26",
        no_pops.pk: "No POPS certification on file",
    }
    # Make-up hours booked to 2025-26 clear the flag.
    done(short, "pops-in-service", 28, dt.date(2026, 11, 20), counts_for=2025)
    assert short.pk not in lapsed_officers(district_id=district.pk, on=on)
    assert lapsed_officers(district_id=district.pk + 999, on=on) == {}
