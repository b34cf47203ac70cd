"""The tip line and the CSTAG workflow: alerts, follow-up, hoax flags, rate limits, required
records, plan tasks and the lead's override, monitoring timers, teams, fairness, retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from safeops.core.crypto import decrypt_bytes
from safeops.core.discipline import DisciplineRefusal
from safeops.core.images import image_without_metadata
from safeops.core.jobs import run_due_jobs
from safeops.core.models import AuditEntry, DisciplineOverride, DisciplineRefusalRecord
from safeops.core.notify.models import ChannelPreference
from safeops.dispatch.models import DispatchEvent
from safeops.staff.choices import Role
from safeops.threats import services, tips
from safeops.threats.choices import CaseSource, RecordKind, Stage, TipCloseReason, TipStatus
from safeops.threats.models import EnrollmentGroup, TeamMember, ThreatCase, ThreatLead, Tip
from safeops.threats.selectors import fairness_for_lead, team_status_for_user
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.images import png_bytes

pytestmark = pytest.mark.shared_scenario

ACTOR = "system:test"


def _tip(
    s: ScenarioDistrict, what: str = "He said he will shoot up the school", **kw: object
) -> tips.TipReceipt:
    fields: dict[str, object] = dict(
        district=s.district,
        school=s.school_a,
        place="",
        what=what,
        when_text="",
        urgency="soon",
        address="192.0.2.1",
    )
    fields.update(kw)
    return tips.tip_submit(**fields)  # type: ignore[arg-type]


def test_imminent_tip_alerts_dispatch_without_the_narrative(scenario: ScenarioDistrict) -> None:
    receipt = _tip(scenario, urgency="imminent")
    event = DispatchEvent.objects.get()
    assert "shoot" not in repr(event.payload)
    assert "call 911" in event.payload["message"].lower()
    assert event.payload["link"] == (
        f"/dispatch/requests/new/?school={scenario.school_a.pk}&category=threat_to_harm&priority=p1"
    )
    assert Tip.objects.get(pk=receipt.tip.pk).alerted_at is not None


def test_triage_as_imminent_alerts_once(scenario: ScenarioDistrict) -> None:
    tip = _tip(scenario).tip
    assert not DispatchEvent.objects.exists()
    tip = tips.tip_triage(tip=tip, actor=ACTOR, imminent=True)
    tips.tip_triage(tip=tip, actor=ACTOR, imminent=True)
    assert DispatchEvent.objects.count() == 1 and tip.status == TipStatus.TRIAGED


def test_reporter_follows_up_with_code_and_phrase(scenario: ScenarioDistrict) -> None:
    receipt = _tip(scenario)
    tips.tip_ask(tip=receipt.tip, actor=ACTOR, question="Which class is he in?")
    tips.tip_note(tip=receipt.tip, actor=ACTOR, note="staff-only note")
    client = Client(HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    page = client.post("/tips/status/", {"code": receipt.code, "phrase": receipt.phrase})
    text = page.content.decode()
    assert "Which class is he in?" in text and "staff-only note" not in text
    client.post(
        "/tips/status/answer/",
        {"code": receipt.code, "phrase": receipt.phrase, "answer": "3rd period"},
    )
    assert receipt.tip.events.filter(kind="answer").exists()
    wrong = client.post("/tips/status/", {"code": receipt.code, "phrase": "wrong words"})
    assert wrong.status_code == 422 and "Which class" not in wrong.content.decode()
    assert Tip.objects.get().phrase_digest != receipt.phrase  # only a keyed hash is stored


def test_hoax_repeats_are_flagged_and_rate_limit_holds(scenario: ScenarioDistrict) -> None:
    first = _tip(scenario, what="Bomb in the gym!!").tip
    tips.tip_close(tip=first, actor=ACTOR, reason=TipCloseReason.HOAX)
    second = _tip(scenario, what="bomb in the GYM").tip
    assert "hoax" in second.hoax_flags
    with override_settings(TIP_RATE_LIMIT_PER_HOUR=3), pytest.raises(tips.RateLimited):
        _tip(scenario, what="a threat again")
        _tip(scenario, what="a threat again 2")


def test_discipline_is_refused_but_threats_mentioning_discipline_are_not(
    scenario: ScenarioDistrict,
) -> None:
    with pytest.raises(DisciplineRefusal):
        _tip(scenario, what="Students keep violating the dress code")
    _tip(scenario, what="He said he'll shoot whoever took his phone in class after his suspension")
    assert Tip.objects.count() == 1


def test_a_refused_tip_is_sent_with_a_reason_sealed_in_the_tip_and_counted(
    scenario: ScenarioDistrict,
) -> None:
    what = "Kids vaping in the bathroom by the gym every day"
    with pytest.raises(DisciplineRefusal):
        _tip(scenario, what=what)
    reason = "One of them looked grey and could not stand up"
    tip = _tip(scenario, what=what, safety_reason=reason).tip
    assert tip.what.endswith(reason)  # sealed with the tip, like its text
    override = DisciplineOverride.objects.get()
    assert (override.source, override.target_id) == ("tips", str(tip.pk))
    assert reason not in override.reason and override.actor_id is None
    assert DisciplineRefusalRecord.objects.get().source == "tips"


def test_a_refused_case_concern_is_opened_with_a_reason(scenario: ScenarioDistrict) -> None:
    fields = dict(
        school=scenario.school_a,
        source=CaseSource.STAFF,
        subject="A.B.",
        grade="7",
        concern="Keeps skipping 3rd period and hiding in the stairwell",
        actor=ACTOR,
    )
    with pytest.raises(DisciplineRefusal):
        services.case_open(**fields)  # type: ignore[arg-type]
    reason = "His friends say he wrote a goodbye note"
    case = services.case_open(**fields, safety_reason=reason)  # type: ignore[arg-type]
    override = DisciplineOverride.objects.get()
    assert (override.source, override.reason) == ("threats", reason)
    assert (override.target_model, override.target_id) == ("threats.threatcase", str(case.pk))


def _case(s: ScenarioDistrict) -> ThreatCase:
    return services.case_open(
        school=s.school_a,
        source=CaseSource.STAFF,
        subject="A.B.",
        grade="7",
        concern="threatened to stab a classmate",
        actor=ACTOR,
    )


def test_workflow_needs_its_records_and_plan_tasks_block_closing(
    scenario: ScenarioDistrict,
) -> None:
    case = _case(scenario)
    with pytest.raises(ValidationError, match="Interview"):
        services.case_move(case=case, to=Stage.SERIOUS, actor=ACTOR)
    with pytest.raises(ValidationError, match="may move to"):
        services.case_move(case=case, to=Stage.CLOSED, actor=ACTOR, reason="x")
    services.case_record_add(case=case, kind=RecordKind.INTERVIEW, body="spoke", actor=ACTOR)
    case = services.case_move(case=case, to=Stage.SERIOUS, actor=ACTOR)
    assert case.classification == "serious"
    with pytest.raises(ValidationError, match="Protective action"):
        services.case_move(case=case, to=Stage.PLAN, actor=ACTOR)
    for kind in (
        RecordKind.PROTECTIVE_ACTION,
        RecordKind.TARGET_NOTIFIED,
        RecordKind.PARENTS_NOTIFIED,
    ):
        services.case_record_add(case=case, kind=kind, body="done", actor=ACTOR)
    case = services.case_move(case=case, to=Stage.PLAN, actor=ACTOR)
    owner = scenario.people[Role.COUNSELOR]
    task = services.task_add(
        case=case, title="Check-in", owner=owner, due_on=timezone.localdate(), actor=ACTOR
    )
    case = services.case_move(case=case, to=Stage.MONITORING, actor=ACTOR, follow_up_every_days=14)
    with pytest.raises(ValidationError, match="follow-up"):
        services.case_move(case=case, to=Stage.CLOSED, actor=ACTOR, reason="ok")
    services.follow_up_record(case=case, note="calm", actor=ACTOR)
    assert case.follow_ups.filter(
        done_on__isnull=True
    ).get().due_on == timezone.localdate() + dt.timedelta(days=14)
    with pytest.raises(ValidationError, match="open task"):
        services.case_move(case=case, to=Stage.CLOSED, actor=ACTOR, reason="ok")
    sa = scenario.users[Role.SAFETY_ADMINISTRATOR]
    with pytest.raises(PermissionDenied):
        services.case_move(
            case=case, to=Stage.CLOSED, actor=sa, reason="ok", override_reason="moved away"
        )  # type: ignore[arg-type]
    ThreatLead.objects.create(
        district=scenario.district,
        person=scenario.people[Role.VIOLENCE_PREVENTION_SPECIALIST],
        starts_on=timezone.localdate(),
    )
    lead = scenario.users[Role.VIOLENCE_PREVENTION_SPECIALIST]
    case = services.case_move(
        case=case, to=Stage.CLOSED, actor=lead, reason="ok", override_reason="moved away"
    )  # type: ignore[arg-type]
    assert case.stage == Stage.CLOSED and case.override_reason == "moved away"
    assert task.done_on is None


def _case_in_monitoring(scenario: ScenarioDistrict, *, team: list[Any]) -> ThreatCase:
    """A case with this team moved to monitoring, a follow-up every 30 days."""
    case = services.case_open(
        school=scenario.school_a,
        source=CaseSource.STAFF,
        subject="123456",
        grade="",
        concern="said he'd hurt someone",
        actor=ACTOR,
        team=team,
    )
    ThreatCase.objects.filter(pk=case.pk).update(stage=Stage.PLAN)
    case.refresh_from_db()
    services.task_add(case=case, title="t", owner=team[0], due_on=timezone.localdate(), actor=ACTOR)
    return services.case_move(case=case, to=Stage.MONITORING, actor=ACTOR, follow_up_every_days=30)


def test_monitoring_timer_mails_the_team_when_a_follow_up_falls_due(
    scenario: ScenarioDistrict,
) -> None:
    counselor = scenario.people[Role.COUNSELOR]
    counselor.email = "c@example.org"
    counselor.save()
    case = _case_in_monitoring(scenario, team=[counselor])
    assert run_due_jobs() == 0
    assert run_due_jobs(now=timezone.now() + dt.timedelta(days=31)) == 1
    assert mail.outbox[0].to == ["c@example.org"] and "hurt" not in mail.outbox[0].body
    assert mail.outbox[0].subject == f"Threat assessment follow-up due: case {case.pk}"


def test_the_follow_up_e_mail_goes_in_each_team_members_language(
    scenario: ScenarioDistrict,
) -> None:
    counselor, sa = scenario.people[Role.COUNSELOR], scenario.people[Role.SAFETY_ADMINISTRATOR]
    counselor.email, sa.email = "c@example.org", "sa@example.org"
    counselor.save()
    sa.save()
    ChannelPreference.objects.create(user=sa.user, language="es")  # My alerts: Spanish
    case = _case_in_monitoring(scenario, team=[counselor, sa])
    assert run_due_jobs(now=timezone.now() + dt.timedelta(days=31)) == 1
    by_address = {tuple(m.to): m for m in mail.outbox}
    assert set(by_address) == {("c@example.org",), ("sa@example.org",)}
    english, spanish = by_address[("c@example.org",)], by_address[("sa@example.org",)]
    assert english.subject == f"Threat assessment follow-up due: case {case.pk}"
    assert spanish.subject == f"Seguimiento de evaluación de amenazas pendiente: caso {case.pk}"
    assert "(Los detalles del caso no se envían por correo electrónico.)" in spanish.body
    assert "hurt" not in spanish.body


def test_sso_cannot_join_a_team_and_schools_without_a_team_are_flagged(
    scenario: ScenarioDistrict,
) -> None:
    case = _case(scenario)
    with pytest.raises(ValidationError):
        services.case_team_add(case=case, person=scenario.people[Role.SSO], actor=ACTOR)
    chief = scenario.users[Role.SECURITY_CHIEF]
    for role in (Role.SAFETY_ADMINISTRATOR, Role.COUNSELOR):
        services.team_member_add(
            school=scenario.school_a, person=scenario.people[role], actor=chief
        )  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        services.team_member_add(
            school=scenario.school_b,
            person=scenario.people[Role.PRINCIPAL],
            actor=scenario.users[Role.PRINCIPAL],
        )  # type: ignore[arg-type]
    status = {t.school.name: t.flagged for t in team_status_for_user(user=chief)}
    assert status["A Middle"] is False and status["B Middle"] is True


def test_fairness_counts_under_ten_are_never_shown(scenario: ScenarioDistrict) -> None:
    ThreatLead.objects.create(
        district=scenario.district,
        person=scenario.people[Role.VIOLENCE_PREVENTION_SPECIALIST],
        starts_on=timezone.localdate(),
    )
    for index in range(14):
        case = _case(scenario)
        ThreatCase.objects.filter(pk=case.pk).update(
            disability_status="idea" if index < 3 else "none", classification="serious"
        )
    EnrollmentGroup.objects.create(
        district=scenario.district, dimension="disability", group="none", students=5000
    )
    tables = fairness_for_lead(
        user=scenario.users[Role.VIOLENCE_PREVENTION_SPECIALIST],
        since=timezone.localdate(),
        until=timezone.localdate(),
    )
    rows = {r.group: r for r in tables[0].rows}
    assert rows["idea"].cases.value == "<10"
    assert rows["none"].cases.value == "<10"  # complementary: total 14 would reveal idea = 3
    assert tables[0].total == 14
    page = Client()
    page.force_login(scenario.users[Role.VIOLENCE_PREVENTION_SPECIALIST])  # type: ignore[arg-type]
    assert "&lt;10" in page.get("/threats/fairness/").content.decode()


def test_purge_expired_cases_lists_then_deletes_with_audit(
    scenario: ScenarioDistrict, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(scenario)
    long_ago = timezone.now() - dt.timedelta(days=4000)
    ThreatCase.objects.filter(pk=case.pk).update(stage=Stage.CLOSED, closed_at=long_ago)
    fresh = _case(scenario)
    call_command("purge_expired_cases", "--dry-run")
    assert f"case {case.pk}" in capsys.readouterr().out
    assert ThreatCase.objects.filter(pk=case.pk).exists()
    call_command("purge_expired_cases")
    assert not ThreatCase.objects.filter(pk=case.pk).exists()
    assert ThreatCase.objects.filter(pk=fresh.pk).exists()
    entry = AuditEntry.objects.get(
        model="threats.threatcase", object_id=str(case.pk), action="delete"
    )
    assert entry.actor_label == "system:purge-expired-cases"
    assert "fernet:" not in repr(entry.changes)


def test_reseal_moves_every_sealed_value_to_the_new_key(scenario: ScenarioDistrict) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    png = png_bytes()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        receipt = _tip(
            scenario, attachments=[SimpleUploadedFile("a.png", png, content_type="image/png")]
        )
        _case(scenario)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        call_command("reseal_threat_records")
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert Tip.objects.get(pk=receipt.tip.pk).what.startswith("He said")
        assert ThreatCase.objects.get().concern == "threatened to stab a classmate"
        attachment = receipt.tip.attachments.get()

        with attachment.file.open("rb") as handle:
            assert decrypt_bytes(handle.read()) == image_without_metadata(png, "image/png")


def test_teams_page_lets_the_chief_add_and_end_members_and_flags_missing_lead(
    scenario: ScenarioDistrict,
) -> None:
    chief = Client()
    chief.force_login(scenario.users[Role.SECURITY_CHIEF])  # type: ignore[arg-type]
    assert "No district threat-assessment lead" in chief.get("/threats/").content.decode()
    for role in (Role.SAFETY_ADMINISTRATOR, Role.COUNSELOR):
        chief.post(
            "/threats/teams/add/",
            {"school": scenario.school_a.pk, "person": scenario.people[role].pk, "team_role": "x"},
        )

    assert TeamMember.objects.filter(school=scenario.school_a).count() == 2
    sa = Client()
    sa.force_login(scenario.users[Role.SAFETY_ADMINISTRATOR])  # type: ignore[arg-type]
    member = TeamMember.objects.first()
    assert member is not None
    assert sa.post(f"/threats/teams/{member.pk}/end/").status_code == 403
    assert (
        sa.post(
            "/threats/teams/add/",
            {"school": scenario.school_b.pk, "person": scenario.people[Role.PRINCIPAL].pk},
        ).status_code
        == 403
    )
    chief.post(f"/threats/teams/{member.pk}/end/")
    member.refresh_from_db()
    assert member.ends_on == timezone.localdate()


def test_school_team_members_and_the_lead_see_tips(scenario: ScenarioDistrict) -> None:
    tip_a = _tip(scenario).tip
    elsewhere = _tip(scenario, school=None, place="Bus stop on Elm St").tip
    counselor = Client()
    counselor.force_login(scenario.users[Role.COUNSELOR])  # type: ignore[arg-type]
    assert counselor.get(f"/threats/tips/{tip_a.pk}/").status_code == 404
    TeamMember.objects.create(
        school=scenario.school_a,
        person=scenario.people[Role.COUNSELOR],
        starts_on=timezone.localdate(),
    )
    assert counselor.get(f"/threats/tips/{tip_a.pk}/").status_code == 200
    assert counselor.get(f"/threats/tips/{elsewhere.pk}/").status_code == 404
    ThreatLead.objects.create(
        district=scenario.district,
        person=scenario.people[Role.MENTAL_HEALTH_PRACTITIONER],
        starts_on=timezone.localdate(),
    )
    lead = Client()
    lead.force_login(scenario.users[Role.MENTAL_HEALTH_PRACTITIONER])  # type: ignore[arg-type]
    assert lead.get(f"/threats/tips/{elsewhere.pk}/").status_code == 200
    board = lead.get("/threats/").content.decode()
    assert elsewhere.code in board and tip_a.code in board
    assert AuditEntry.objects.filter(action="export", note="tip queue").exists()
