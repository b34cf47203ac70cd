"""Writes for the incident log. A discipline matter is refused with guidance (shared guard)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from safeops.accounts.models import User
from safeops.core.audit import Actor
from safeops.core.discipline import discipline_guard, discipline_override_record
from safeops.core.services import model_create, model_update
from safeops.dispatch.models import SupportRequest
from safeops.incidents.models import (
    Incident,
    IncidentKind,
    IncidentPerson,
    IncidentReferral,
    PersonRole,
    ReferralTo,
)
from safeops.schools.models import School

INCIDENT_IN_FUTURE = gettext_noop("An incident is logged once it has happened.")
FOLLOW_UP_DONE = gettext_noop("The follow-up is already done.")
NO_FOLLOW_UP = gettext_noop("This incident has no follow-up.")
REQUEST_NOT_AT_SCHOOL = gettext_noop(
    "No SSO support request with that number was made for this school."
)


@dataclass(frozen=True)
class PersonInput:
    role: PersonRole
    count: int = 1
    involvement: str = ""


@dataclass(frozen=True)
class ReferralInput:
    to: ReferralTo
    note: str = ""


def incident_record(
    *,
    school: School,
    kind: IncidentKind,
    occurred_at: dt.datetime,
    place: str,
    summary: str,
    actions_taken: str,
    actor: User | str,
    people: Sequence[PersonInput] = (),
    referrals: Sequence[ReferralInput] = (),
    support_request_id: int | None = None,
    follow_up_on: dt.date | None = None,
    safety_reason: str = "",
) -> Incident:
    """Log a safety incident the SA handled. Raises DisciplineRefusal (and counts it, without
    its text) when the matter is student discipline, which goes to school administration,
    unless `safety_reason` says why it is safety (the override is recorded and audited)."""
    text = "\n".join([place, summary, actions_taken, *(p.involvement for p in people)])
    override = discipline_guard(
        category=str(kind),
        text=text,
        source="incidents",
        school=school,
        safety_reason=safety_reason,
    )
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": INCIDENT_IN_FUTURE})
    support_request = None
    if support_request_id is not None:
        support_request = SupportRequest.objects.filter(
            pk=support_request_id, school=school
        ).first()
        if support_request is None:
            raise ValidationError({"support_request": REQUEST_NOT_AT_SCHOOL})
    with transaction.atomic():
        incident = model_create(
            model=Incident,
            actor=actor,
            school=school,
            kind=kind,
            occurred_at=occurred_at,
            place=place.strip(),
            summary=summary.strip(),
            actions_taken=actions_taken.strip(),
            support_request=support_request,
            follow_up_on=follow_up_on,
            recorded_by=actor if not isinstance(actor, str) else None,
        )
        for person in people:
            model_create(
                model=IncidentPerson,
                actor=actor,
                incident=incident,
                role=person.role,
                count=person.count,
                involvement=person.involvement.strip(),
            )
        for referral in referrals:
            model_create(
                model=IncidentReferral,
                actor=actor,
                incident=incident,
                to=referral.to,
                note=referral.note.strip(),
            )
        if override is not None:
            discipline_override_record(
                override=override, actor=actor, instance=incident, school=school
            )
    return incident


def incident_follow_up_done(*, incident: Incident, on: dt.date, actor: Actor) -> Incident:
    if incident.follow_up_on is None:
        raise ValidationError(NO_FOLLOW_UP)
    if incident.follow_up_done_on is not None:
        raise ValidationError(FOLLOW_UP_DONE)
    return model_update(instance=incident, actor=actor, data={"follow_up_done_on": on})
