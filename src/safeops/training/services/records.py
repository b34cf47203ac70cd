"""Completions and certifications: recorded, confirmed or rejected, certificates attached."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from safeops.access import Resource
from safeops.accounts.models import User
from safeops.core.audit import Actor, audit_write
from safeops.core.models import AuditAction
from safeops.core.services import model_create, model_update
from safeops.core.uploads import JPEG, PDF, PNG, read_checked_upload
from safeops.staff.models import Person
from safeops.training.engine import year_key
from safeops.training.models import (
    CertificateFile,
    Certification,
    CertificationType,
    Completion,
    Course,
    RecordSource,
    RecordStatus,
    Topic,
)
from safeops.training.selectors import policy_for
from safeops.training.services.common import (
    ALREADY_DECIDED,
    IN_FUTURE,
    MAKE_UP_LATER,
    NOT_YOUR_OWN,
    OTHER_DISTRICT,
    _check_writer,
    _is_own,
    _require_manager,
    _user,
)


def completion_record(
    *,
    person: Person,
    topic: Topic,
    hours: Decimal,
    completed_on: dt.date,
    actor: Actor,
    course: Course | None = None,
    title: str = "",
    provider: str = "",
    counts_for_year: int | None = None,
    source: RecordSource | None = None,
    lms_id: str = "",
    today: dt.date | None = None,
    certificate: UploadedFile | None = None,
) -> Completion:
    """Record a completion, with its certificate file when given (both or neither). The
    training office's entries are confirmed; a person's own entry waits for the coordinator."""
    office = _check_writer(actor, person)
    if completed_on > (today or timezone.localdate()):
        raise ValidationError({"completed_on": IN_FUTURE})
    if topic.district_id != person.district_id or (
        course is not None and course.district_id != person.district_id
    ):
        raise ValidationError(OTHER_DISTRICT)
    if counts_for_year is not None:
        policy = policy_for(district_id=person.district_id)
        if counts_for_year >= year_key(completed_on, policy.year_start_month):
            raise ValidationError({"counts_for_year": MAKE_UP_LATER.format(year=counts_for_year)})
    now = timezone.now()
    with transaction.atomic():
        completion = model_create(
            model=Completion,
            actor=actor,
            person=person,
            topic=topic,
            course=course,
            title=(title.strip() or (course.title if course else topic.name))[:150],
            provider=(provider.strip() or (course.provider if course else ""))[:120],
            hours=hours,
            completed_on=completed_on,
            counts_for_year=counts_for_year,
            source=source or (RecordSource.COORDINATOR if office else RecordSource.SELF),
            status=RecordStatus.CONFIRMED if office else RecordStatus.PENDING,
            lms_id=lms_id,
            recorded_by=_user(actor),
            confirmed_by=_user(actor) if office else None,
            confirmed_at=now if office else None,
        )
        _attach_if_given(certificate, actor, completion=completion)
    return completion


def _attach_if_given(
    upload: UploadedFile | None,
    actor: Actor,
    *,
    completion: Completion | None = None,
    certification: Certification | None = None,
) -> None:
    if upload is None:
        return
    user = _user(actor)
    if user is None:
        raise ValidationError(
            {"certificate": gettext("A certificate file is attached by a signed-in user.")}
        )
    certificate_attach(
        upload=upload, actor=user, completion=completion, certification=certification
    )


def _decide(record: Completion | Certification, *, actor: Actor, status: RecordStatus) -> None:
    _require_manager(actor, record.person.district_id, Resource.TRAINING_RECORD)
    if _is_own(actor, record.person_id):
        raise PermissionDenied(NOT_YOUR_OWN)
    if record.status != RecordStatus.PENDING:
        raise ValidationError(ALREADY_DECIDED.format(status=record.get_status_display().lower()))
    model_update(
        instance=record,
        actor=actor,
        data={"status": status, "confirmed_by": _user(actor), "confirmed_at": timezone.now()},
    )


def completion_confirm(*, completion: Completion, actor: Actor) -> Completion:
    _decide(completion, actor=actor, status=RecordStatus.CONFIRMED)
    return completion


def completion_reject(*, completion: Completion, actor: Actor) -> Completion:
    _decide(completion, actor=actor, status=RecordStatus.REJECTED)
    return completion


def certification_record(
    *,
    person: Person,
    certification_type: CertificationType,
    issued_on: dt.date,
    actor: Actor,
    expires_on: dt.date | None = None,
    number: str = "",
    certificate: UploadedFile | None = None,
) -> Certification:
    """Record a certification, with its certificate file when given (both or neither)."""
    office = _check_writer(actor, person)
    if certification_type.district_id != person.district_id:
        raise ValidationError(OTHER_DISTRICT)
    with transaction.atomic():
        certification = model_create(
            model=Certification,
            actor=actor,
            person=person,
            certification_type=certification_type,
            issued_on=issued_on,
            expires_on=expires_on,
            number=number.strip(),
            source=RecordSource.COORDINATOR if office else RecordSource.SELF,
            status=RecordStatus.CONFIRMED if office else RecordStatus.PENDING,
            recorded_by=_user(actor),
            confirmed_by=_user(actor) if office else None,
            confirmed_at=timezone.now() if office else None,
        )
        _attach_if_given(certificate, actor, certification=certification)
    return certification


def certification_confirm(*, certification: Certification, actor: Actor) -> Certification:
    _decide(certification, actor=actor, status=RecordStatus.CONFIRMED)
    return certification


def certificate_attach(
    *,
    upload: UploadedFile,
    actor: User,
    completion: Completion | None = None,
    certification: Certification | None = None,
    title: str = "",
) -> CertificateFile:
    """Store proof of a completion or certification (PDF, PNG or JPEG, checked by content)."""
    parent = completion or certification
    if parent is None:
        raise ValidationError(gettext("Attach the file to a completion or a certification."))
    _check_writer(actor, parent.person)
    data, content_type = read_checked_upload(upload, allowed=(PDF, PNG, JPEG))
    digest = hashlib.sha256(data).hexdigest()
    stored = CertificateFile(
        person=parent.person,
        completion=completion,
        certification=certification,
        title=(title.strip() or f"Certificate: {parent}")[:150],
        content_type=content_type,
        size=len(data),
        digest=digest,
        uploaded_by=actor,
    )
    with transaction.atomic():
        stored.file.save(digest[:16], ContentFile(data), save=False)
        stored.full_clean()
        stored.save()
        audit_write(actor=actor, action=AuditAction.CREATE, instance=stored, before=None)
    return stored
