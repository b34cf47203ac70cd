"""Writes for referrals and onboarding contacts. Every write is audited (core.services).

- `referral_create`: an SA, SSO, counselor or MHP refers a student (minimal identifier) to a
  directory service with the consent and a warm hand-off note; the discipline guard reads the
  free text first.
- `referral_transition`: one step of `choices.TRANSITIONS`, an event row, the follow-up timer.
- `referral_provider_link_create`: a secret, expiring link through which the provider reports
  the status without a login (two-way consent only). Only the token's hash is stored.
- `referral_follow_up_send`: the reminder a stalled status sends (job `referrals.follow_up`).
- `provider_contact_record`: an SA's or SSO's contact with a provider (onboarding).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from safeops.access import Action, Reach, Resource, restrict, viewer_for
from safeops.accounts.models import User
from safeops.core.audit import Actor
from safeops.core.discipline import (
    SUPPORT_REASON_TOO_SHORT,
    DisciplineRefusal,
    discipline_check,
    discipline_guard,
    discipline_override_record,
    discipline_refusal_record,
)
from safeops.core.jobs import job_cancel, job_enqueue
from safeops.core.notify.selectors import alert_language
from safeops.core.services import model_create, model_update
from safeops.dispatch.choices import Disposition
from safeops.dispatch.models import SupportRequest
from safeops.incidents.models import Incident
from safeops.referrals import exceptions as errors
from safeops.referrals.choices import (
    PROVIDER_FEEDBACK_SCOPES,
    PROVIDER_STATUSES,
    TRANSITIONS,
    ConsentGivenBy,
    ConsentScope,
    ContactMethod,
    Grade,
    Outcome,
    Status,
    allowed_next,
)
from safeops.referrals.exceptions import ReferralConflict
from safeops.referrals.models import ProviderContact, Referral, ReferralEvent
from safeops.referrals.scopes import ONBOARDING_ROLES
from safeops.resources.models import Service
from safeops.schools.models import School
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.threats.models import PlanTask, ThreatCase

FOLLOW_UP_JOB = "referrals.follow_up"
REFERRING_ROLES = frozenset(
    {Role.SAFETY_ADMINISTRATOR, Role.SSO, Role.COUNSELOR, Role.MENTAL_HEALTH_PRACTITIONER}
)
PROVIDER_ACTOR = "provider-link"
FOLLOW_UP_SUBJECT = _("Referral #{id}: still {status} after {days} days")
FOLLOW_UP_BODY = _(
    "Referral #{id} ({service}, {school}) has been '{status}' since {since:%Y-%m-%d}.\n"
    "Please check with the provider and record the next step:\n{url}\n"
)


def follow_up_days() -> dict[str, int]:
    """REFERRAL_FOLLOW_UP_DAYS parsed: status → days a status may stand before a reminder."""
    days: dict[str, int] = {}
    for item in settings.REFERRAL_FOLLOW_UP_DAYS.split(","):
        if not item.strip():
            continue
        status, _, value = item.partition(":")
        if status.strip() not in Status.values or not value.strip().isdigit():
            raise ImproperlyConfigured(
                f"REFERRAL_FOLLOW_UP_DAYS: {item.strip()!r} is not <status>:<days>."
            )
        days[status.strip()] = int(value)
    return days


def _guard(*, text: str, school: School) -> None:
    try:
        discipline_check(category="", text=text)
    except DisciplineRefusal:
        discipline_refusal_record(source="referrals", school=school)
        raise


def _may_refer_at(user: User, school: School) -> bool:
    viewer = viewer_for(user)
    if not viewer.is_superuser and viewer.role not in REFERRING_ROLES:
        return False
    reach = viewer.reach(Resource.REFERRAL, Action.CHANGE)
    if reach == Reach.ALL:
        return viewer.is_superuser or viewer.district_id == school.district_id
    return reach == Reach.ASSIGNED and school.pk in viewer.school_ids


@dataclass(frozen=True)
class ConsentInput:
    given_by: ConsentGivenBy
    given_on: dt.date
    scope: ConsentScope


def referral_create(
    *,
    actor: User,
    school: School,
    service: Service,
    grade: Grade,
    consent: ConsentInput,
    handoff_note: str,
    student_number: str = "",
    student_initials: str = "",
    support_request_id: int | None = None,
    incident_id: int | None = None,
    plan_task_id: int | None = None,
    support_reason: str = "",
) -> Referral:
    """Refer a student of `school` to `service`. Raises PermissionDenied (role or school),
    ValidationError naming the field, and DisciplineRefusal (counted, without its text) for
    a hand-off note the guard reads as discipline, unless `support_reason` says why it is
    not (the override is recorded with the referral and audited)."""
    if not _may_refer_at(actor, school):
        viewer = viewer_for(actor)
        if viewer.role not in REFERRING_ROLES and not viewer.is_superuser:
            raise PermissionDenied(errors.NOT_A_REFERRER)
        raise PermissionDenied(errors.SCHOOL_OUT_OF_SCOPE)
    override = discipline_guard(
        category="",
        text=handoff_note,
        source="referrals",
        school=school,
        safety_reason=support_reason,
        reason_field="support_reason",
        reason_too_short=SUPPORT_REASON_TOO_SHORT,
    )
    if consent.given_on > timezone.localdate():
        raise ValidationError({"consent_given_on": errors.CONSENT_IN_FUTURE})
    support_request = None
    if support_request_id is not None:
        support_request = (
            restrict(SupportRequest.objects.filter(pk=support_request_id), actor)
            .filter(disposition=Disposition.REFERRED)
            .first()
        )
        if support_request is None:
            raise ValidationError({"support_request": errors.REQUEST_NOT_LINKABLE})
        if support_request.school_id not in (None, school.pk):
            raise ValidationError({"support_request": errors.REQUEST_OTHER_SCHOOL})
    incident = None
    if incident_id is not None:
        incident = restrict(Incident.objects.filter(pk=incident_id, school=school), actor).first()
        if incident is None:
            raise ValidationError({"incident": errors.INCIDENT_NOT_LINKABLE})
    plan_task = None
    if plan_task_id is not None:
        plan_task = PlanTask.objects.filter(pk=plan_task_id, case__school=school).first()
        visible_case = (
            plan_task is not None
            and restrict(ThreatCase.objects.filter(pk=plan_task.case_id), actor).exists()
        )
        if not visible_case:
            raise ValidationError({"plan_task": errors.PLAN_TASK_NOT_LINKABLE})
    viewer = viewer_for(actor)
    now = timezone.now()
    with transaction.atomic():
        referral = model_create(
            model=Referral,
            actor=actor,
            district_id=school.district_id,
            school=school,
            service=service,
            student_number=student_number.strip(),
            student_initials=student_initials.strip().upper(),
            grade=grade,
            referrer=actor,
            referrer_label=actor.get_username(),
            referrer_role=viewer.role or "",
            status=Status.SENT,
            status_changed_at=now,
            consent_given_by=consent.given_by,
            consent_given_on=consent.given_on,
            consent_scope=consent.scope,
            handoff_note=handoff_note.strip(),
            support_request=support_request,
            incident=incident,
            plan_task=plan_task,
        )
        ReferralEvent.objects.create(
            referral=referral,
            from_status="",
            to_status=Status.SENT,
            actor=actor,
            actor_label=actor.get_username(),
            at=now,
        )
        if override is not None:
            discipline_override_record(
                override=override, actor=actor, instance=referral, school=school
            )
        _schedule_follow_up(referral)
    return referral


def referral_transition(
    *,
    referral: Referral,
    to_status: str,
    actor: Actor,
    outcome: str = "",
    note: str = "",
    via_provider_link: bool = False,
) -> Referral:
    """Move the referral one step along `choices.TRANSITIONS` and record the event."""
    if to_status not in Status.values:
        raise ValidationError(
            {"to_status": errors.UNKNOWN_STATUS.format(choices=", ".join(Status.values))}
        )
    target = Status(to_status)
    if via_provider_link and target not in PROVIDER_STATUSES:
        raise ValidationError({"to_status": errors.PROVIDER_STATUS_NOT_ALLOWED})
    if target == Status.CLOSED and outcome not in Outcome.values:
        raise ValidationError({"outcome": errors.OUTCOME_REQUIRED})
    if target != Status.CLOSED and outcome:
        raise ValidationError({"outcome": errors.OUTCOME_ONLY_ON_CLOSE})
    _guard(text=note, school=referral.school)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        current = Status(locked.status)
        if target not in TRANSITIONS[current]:
            allowed = allowed_next(current)
            raise ReferralConflict(
                errors.ILLEGAL_TRANSITION.format(
                    current=current.label.lower(),
                    target=target.label.lower(),
                    allowed=", ".join(allowed) or "none (closed)",
                ),
                field="to_status",
                allowed=allowed,
            )
        now = timezone.now()
        data: dict[str, object] = {
            "status": target,
            "status_changed_at": now,
            "follow_up_sent_at": None,
        }
        if target == Status.SERVICES_STARTED:
            data["services_started_at"] = now
        if target == Status.CLOSED:
            data.update(
                closed_at=now,
                outcome=outcome,
                provider_token_hash="",
                provider_token_expires_at=None,
            )
        label = actor if isinstance(actor, str) else actor.get_username()
        locked = model_update(instance=locked, actor=actor, data=data, note=note[:300])
        ReferralEvent.objects.create(
            referral=locked,
            from_status=current,
            to_status=target,
            outcome=outcome,
            actor=actor if isinstance(actor, User) else None,
            actor_label=label[:150],
            via_provider_link=via_provider_link,
            at=now,
            note=note.strip()[:300],
        )
        _schedule_follow_up(locked)
    return locked


def _follow_up_key(referral: Referral) -> str:
    return f"referral-follow-up:{referral.pk}"


def _schedule_follow_up(referral: Referral) -> None:
    """One queued reminder per referral (dedupe key), for its current status."""
    days = follow_up_days().get(referral.status)
    if referral.status == Status.CLOSED or days is None:
        job_cancel(dedupe_key=_follow_up_key(referral))
        return
    job_enqueue(
        kind=FOLLOW_UP_JOB,
        payload={
            "referral_id": referral.pk,
            "status": referral.status,
            "changed_at": referral.status_changed_at.isoformat(),
        },
        run_after=referral.status_changed_at + dt.timedelta(days=days),
        dedupe_key=_follow_up_key(referral),
    )


def _follow_up_recipients(referral: Referral) -> list[str]:
    if referral.referrer is not None and referral.referrer.email:
        return [referral.referrer.email]
    person = Person.objects.filter(user=referral.referrer, active=True).first()
    if person is not None and person.email:
        return [person.email]
    return []


def referral_follow_up_send(
    *, referral_id: int, status: str, changed_at: str, base_url: str = ""
) -> bool:
    """Send the reminder for a status that has not moved. Returns whether one was sent: no
    reminder when the status moved since the timer was set, or one was already sent."""
    referral = (
        Referral.objects.select_related("service", "school", "referrer")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or referral.status != status:
        return False
    if referral.status_changed_at.isoformat() != changed_at or referral.follow_up_sent_at:
        return False
    recipients = _follow_up_recipients(referral)
    days = follow_up_days().get(status, 0)
    if recipients:
        # In the language the referrer reads alerts in (My alerts).
        with translation.override(alert_language(user_id=referral.referrer_id)):
            status_words = referral.get_status_display().lower()
            send_mail(
                subject=str(FOLLOW_UP_SUBJECT).format(
                    id=referral.pk, status=status_words, days=days
                ),
                message=str(FOLLOW_UP_BODY).format(
                    id=referral.pk,
                    service=referral.service,
                    school=referral.school,
                    status=status_words,
                    since=timezone.localtime(referral.status_changed_at),
                    url=f"{base_url}/referrals/{referral.pk}/",
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
    model_update(
        instance=referral,
        actor=f"system:{FOLLOW_UP_JOB}",
        data={"follow_up_sent_at": timezone.now()},
    )
    return bool(recipients)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def referral_provider_link_create(*, referral: Referral, actor: Actor) -> str:
    """A new provider link token (returned once; a new link replaces the old one)."""
    if referral.status == Status.CLOSED:
        raise ValidationError({"provider_link": errors.PROVIDER_LINK_CLOSED})
    if referral.consent_scope not in PROVIDER_FEEDBACK_SCOPES:
        raise ValidationError({"consent_scope": errors.PROVIDER_LINK_NEEDS_TWO_WAY})
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=settings.REFERRAL_PROVIDER_LINK_DAYS)
    model_update(
        instance=referral,
        actor=actor,
        data={"provider_token_hash": token_hash(token), "provider_token_expires_at": expires},
        note="provider link issued",
    )
    return token


def provider_contact_record(
    *,
    person: Person,
    service: Service,
    contacted_on: dt.date,
    method: ContactMethod,
    actor: Actor,
    note: str = "",
) -> ProviderContact:
    """Record an SA's or SSO's contact with a provider (a step of their onboarding)."""
    if person.role not in ONBOARDING_ROLES:
        raise ValidationError({"person": errors.NOT_ONBOARDING})
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": errors.CONTACT_IN_FUTURE})
    try:
        discipline_check(category="", text=note)
    except DisciplineRefusal:
        discipline_refusal_record(source="referrals", district_id=person.district_id)
        raise
    return model_create(
        model=ProviderContact,
        actor=actor,
        person=person,
        service=service,
        contacted_on=contacted_on,
        method=method,
        note=note.strip(),
        recorded_by=None if isinstance(actor, str) else actor,
    )
