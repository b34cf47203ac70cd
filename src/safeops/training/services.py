"""Writes for the training ledger: the default catalog, rules, records, imports, reminders.

Who may write is decided by safeops.access (TRAINING_RECORD / TRAINING_CATALOG): the training
coordinator and the security chief manage everything in their district; anyone else records
their own completions and certifications, which wait for the coordinator's confirmation.
Commands pass a "system:<command>" actor and act as the training office.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from safeops.access import Action, Reach, Resource, viewer_for
from safeops.accounts.models import User
from safeops.core.audit import Actor, audit_write
from safeops.core.importing import ImportIssue, Rejected, each_row, read_csv, run_import
from safeops.core.models import AuditAction
from safeops.core.services import model_create, model_update
from safeops.core.uploads import JPEG, PDF, PNG, read_checked_upload
from safeops.schools.models import District
from safeops.staff.choices import Role
from safeops.staff.models import Person
from safeops.training import defaults
from safeops.training.importing import CompletionCheck, CompletionRow
from safeops.training.models import (
    CertificateFile,
    Certification,
    CertificationType,
    Completion,
    Course,
    RecordSource,
    RecordStatus,
    RequiredTopic,
    Requirement,
    RoleCertification,
    Topic,
    TrainingPolicy,
    TrainingReminder,
)

NOT_YOURS = "You may only record your own training."
ONLY_COORDINATOR = "Only the training coordinator (or the security chief) may do this."
OTHER_DISTRICT = "That record belongs to another district."
CERTIFICATE_NEEDS_USER = "A certificate file is attached by a signed-in user."
IN_FUTURE = "A completion can only be recorded once it has taken place."
NOT_YOUR_OWN = "Nobody confirms their own training: another coordinator (or the chief) does."
ALREADY_DECIDED = "This record is already {status}."
MAKE_UP_LATER = "Make-up hours count for an earlier training year, not {year}."
CSV_COLUMNS = (
    "The file needs the columns: email, completed_on, and topic or course"
    " (hours, provider, lms_id optional; hours default to the course's)."
)
CSV_EMPTY = "The file has no rows."
TOPIC_REMINDER_SUBJECT = "Training due by {due}: {topic}"
CERT_REMINDER_SUBJECT = "{name} certification expires {expires}"
CERT_EXPIRED_SUBJECT = "{name} certification expired {expires}"
REMINDER_BODY = "{who},\n\n{what}\n\nYour training: {url}\n\nSent by safeops (training)."


def _manages(actor: Actor, district_id: int, resource: Resource) -> bool:
    if isinstance(actor, str):
        return True
    viewer = viewer_for(actor)
    if viewer.is_superuser:
        return True
    return viewer.reach(resource, Action.CHANGE) == Reach.ALL and viewer.district_id == district_id


def _require_manager(actor: Actor, district_id: int, resource: Resource) -> None:
    if not _manages(actor, district_id, resource):
        raise PermissionDenied(ONLY_COORDINATOR)


def _is_own(actor: Actor, person_id: int) -> bool:
    return not isinstance(actor, str) and viewer_for(actor).person_id == person_id


def _check_writer(actor: Actor, person: Person) -> bool:
    """True if `actor` writes as the training office; False if for themself; else refuses.

    The office's entries are confirmed at once, so a coordinator's (or the chief's) own entry
    is an entry "for themself": it waits for someone else's confirmation."""
    if isinstance(actor, str):
        return True
    if _manages(actor, person.district_id, Resource.TRAINING_RECORD):
        return not _is_own(actor, person.pk)
    viewer = viewer_for(actor)
    if (
        viewer.person_id != person.pk
        or viewer.reach(Resource.TRAINING_RECORD, Action.CHANGE) == Reach.NONE
    ):
        raise PermissionDenied(NOT_YOURS)
    return False


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


# --- Catalog and rules -----------------------------------------------------------------------


def training_defaults_seed(*, district: District, actor: Actor, from_year: int) -> int:
    """Create the default topics, courses, requirements and certification rules where missing.

    Idempotent: returns how many rows it created (0 on a second run)."""
    created = 0
    with transaction.atomic():
        if not TrainingPolicy.objects.filter(district=district).exists():
            model_create(model=TrainingPolicy, actor=actor, district=district)
            created += 1
        topics: dict[str, Topic] = {}
        for spec in defaults.DEFAULT_TOPICS:
            topic = Topic.objects.filter(district=district, code=spec.code).first()
            if topic is None:
                topic = model_create(
                    model=Topic,
                    actor=actor,
                    district=district,
                    code=spec.code,
                    name=spec.name,
                    credit=spec.credit.value,
                    source=spec.source,
                )
                created += 1
            topics[spec.code] = topic
            if not Course.objects.filter(district=district, code=spec.code).exists():
                model_create(
                    model=Course,
                    actor=actor,
                    district=district,
                    code=spec.code,
                    title=spec.name,
                    topic=topic,
                    hours=spec.hours,
                    provider=spec.provider,
                    delivery_mode=spec.mode,
                )
                created += 1
        for req in defaults.DEFAULT_REQUIREMENTS:
            if Requirement.objects.filter(
                district=district, role=req.role, credit=req.credit.value
            ).exists():
                continue
            requirement = model_create(
                model=Requirement,
                actor=actor,
                district=district,
                role=req.role.value,
                from_year=from_year,
                credit=req.credit.value,
                name=req.name,
                hours=req.hours,
                lapse_when_unmet=req.lapse,
                source=req.source,
            )
            created += 1
            for code in req.topics:
                due = (11, 1) if code == defaults.ACTIVE_SHOOTER else (None, None)
                model_create(
                    model=RequiredTopic,
                    actor=actor,
                    district=district,
                    requirement=requirement,
                    topic=topics[code],
                    min_hours=Decimal(1) if code == defaults.ACTIVE_SHOOTER else Decimal(0),
                    due_month=due[0],
                    due_day=due[1],
                )
                created += 1
        types: dict[str, CertificationType] = {}
        for code, name, issuer in defaults.DEFAULT_CERTIFICATION_TYPES:
            cert_type = CertificationType.objects.filter(district=district, code=code).first()
            if cert_type is None:
                cert_type = model_create(
                    model=CertificationType,
                    actor=actor,
                    district=district,
                    code=code,
                    name=name,
                    issuer=issuer,
                    source=defaults.KRS_158_4414,
                )
                created += 1
            types[code] = cert_type
        for role, code, lapse in defaults.DEFAULT_ROLE_CERTIFICATIONS:
            if not RoleCertification.objects.filter(
                district=district, role=role, certification_type=types[code]
            ).exists():
                model_create(
                    model=RoleCertification,
                    actor=actor,
                    district=district,
                    role=role.value,
                    certification_type=types[code],
                    lapse_when_invalid=lapse,
                )
                created += 1
    return created


def training_policy_update(
    *,
    district: District,
    actor: Actor,
    year_start_month: int,
    lapse_grace_days: int,
    topic_reminder_days: int,
) -> TrainingPolicy:
    _require_manager(actor, district.pk, Resource.TRAINING_CATALOG)
    data: dict[str, Any] = {
        "year_start_month": year_start_month,
        "lapse_grace_days": lapse_grace_days,
        "topic_reminder_days": topic_reminder_days,
    }
    policy = TrainingPolicy.objects.filter(district=district).first()
    if policy is None:
        return model_create(model=TrainingPolicy, actor=actor, district=district, **data)
    return model_update(instance=policy, actor=actor, data=data)


def course_create(
    *,
    district: District,
    actor: Actor,
    code: str,
    title: str,
    topic: Topic,
    hours: Decimal,
    provider: str,
    delivery_mode: str,
) -> Course:
    _require_manager(actor, district.pk, Resource.TRAINING_CATALOG)
    return model_create(
        model=Course,
        actor=actor,
        district=district,
        code=code,
        title=title.strip(),
        topic=topic,
        hours=hours,
        provider=provider.strip(),
        delivery_mode=delivery_mode,
    )


def requirement_save(
    *,
    district: District,
    actor: Actor,
    role: Role,
    from_year: int,
    credit: str,
    name: str,
    hours: Decimal,
    lapse_when_unmet: bool = False,
) -> Requirement:
    """Set a role's hours of one kind from a training year on (creating that year's row, with
    the topics of the rule it replaces, or updating it)."""
    _require_manager(actor, district.pk, Resource.TRAINING_CATALOG)
    with transaction.atomic():
        row = Requirement.objects.filter(
            district=district, role=role, from_year=from_year, credit=credit
        ).first()
        data: dict[str, Any] = {
            "name": name.strip(),
            "hours": hours,
            "lapse_when_unmet": lapse_when_unmet,
        }
        if row is not None:
            return model_update(instance=row, actor=actor, data=data)
        earlier = (
            Requirement.objects.filter(
                district=district, role=role, credit=credit, from_year__lt=from_year
            )
            .order_by("-from_year")
            .first()
        )
        row = model_create(
            model=Requirement,
            actor=actor,
            district=district,
            role=role.value,
            from_year=from_year,
            credit=credit,
            source=earlier.source if earlier else "",
            **data,
        )
        if earlier is not None:
            for item in earlier.topics.all():
                model_create(
                    model=RequiredTopic,
                    actor=actor,
                    district=district,
                    requirement=row,
                    topic=item.topic,
                    min_hours=item.min_hours,
                    due_month=item.due_month,
                    due_day=item.due_day,
                )
        return row


def required_topic_add(
    *,
    requirement: Requirement,
    topic: Topic,
    actor: Actor,
    min_hours: Decimal = Decimal(0),
    due_month: int | None = None,
    due_day: int | None = None,
) -> RequiredTopic:
    _require_manager(actor, requirement.district_id, Resource.TRAINING_CATALOG)
    return model_create(
        model=RequiredTopic,
        actor=actor,
        district_id=requirement.district_id,
        requirement=requirement,
        topic=topic,
        min_hours=min_hours,
        due_month=due_month,
        due_day=due_day,
    )


def required_topic_remove(*, item: RequiredTopic, actor: Actor) -> None:
    from safeops.core.services import model_delete

    _require_manager(actor, item.district_id, Resource.TRAINING_CATALOG)
    model_delete(instance=item, actor=actor)


# --- Records ---------------------------------------------------------------------------------


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
        from safeops.training.selectors import policy_for

        policy = policy_for(district_id=person.district_id)
        from safeops.training.engine import year_key

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
            {"certificate": "A certificate file is attached by a signed-in user."}
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
        raise ValidationError("Attach the file to a completion or a certification.")
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


# --- LMS import ------------------------------------------------------------------------------


class TrainingImportError(Exception):
    """The file was rejected; `errors` names each line. Nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s); nothing was written")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    updated: int = 0
    lines: int = 0
    errors: list[str] = field(default_factory=list)


TRAINING_COLUMNS = ("email", "topic", "course", "hours", "completed_on", "provider", "lms_id")


def completions_import_csv(
    *, district: District, text: str, actor: Actor, today: dt.date | None = None
) -> ImportResult:
    """Import LMS completions (CSV), validated whole: every problem is reported with its line
    number and nothing is written unless the whole file is valid. A row with an `lms_id` seen
    before for that person updates that completion, so re-importing changes nothing."""
    _require_manager(actor, district.pk, Resource.TRAINING_RECORD)
    day = today or timezone.localdate()
    source = read_csv(
        text, columns={name: name for name in TRAINING_COLUMNS}, clean=lambda _f, v: v.strip()
    )
    columns = set(source.fields)
    if not {"email", "completed_on"} <= columns or not columns & {"topic", "course"}:
        raise TrainingImportError([CSV_COLUMNS])
    if not source.rows and not source.issues:
        raise TrainingImportError([CSV_EMPTY])
    check = CompletionCheck(district=district, day=day)
    try:
        outcome = run_import(
            source=source,
            validate=each_row(check.row),
            write=lambda rows: _completions_write(rows=rows, actor=actor, day=day),
        )
    except Rejected as rejected:
        raise TrainingImportError([_problem_text(issue) for issue in rejected.issues]) from None
    return outcome.result


def _problem_text(issue: ImportIssue) -> str:
    """This importer's messages name their line already; the reader's get it added."""
    return issue.message if issue.field == "training" else f"{issue.where}: {issue.message}"


def _completions_write(*, rows: list[CompletionRow], actor: Actor, day: dt.date) -> ImportResult:
    """Record new completions, update those the LMS sent before (by person and lms_id)."""
    result = ImportResult(lines=len(rows))
    for item in rows:
        existing = (
            Completion.objects.filter(person=item.person, lms_id=item.lms_id).first()
            if item.lms_id
            else None
        )
        if existing is None:
            completion_record(
                person=item.person,
                topic=item.topic,
                course=item.course,
                hours=item.hours,
                completed_on=item.completed_on,
                provider=item.provider,
                lms_id=item.lms_id,
                source=RecordSource.LMS,
                actor=actor,
                today=day,
            )
            result.created += 1
            continue
        data: dict[str, Any] = {
            "topic": item.topic,
            "course": item.course,
            "hours": item.hours,
            "completed_on": item.completed_on,
        }
        before = (existing.topic_id, existing.course_id, existing.hours, existing.completed_on)
        if _is_own(actor, existing.person_id) and before != (
            item.topic.pk,
            item.course.pk if item.course else None,
            item.hours,
            item.completed_on,
        ):  # a changed own record waits for someone else's confirmation again
            data |= {"status": RecordStatus.PENDING, "confirmed_by": None, "confirmed_at": None}
        model_update(instance=existing, actor=actor, data=data, note="LMS import")
        after = (existing.topic_id, existing.course_id, existing.hours, existing.completed_on)
        if before == after:
            result.unchanged += 1
        else:
            result.updated += 1
    return result


# --- Reminders -------------------------------------------------------------------------------


def training_reminders_send(*, on: dt.date, base_url: str = "") -> int:
    """E-mail people whose certification expires within 90, 60 or 30 days (once per window),
    has expired (once), or whose required topic is due soon (once per topic and year).

    Returns how many e-mails were sent."""
    from safeops.training.selectors import reminder_items

    sent = 0
    for item in reminder_items(on=on):
        if TrainingReminder.objects.filter(person=item.person, key=item.key).exists():
            continue
        send_mail(
            subject=item.subject,
            message=REMINDER_BODY.format(
                who=item.person.full_name, what=item.text, url=f"{base_url}/training/"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[item.person.email],
        )
        TrainingReminder.objects.create(person=item.person, key=item.key, sent_on=on)
        sent += 1
    return sent
