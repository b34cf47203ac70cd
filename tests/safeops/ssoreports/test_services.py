"""Writing the SSO report and the hand-offs: who may, what is checked, what is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from safeops.core.discipline import DisciplineRefusal
from safeops.core.models import AuditEntry, DisciplineRefusalRecord
from safeops.dispatch.services import request_assign, request_transition
from safeops.ssoreports import exceptions as errors
from safeops.ssoreports.choices import ConsentGivenBy, HandoffKind
from safeops.ssoreports.models import CASE_NEEDS_AGENCY, CONSENT_REQUIRED, Handoff, SsoReport
from safeops.ssoreports.services import (
    ConsentInput,
    ReportInput,
    handoff_record,
    sso_report_save,
)
from safeops.staff.choices import Role
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.ssoreports.conftest import attended, cleared

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]
NARRATIVE = "Two students fighting near the gym; separated, one treated by EMS."


def test_the_officer_writes_a_sealed_audited_report(dispatch: DispatchScenario) -> None:
    request = attended(dispatch)
    now = timezone.now()
    report = sso_report_save(
        request_id=request.pk,
        actor=dispatch.officer_a.user,
        data=ReportInput(
            narrative=NARRATIVE,
            outside_agency="Metro Police",
            case_number="24-001234",
            call_911_at=now - dt.timedelta(minutes=20),
            agency_on_scene_at=now - dt.timedelta(minutes=12),
            handed_off_at=now - dt.timedelta(minutes=5),
        ),
    )
    report.refresh_from_db()
    assert report.narrative == NARRATIVE and report.author == dispatch.officer_a
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT narrative_sealed FROM ssoreports_ssoreport WHERE id = %s", [report.pk]
        )
        stored = cursor.fetchone()[0]
    assert stored.startswith("fernet:") and "gym" not in stored
    entry = AuditEntry.objects.get(model="ssoreports.ssoreport", action="create")
    assert "gym" not in str(entry.changes)
    # A second save updates the same report (one per request) and is audited as an update.
    sso_report_save(
        request_id=request.pk,
        actor=dispatch.officer_a.user,
        data=ReportInput(narrative=NARRATIVE + " Parent called."),
    )
    assert SsoReport.objects.count() == 1
    assert AuditEntry.objects.filter(model="ssoreports.ssoreport", action="update").count() == 1


@pytest.mark.parametrize("who", ["officer_b", "sa", "dispatcher", "chief"])
def test_only_the_officer_holding_the_request_writes(dispatch: DispatchScenario, who: str) -> None:
    request = attended(dispatch)
    user = dispatch.officer_b.user if who == "officer_b" else getattr(dispatch, who)
    with pytest.raises(PermissionDenied) as refused:
        sso_report_save(request_id=request.pk, actor=user, data=ReportInput(narrative=NARRATIVE))
    assert str(refused.value) == str(errors.NOT_THE_OFFICER)
    assert not SsoReport.objects.exists()


def test_a_report_waits_for_the_officer_on_scene(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    with pytest.raises(ValidationError) as refused:
        sso_report_save(
            request_id=request.pk, actor=dispatch.officer_a.user, data=ReportInput(narrative="x")
        )
    assert refused.value.messages == [str(errors.NOT_ATTENDED)]


def test_a_call_returned_as_discipline_gets_no_report(dispatch: DispatchScenario) -> None:
    """SSOs do not handle discipline: no law-enforcement record of a student-discipline call,
    even with a narrative the guard would pass."""
    request = cleared(dispatch, disposition="discipline")
    narratives = [
        "Went to the classroom; spoke with the assistant principal.",
        # a discipline narrative is refused for the return, not counted again by the guard
        "Student was vaping in the bathroom; sent to the AP.",
    ]
    for narrative in narratives:
        with pytest.raises(ValidationError) as refused:
            sso_report_save(
                request_id=request.pk,
                actor=dispatch.officer_a.user,
                data=ReportInput(narrative=narrative),
            )
        assert refused.value.messages == [str(errors.RETURNED_AS_DISCIPLINE)]
    assert not SsoReport.objects.exists()
    assert not DisciplineRefusalRecord.objects.exists()


def test_times_and_case_number_are_checked(dispatch: DispatchScenario) -> None:
    request = attended(dispatch)
    now = timezone.now()
    cases = [
        (ReportInput(narrative="x", case_number="24-1"), "outside_agency", CASE_NEEDS_AGENCY),
        (
            ReportInput(narrative="x", call_911_at=now + dt.timedelta(hours=1)),
            "call_911_at",
            errors.IN_FUTURE,
        ),
        (
            ReportInput(
                narrative="x",
                call_911_at=now - dt.timedelta(minutes=5),
                handed_off_at=now - dt.timedelta(minutes=10),
            ),
            "handed_off_at",
            None,
        ),
    ]
    for data, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            sso_report_save(request_id=request.pk, actor=dispatch.officer_a.user, data=data)
        assert field in refused.value.message_dict
        if message is not None:
            assert refused.value.message_dict[field] == [str(message)]
    assert not SsoReport.objects.exists()


def test_discipline_is_refused_and_counted_without_its_text(dispatch: DispatchScenario) -> None:
    request = attended(dispatch)
    with pytest.raises(DisciplineRefusal):
        sso_report_save(
            request_id=request.pk,
            actor=dispatch.officer_a.user,
            data=ReportInput(narrative="Student was defiant about the dress code."),
        )
    assert not SsoReport.objects.exists()
    record = DisciplineRefusalRecord.objects.get()
    assert record.source == "ssoreports" and record.school_id == request.school_id


def _consent(**overrides: object) -> ConsentInput:
    fields: dict[str, object] = {
        "given_by": ConsentGivenBy.PARENT_GUARDIAN,
        "given_on": timezone.localdate(),
        "confirmed": True,
    }
    fields.update(overrides)
    return ConsentInput(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("disposition", "category", "offered"),
    [
        ("referred", "fight_assault", {HandoffKind.SUPPORT_REFERRAL}),
        ("arrest", "fight_assault", {HandoffKind.COURT_LIAISON_NOTICE}),
        ("citation", "fight_assault", {HandoffKind.COURT_LIAISON_NOTICE}),
        (
            "arrest",
            "weapon",
            {HandoffKind.COURT_LIAISON_NOTICE, HandoffKind.GUN_VIOLENCE_REFERRAL},
        ),
        ("resolved_on_scene", "weapon", {HandoffKind.GUN_VIOLENCE_REFERRAL}),
        ("resolved_on_scene", "fight_assault", set()),
    ],
)
def test_each_outcome_offers_its_handoffs_only(
    dispatch: DispatchScenario, disposition: str, category: str, offered: set[HandoffKind]
) -> None:
    request = cleared(dispatch, disposition=disposition, category=category)
    for kind in HandoffKind:
        consent = _consent() if kind == HandoffKind.COURT_LIAISON_NOTICE else None
        if kind in offered:
            handoff = handoff_record(
                request_id=request.pk, kind=kind, actor=dispatch.officer_a.user, consent=consent
            )
            assert handoff.kind == kind and handoff.officer == dispatch.officer_a
        else:
            with pytest.raises(ValidationError) as refused:
                handoff_record(
                    request_id=request.pk, kind=kind, actor=dispatch.officer_a.user, consent=consent
                )
            assert refused.value.messages == [str(errors.HANDOFF_NOT_OFFERED)]
    assert {h.kind for h in Handoff.objects.filter(request=request)} == offered
    audited = AuditEntry.objects.filter(model="ssoreports.handoff", action="create").count()
    assert audited == len(offered)


def test_the_report_can_name_a_weapon_and_offer_the_gun_violence_referral(
    dispatch: DispatchScenario,
) -> None:
    request = cleared(dispatch, disposition="report_taken")
    with pytest.raises(ValidationError):
        handoff_record(
            request_id=request.pk,
            kind=HandoffKind.GUN_VIOLENCE_REFERRAL,
            actor=dispatch.officer_a.user,
        )
    sso_report_save(
        request_id=request.pk,
        actor=dispatch.officer_a.user,
        data=ReportInput(narrative="A handgun was found in a backpack.", weapon_involved=True),
    )
    handoff = handoff_record(
        request_id=request.pk, kind=HandoffKind.GUN_VIOLENCE_REFERRAL, actor=dispatch.officer_a.user
    )
    assert handoff.kind == HandoffKind.GUN_VIOLENCE_REFERRAL


def test_a_handoff_counts_once(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch, disposition="referred")
    first = handoff_record(
        request_id=request.pk, kind=HandoffKind.SUPPORT_REFERRAL, actor=dispatch.officer_a.user
    )
    again = handoff_record(
        request_id=request.pk, kind=HandoffKind.SUPPORT_REFERRAL, actor=dispatch.officer_a.user
    )
    assert first.pk == again.pk and Handoff.objects.count() == 1
    assert AuditEntry.objects.filter(model="ssoreports.handoff").count() == 1


@pytest.mark.parametrize("consent", [None, "unconfirmed", "no_date"])
def test_the_court_notice_needs_confirmed_consent(
    dispatch: DispatchScenario, consent: object
) -> None:
    request = cleared(dispatch, disposition="arrest")
    given = None
    if consent == "unconfirmed":
        given = _consent(confirmed=False)
    elif consent == "no_date":
        given = _consent(given_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        handoff_record(
            request_id=request.pk,
            kind=HandoffKind.COURT_LIAISON_NOTICE,
            actor=dispatch.officer_a.user,
            consent=given,
        )
    expected = errors.CONSENT_IN_FUTURE if consent == "no_date" else CONSENT_REQUIRED
    assert str(expected) in refused.value.messages
    assert not Handoff.objects.exists()


def test_the_court_notice_note_is_sealed_and_guarded(dispatch: DispatchScenario) -> None:
    request = cleared(dispatch, disposition="citation")
    with pytest.raises(DisciplineRefusal):
        handoff_record(
            request_id=request.pk,
            kind=HandoffKind.COURT_LIAISON_NOTICE,
            actor=dispatch.officer_a.user,
            consent=_consent(),
            note="Student got detention for skipping class",
        )
    notice = handoff_record(
        request_id=request.pk,
        kind=HandoffKind.COURT_LIAISON_NOTICE,
        actor=dispatch.officer_a.user,
        consent=_consent(),
        note="Juvenile citation for trespass; parent present.",
    )
    notice.refresh_from_db()
    assert notice.note.startswith("Juvenile") and notice.note_sealed.startswith("fernet:")


def test_handoffs_follow_a_cleared_request_of_the_officer(dispatch: DispatchScenario) -> None:
    request = attended(dispatch)
    with pytest.raises(ValidationError) as refused:
        handoff_record(
            request_id=request.pk, kind=HandoffKind.SUPPORT_REFERRAL, actor=dispatch.officer_a.user
        )
    assert refused.value.messages == [str(errors.NOT_CLEARED)]
    request_transition(
        request_id=request.pk,
        to_status="cleared",
        disposition="referred",
        actor=dispatch.officer_a.user,
    )
    with pytest.raises(PermissionDenied):
        handoff_record(
            request_id=request.pk,
            kind=HandoffKind.SUPPORT_REFERRAL,
            actor=dispatch.s.users[Role.SAFETY_ADMINISTRATOR],
        )
