"""Writes after the call: the SSO report and the hand-offs. Every one is validated, audited
(`core.services`: the sealed narrative and notes appear in the audit log as ciphertext) and
passes the discipline guard: an SSO does not handle student discipline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeops.access import Action, AnyUser, restrict, viewer_for
from safeops.core.crypto import encrypt_text
from safeops.core.discipline import DisciplineRefusal, discipline_check, discipline_refusal_record
from safeops.core.services import model_create, model_update
from safeops.dispatch.choices import Status
from safeops.dispatch.models import SupportRequest
from safeops.ssoreports import exceptions as errors
from safeops.ssoreports.choices import ConsentGivenBy, HandoffKind
from safeops.ssoreports.models import Handoff, SsoReport
from safeops.ssoreports.offers import no_report_reason, offered_handoffs

ATTENDED = frozenset({Status.ON_SCENE, Status.CLEARED})


@dataclass(frozen=True)
class ReportInput:
    narrative: str
    outside_agency: str = ""
    case_number: str = ""
    call_911_at: dt.datetime | None = None
    agency_on_scene_at: dt.datetime | None = None
    handed_off_at: dt.datetime | None = None
    weapon_involved: bool = False


@dataclass(frozen=True)
class ConsentInput:
    given_by: ConsentGivenBy
    given_on: dt.date
    confirmed: bool


def _guard(*, text: str, request: SupportRequest) -> None:
    try:
        discipline_check(category="", text=text)
    except DisciplineRefusal:
        discipline_refusal_record(
            source="ssoreports", school=request.school, district_id=request.district_id
        )
        raise


def _refuse_when_no_report(request: SupportRequest) -> None:
    reason = no_report_reason(request)
    if reason is not None:
        raise ValidationError(reason)


def _officers_request(*, request_id: int, actor: AnyUser, lock: bool = True) -> SupportRequest:
    """The request (locked, in a transaction) when `actor` is the officer who holds it."""
    viewer = viewer_for(actor)
    requests = restrict(SupportRequest.objects.filter(pk=request_id), actor, Action.VIEW)
    if lock:
        requests = requests.select_for_update(of=("self",))
    request = requests.first()
    if request is None or viewer.person_id is None or request.officer_id != viewer.person_id:
        raise PermissionDenied(errors.NOT_THE_OFFICER)
    return request


def _check_times(data: ReportInput) -> None:
    now = timezone.now()
    for name in ("call_911_at", "agency_on_scene_at", "handed_off_at"):
        value = getattr(data, name)
        if value is not None and value > now:
            raise ValidationError({name: errors.IN_FUTURE})


def sso_report_save(*, request_id: int, data: ReportInput, actor: AnyUser) -> SsoReport:
    """Write (or update) the report of a request the actor's officer attended."""
    _check_times(data)
    request = _officers_request(request_id=request_id, actor=actor, lock=False)
    _refuse_when_no_report(request)  # before the guard: the board counts the call once already
    # The guard runs first, outside the transaction: a refusal is counted, nothing is written.
    _guard(text=data.narrative, request=request)
    with transaction.atomic():
        request = _officers_request(request_id=request_id, actor=actor)
        if request.status not in ATTENDED:
            raise ValidationError(errors.NOT_ATTENDED)
        _refuse_when_no_report(request)
        fields: dict[str, Any] = {
            "narrative": data.narrative.strip(),
            "outside_agency": data.outside_agency.strip(),
            "case_number": data.case_number.strip(),
            "call_911_at": data.call_911_at,
            "agency_on_scene_at": data.agency_on_scene_at,
            "handed_off_at": data.handed_off_at,
            "weapon_involved": data.weapon_involved,
        }
        existing = restrict(SsoReport.objects.filter(request=request), actor, Action.CHANGE).first()
        if existing is not None:
            return model_update(instance=existing, actor=actor, data=fields)
        return model_create(
            model=SsoReport,
            actor=actor,
            district_id=request.district_id,
            school=request.school,
            request=request,
            author_id=request.officer_id,
            **fields,
        )


def handoff_record(
    *,
    request_id: int,
    kind: HandoffKind,
    actor: AnyUser,
    consent: ConsentInput | None = None,
    note: str = "",
) -> Handoff:
    """Record one hand-off the cleared request offers. A second one of the same kind returns the
    first (counted once). A court liaison notice needs the recorded consent."""
    if consent is not None and consent.given_on > timezone.localdate():
        raise ValidationError({"consent_given_on": errors.CONSENT_IN_FUTURE})
    if note:
        _guard(text=note, request=_officers_request(request_id=request_id, actor=actor, lock=False))
    with transaction.atomic():
        request = _officers_request(request_id=request_id, actor=actor)
        if request.status != Status.CLEARED:
            raise ValidationError(errors.NOT_CLEARED)
        report = SsoReport.objects.filter(request=request).first()
        if kind not in offered_handoffs(request, report):
            raise ValidationError(errors.HANDOFF_NOT_OFFERED)
        existing = Handoff.objects.filter(request=request, kind=kind).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return model_create(
                    model=Handoff,
                    actor=actor,
                    district_id=request.district_id,
                    school=request.school,
                    request=request,
                    kind=kind,
                    officer_id=request.officer_id,
                    actor_id=actor.pk,
                    at=timezone.now(),
                    consent_given_by=consent.given_by if consent else "",
                    consent_given_on=consent.given_on if consent else None,
                    consent_confirmed=bool(consent and consent.confirmed),
                    # `note` is model_create's audit note: the sealed column is given directly.
                    note_sealed=encrypt_text(note.strip()),
                )
        except IntegrityError:  # the same tap from a second device, just committed
            return Handoff.objects.get(request=request, kind=kind)
