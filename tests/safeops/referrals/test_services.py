"""Referral services: the lifecycle table, events, consent, links, guard and follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from safeops.accounts.models import User
from safeops.core.discipline import DisciplineRefusal
from safeops.core.jobs import run_due_jobs
from safeops.core.models import (
    AuditEntry,
    DisciplineOverride,
    DisciplineRefusalRecord,
    Job,
    JobStatus,
)
from safeops.core.notify.models import ChannelPreference
from safeops.dispatch.choices import Disposition
from safeops.dispatch.models import SupportRequest
from safeops.referrals import exceptions as errors
from safeops.referrals.choices import TRANSITIONS, ConsentScope, Outcome, Status
from safeops.referrals.exceptions import ReferralConflict
from safeops.referrals.models import Referral, ReferralEvent
from safeops.referrals.selectors import referral_for_provider_token
from safeops.referrals.services import (
    FOLLOW_UP_JOB,
    follow_up_days,
    referral_follow_up_send,
    referral_provider_link_create,
    referral_transition,
)
from safeops.resources.categories import Category
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.threats.models import PlanTask, ThreatCase
from tests.safeops.factories import ScenarioDistrict, UserFactory
from tests.safeops.referrals.helpers import make_service, refer, two_way_consent

pytestmark = pytest.mark.shared_scenario


@pytest.fixture
def shelter(scenario: ScenarioDistrict) -> object:
    return make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)


def _sa(s: ScenarioDistrict) -> object:
    return s.users[Role.SAFETY_ADMINISTRATOR]


def test_the_lifecycle_table_is_the_issue_s() -> None:
    # sent → contacted → accepted or declined → services started → closed; close from any open.
    assert {
        Status.SENT: {Status.CONTACTED, Status.CLOSED},
        Status.CONTACTED: {Status.ACCEPTED, Status.DECLINED, Status.CLOSED},
        Status.ACCEPTED: {Status.SERVICES_STARTED, Status.CLOSED},
        Status.DECLINED: {Status.CLOSED},
        Status.SERVICES_STARTED: {Status.CLOSED},
        Status.CLOSED: set(),
    } == TRANSITIONS


def test_a_referral_walks_the_lifecycle_with_one_event_per_change(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    sa = _sa(scenario)
    referral = refer(sa, scenario.school_a, shelter)
    assert (referral.status, referral.student_label) == ("sent", "JD, grade 7")
    for to in ("contacted", "accepted", "services_started"):
        referral = referral_transition(referral=referral, to_status=to, actor=sa)
    referral = referral_transition(
        referral=referral, to_status="closed", outcome=Outcome.COMPLETED, actor=sa
    )
    assert referral.services_started_at is not None and referral.closed_at is not None
    events = list(ReferralEvent.objects.filter(referral=referral))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "sent"),
        ("sent", "contacted"),
        ("contacted", "accepted"),
        ("accepted", "services_started"),
        ("services_started", "closed"),
    ]
    assert {e.actor_label for e in events} == {"safety_administrator-a"}
    assert events[-1].outcome == "completed"
    assert AuditEntry.objects.filter(model="referrals.referral", action="update").count() == 4


def test_an_illegal_change_names_the_allowed_next(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    referral = refer(_sa(scenario), scenario.school_a, shelter)
    with pytest.raises(ReferralConflict) as caught:
        referral_transition(referral=referral, to_status="services_started", actor=_sa(scenario))
    assert caught.value.message == errors.ILLEGAL_TRANSITION.format(
        current="sent", target="services started", allowed="contacted, closed"
    )
    assert caught.value.allowed == ["contacted", "closed"]
    assert Referral.objects.get().status == "sent"


def test_closing_needs_an_outcome_and_only_closing_takes_one(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    referral = refer(_sa(scenario), scenario.school_a, shelter)
    with pytest.raises(ValidationError) as caught:
        referral_transition(referral=referral, to_status="closed", actor=_sa(scenario))
    assert caught.value.message_dict == {"outcome": [errors.OUTCOME_REQUIRED]}
    with pytest.raises(ValidationError) as caught:
        referral_transition(
            referral=referral, to_status="contacted", outcome="completed", actor=_sa(scenario)
        )
    assert caught.value.message_dict == {"outcome": [errors.OUTCOME_ONLY_ON_CLOSE]}


def test_a_discipline_note_is_refused_and_counted(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    with pytest.raises(DisciplineRefusal):
        refer(_sa(scenario), scenario.school_a, shelter, handoff_note="Refer after suspension")
    assert not Referral.objects.exists()
    assert DisciplineRefusalRecord.objects.get().source == "referrals"


# A support note the guard reads as skipping (a rule's topic, then the encoder); the referrer
# says why it is not (surgery).
SUPPORT_NOTE_READ_AS_SKIPPING = "He has missed 3rd period all week and is behind."


def test_a_refused_note_is_sent_when_the_referrer_says_why_it_is_not_discipline(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    sa = _sa(scenario)
    with pytest.raises(DisciplineRefusal) as refused:
        refer(sa, scenario.school_a, shelter, handoff_note=SUPPORT_NOTE_READ_AS_SKIPPING)
    assert refused.value.overridable
    with pytest.raises(ValidationError) as short:
        refer(
            sa,
            scenario.school_a,
            shelter,
            handoff_note=SUPPORT_NOTE_READ_AS_SKIPPING,
            support_reason="surgery",
        )
    assert list(short.value.message_dict) == ["support_reason"]
    assert not Referral.objects.exists()
    reason = "Missed class for surgery; the family asks for tutoring."
    referral = refer(
        sa,
        scenario.school_a,
        shelter,
        handoff_note=SUPPORT_NOTE_READ_AS_SKIPPING,
        support_reason=reason,
    )
    override = DisciplineOverride.objects.get()
    assert (override.source, override.reason, override.school_id) == (
        "referrals",
        reason,
        scenario.school_a.pk,
    )
    assert (override.target_model, override.target_id) == ("referrals.referral", str(referral.pk))
    assert override.actor == sa
    assert AuditEntry.objects.filter(model="core.disciplineoverride", action="create").count() == 1
    # Only the first (bare) attempt was counted as a refusal.
    assert DisciplineRefusalRecord.objects.count() == 1


def test_a_note_that_passes_records_no_override_even_with_a_reason(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    refer(
        _sa(scenario), scenario.school_a, shelter, support_reason="Not discipline at all, really."
    )
    assert not DisciplineOverride.objects.exists()


def test_the_student_needs_a_minimal_identifier(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        refer(_sa(scenario), scenario.school_a, shelter, student_initials="")
    assert "student_number" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        refer(_sa(scenario), scenario.school_a, shelter, student_initials="Jane Doe")
    assert "student_initials" in caught.value.message_dict


def test_consent_cannot_be_dated_in_the_future(scenario: ScenarioDistrict, shelter: object) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        refer(_sa(scenario), scenario.school_a, shelter, consent=two_way_consent(tomorrow))
    assert caught.value.message_dict == {"consent_given_on": [errors.CONSENT_IN_FUTURE]}


@pytest.mark.parametrize(
    ("role", "school", "message"),
    [
        (Role.PRINCIPAL, "a", errors.NOT_A_REFERRER),
        (Role.COURT_LIAISON, "a", errors.NOT_A_REFERRER),
        (Role.SAFETY_ADMINISTRATOR, "b", errors.SCHOOL_OUT_OF_SCOPE),
        (Role.COUNSELOR, "b", errors.SCHOOL_OUT_OF_SCOPE),
    ],
)
def test_who_may_refer_where(
    scenario: ScenarioDistrict, shelter: object, role: Role, school: str, message: str
) -> None:
    target = scenario.school_a if school == "a" else scenario.school_b
    with pytest.raises(PermissionDenied) as caught:
        refer(scenario.users[role], target, shelter)
    assert str(caught.value) == message


def test_an_mhp_refers_at_any_school_and_an_sso_in_their_zone(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    refer(scenario.users[Role.MENTAL_HEALTH_PRACTITIONER], scenario.school_b, shelter)
    refer(scenario.users[Role.SSO], scenario.high_a, shelter)
    with pytest.raises(PermissionDenied):
        refer(scenario.users[Role.SSO], scenario.school_b, shelter)


def _referred_request(s: ScenarioDistrict, school: object) -> SupportRequest:
    return SupportRequest.objects.create(
        district=s.district,
        school=school,
        latitude=38.2,
        longitude=-85.7,
        requester=s.users[Role.SAFETY_ADMINISTRATOR],
        requester_label="sa",
        category="person_in_crisis",
        priority="p2",
        summary="Student in crisis",
        status="cleared",
        officer=s.people[Role.SSO],
        disposition=Disposition.REFERRED,
    )


def test_a_referral_links_an_sso_disposition(scenario: ScenarioDistrict, shelter: object) -> None:
    request = _referred_request(scenario, scenario.school_a)
    referral = refer(
        scenario.users[Role.SSO], scenario.school_a, shelter, support_request_id=request.pk
    )
    assert referral.support_request_id == request.pk
    other = _referred_request(scenario, scenario.school_b)
    with pytest.raises(ValidationError) as caught:
        refer(_sa(scenario), scenario.school_a, shelter, support_request_id=other.pk)
    assert caught.value.message_dict == {"support_request": [errors.REQUEST_OTHER_SCHOOL]}
    SupportRequest.objects.filter(pk=request.pk).update(disposition=Disposition.REPORT_TAKEN)
    with pytest.raises(ValidationError):
        refer(_sa(scenario), scenario.school_a, shelter, support_request_id=request.pk)


def test_the_provider_link_reports_status_without_a_login(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    referral = refer(_sa(scenario), scenario.school_a, shelter)
    token = referral_provider_link_create(referral=referral, actor=_sa(scenario))
    referral.refresh_from_db()
    assert token not in referral.provider_token_hash and len(referral.provider_token_hash) == 64
    found = referral_for_provider_token(token=token)
    assert found is not None and found.pk == referral.pk
    assert referral_for_provider_token(token=token + "x") is None
    referral_transition(
        referral=found, to_status="contacted", actor="provider-link", via_provider_link=True
    )
    with pytest.raises(ValidationError):
        referral_transition(
            referral=found,
            to_status="closed",
            outcome="completed",
            actor="provider-link",
            via_provider_link=True,
        )
    event = ReferralEvent.objects.filter(referral=referral).last()
    assert event is not None and (event.via_provider_link, event.actor_id) == (True, None)


def test_the_provider_link_expires_and_needs_two_way_consent(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    referral = refer(_sa(scenario), scenario.school_a, shelter)
    token = referral_provider_link_create(referral=referral, actor=_sa(scenario))
    Referral.objects.filter(pk=referral.pk).update(
        provider_token_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert referral_for_provider_token(token=token) is None
    one_way = refer(
        _sa(scenario),
        scenario.school_a,
        shelter,
        consent=two_way_consent().__class__(
            given_by="parent_guardian",  # type: ignore[arg-type]
            given_on=timezone.localdate(),
            scope=ConsentScope.CONTACT_ONLY,
        ),
    )
    with pytest.raises(ValidationError) as caught:
        referral_provider_link_create(referral=one_way, actor=_sa(scenario))
    assert caught.value.message_dict == {"consent_scope": [errors.PROVIDER_LINK_NEEDS_TWO_WAY]}


def test_closing_revokes_the_provider_link(scenario: ScenarioDistrict, shelter: object) -> None:
    referral = refer(_sa(scenario), scenario.school_a, shelter)
    token = referral_provider_link_create(referral=referral, actor=_sa(scenario))
    referral_transition(
        referral=referral, to_status="closed", outcome=Outcome.NO_CONTACT, actor=_sa(scenario)
    )
    assert referral_for_provider_token(token=token) is None


def test_one_follow_up_timer_per_referral_moves_with_the_status(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    referral = refer(_sa(scenario), scenario.school_a, shelter)
    queued = Job.objects.filter(kind=FOLLOW_UP_JOB, status=JobStatus.QUEUED)
    assert queued.count() == 1
    assert queued.get().run_after == referral.status_changed_at + dt.timedelta(days=3)
    referral = referral_transition(referral=referral, to_status="contacted", actor=_sa(scenario))
    assert queued.count() == 1
    assert queued.get().run_after == referral.status_changed_at + dt.timedelta(days=5)
    referral_transition(
        referral=referral, to_status="closed", outcome=Outcome.OTHER, actor=_sa(scenario)
    )
    assert queued.count() == 0


def _sa_with_email(scenario: ScenarioDistrict) -> User:
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    sa.email = "sa@example.org"
    sa.save()
    return sa


def test_a_stalled_status_sends_one_reminder_to_the_referrer(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    sa = _sa_with_email(scenario)
    referral = refer(sa, scenario.school_a, shelter)
    assert run_due_jobs(now=timezone.now() + dt.timedelta(days=2)) == 0
    assert run_due_jobs(now=timezone.now() + dt.timedelta(days=3, minutes=1)) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sa@example.org"]
    assert mail.outbox[0].subject == f"Referral #{referral.pk}: still sent after 3 days"
    assert run_due_jobs(now=timezone.now() + dt.timedelta(days=30)) == 0
    assert len(mail.outbox) == 1


def test_the_reminder_is_worded_in_the_referrers_alert_language(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    sa = _sa_with_email(scenario)
    ChannelPreference.objects.create(user=sa, language="es")
    referral = refer(sa, scenario.school_a, shelter)
    assert run_due_jobs(now=timezone.now() + dt.timedelta(days=3, minutes=1)) == 1
    (message,) = mail.outbox
    assert message.subject == f"Derivación n.º {referral.pk}: sigue enviada después de 3 días"
    assert "Consulte con el proveedor" in message.body
    assert "Please check" not in message.body


def test_a_timer_for_a_status_that_moved_sends_nothing(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    referral = refer(_sa(scenario), scenario.school_a, shelter)
    stale = referral.status_changed_at.isoformat()
    referral_transition(referral=referral, to_status="contacted", actor=_sa(scenario))
    assert not referral_follow_up_send(referral_id=referral.pk, status="sent", changed_at=stale)
    assert mail.outbox == []


@override_settings(REFERRAL_FOLLOW_UP_DAYS="sent:1,bogus:2")
def test_a_bad_follow_up_setting_names_the_entry() -> None:
    with pytest.raises(ImproperlyConfigured, match="'bogus:2'"):
        follow_up_days()


def _plan_task(s: ScenarioDistrict, school: School) -> PlanTask:
    case = ThreatCase(district=s.district, school=school, source="staff", grade="7")
    case.subject = "JD"
    case.concern = "Said he would bring something to school."
    case.save()
    return PlanTask.objects.create(
        case=case,
        title="Refer to community mental health",
        owner=s.people[Role.SAFETY_ADMINISTRATOR],
        due_on=timezone.localdate(),
    )


def test_a_referral_carries_out_a_plan_task_the_referrer_can_see(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    task = _plan_task(scenario, scenario.school_a)
    referral = refer(_sa(scenario), scenario.school_a, shelter, plan_task_id=task.pk)
    assert referral.plan_task_id == task.pk
    other = _plan_task(scenario, scenario.school_b)
    with pytest.raises(ValidationError) as caught:
        refer(_sa(scenario), scenario.school_a, shelter, plan_task_id=other.pk)
    assert caught.value.message_dict == {"plan_task": [errors.PLAN_TASK_NOT_LINKABLE]}
    # A counselor who is not on the case team does not see the case: no link.
    with pytest.raises(ValidationError):
        refer(
            scenario.users[Role.COUNSELOR],
            scenario.school_a,
            shelter,
            plan_task_id=task.pk,
        )


def test_the_plan_task_shows_only_to_those_who_see_the_case(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    task = _plan_task(scenario, scenario.school_a)
    referral = refer(_sa(scenario), scenario.school_a, shelter, plan_task_id=task.pk)
    seen = {}
    for role in (Role.SAFETY_ADMINISTRATOR, Role.COUNSELOR):
        client = Client()
        client.force_login(scenario.users[role])  # type: ignore[arg-type]
        page = client.get(f"/referrals/{referral.pk}/").content.decode()
        api = client.get(f"/api/referrals/{referral.pk}").json()
        seen[role] = ("Refer to community mental health" in page, api["plan_task_id"])
    assert seen == {
        Role.SAFETY_ADMINISTRATOR: (True, task.pk),
        Role.COUNSELOR: (False, None),
    }


def test_an_administrator_without_a_staff_role_may_refer(
    scenario: ScenarioDistrict, shelter: object
) -> None:
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    referral = refer(admin, scenario.school_b, shelter)
    assert (referral.referrer_label, referral.referrer_role) == ("root", "")
