"""Writes for school safety plans: versions, the SA → principal workflow, steps, attachments."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from safeops.access import Action, can, viewer_for
from safeops.accounts.models import User
from safeops.core.audit import audit_write
from safeops.core.models import AuditAction
from safeops.core.services import model_create, model_update
from safeops.core.uploads import JPEG, PDF, PNG, read_checked_upload
from safeops.drills.models import SchoolYear
from safeops.safetyplans.models import (
    SECTION_KEYS,
    AttachmentKind,
    PlanAttachment,
    PlanEvent,
    PlanEventKind,
    PlanStatus,
    PlanVersion,
    SafetyPlan,
)
from safeops.schools.models import School
from safeops.staff.choices import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ONLY_SA_DRAFTS = gettext_noop(
    "Only the school's Safety Administrator (or the security chief) edits the plan."
)
ONLY_PRINCIPAL_APPROVES = gettext_noop("Only the school's principal approves its safety plan.")
NOT_SUBMITTED = gettext_noop("The plan must be submitted before it can be approved or returned.")
ALREADY_SUBMITTED = gettext_noop("The plan is already waiting for the principal.")
SECTIONS_MISSING = gettext_noop("Complete every required section before submitting: {sections}.")
NO_VERSION = gettext_noop("Save a version of the plan first.")
NOT_APPROVED = gettext_noop("Only an approved plan is shared with first responders.")
PLAN_EXISTS = gettext_noop("This school already has a safety plan for {year}.")
YEAR_OTHER_DISTRICT = gettext_noop("That school year belongs to another district.")
UNKNOWN_SECTION = gettext_noop("Unknown plan section: {key}.")
BRIEFING_LATE = gettext_noop(
    "The staff briefing must be before the first instructional day ({day})."
)
REVIEW_EARLY = gettext_noop(
    "The after-year review is held after the last instructional day ({day})."
)

NEW_PLAN = gettext_noop("New plan")  # stored; translated where shown


def _stored(label: StrOrPromise) -> str:
    """A label as stored: in the site's language (English), whoever reads the page."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _role(actor: User) -> Role | None:
    return viewer_for(actor).role


def _is_superuser(actor: User) -> bool:
    return bool(getattr(actor, "is_superuser", False))


def plan_may_draft(*, plan: SafetyPlan, actor: User) -> bool:
    """The school's SA (or the security chief) drafts and submits the plan."""
    if not can(actor, Action.CHANGE, plan):
        return False
    return _is_superuser(actor) or _role(actor) in (Role.SAFETY_ADMINISTRATOR, Role.SECURITY_CHIEF)


def plan_may_approve(*, plan: SafetyPlan, actor: User) -> bool:
    """Only the school's principal approves or returns the plan."""
    if not can(actor, Action.CHANGE, plan):
        return False
    return _is_superuser(actor) or _role(actor) == Role.PRINCIPAL


def _require_drafter(plan: SafetyPlan, actor: User) -> None:
    if not plan_may_draft(plan=plan, actor=actor):
        raise PermissionDenied(ONLY_SA_DRAFTS)


def _require_approver(plan: SafetyPlan, actor: User) -> None:
    if not plan_may_approve(plan=plan, actor=actor):
        raise PermissionDenied(ONLY_PRINCIPAL_APPROVES)


def _event(
    plan: SafetyPlan,
    kind: PlanEventKind,
    actor: User,
    *,
    version: PlanVersion | None = None,
    note: str = "",
) -> PlanEvent:
    return PlanEvent.objects.create(
        plan=plan,
        kind=kind,
        version=version,
        actor=actor,
        actor_label=actor.get_username(),
        note=note[:300],
    )


def plan_create(*, school: School, school_year: SchoolYear, actor: User | str) -> SafetyPlan:
    """Start a plan; its first version copies the last version of the school's previous plan."""
    if school_year.district_id != school.district_id:
        raise ValidationError(YEAR_OTHER_DISTRICT)
    if SafetyPlan.objects.filter(school=school, school_year=school_year).exists():
        raise ValidationError(gettext(PLAN_EXISTS).format(year=school_year))
    with transaction.atomic():
        plan = model_create(model=SafetyPlan, actor=actor, school=school, school_year=school_year)
        previous = (
            PlanVersion.objects.filter(plan__school=school)
            .exclude(plan=plan)
            .order_by("-plan__school_year__first_day", "-number")
            .first()
        )
        PlanVersion.objects.create(
            plan=plan,
            number=1,
            sections=dict(previous.sections) if previous else {},
            note=f"Copied from {previous}" if previous else NEW_PLAN,
            created_by=actor if not isinstance(actor, str) else None,
        )
    return plan


def plan_save_version(
    *, plan: SafetyPlan, sections: dict[str, str], actor: User, note: str = ""
) -> PlanVersion:
    """Save the sections as a new version. Editing an approved or submitted plan makes it a
    draft again; the approved version stays recorded until the next approval."""
    _require_drafter(plan, actor)
    unknown = sorted(set(sections) - set(SECTION_KEYS))
    if unknown:
        raise ValidationError(gettext(UNKNOWN_SECTION).format(key=", ".join(unknown)))
    with transaction.atomic():
        plan = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
        latest = plan.versions.order_by("-number").first()
        cleaned = {key: sections.get(key, "").strip() for key in SECTION_KEYS}
        if latest is not None and latest.sections == cleaned:
            return latest
        version = PlanVersion.objects.create(
            plan=plan,
            number=(latest.number if latest else 0) + 1,
            sections=cleaned,
            note=note[:200],
            created_by=actor,
        )
        if plan.status != PlanStatus.DRAFT:
            model_update(instance=plan, actor=actor, data={"status": PlanStatus.DRAFT})
        audit_write(
            actor=actor,
            action=AuditAction.CREATE,
            instance=version,
            before=None,
            note="plan version",
        )
        _event(plan, PlanEventKind.SAVED, actor, version=version, note=note)
    return version


def plan_submit(*, plan: SafetyPlan, actor: User) -> SafetyPlan:
    _require_drafter(plan, actor)
    if plan.status == PlanStatus.SUBMITTED:
        raise ValidationError(ALREADY_SUBMITTED)
    latest = plan.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError(NO_VERSION)
    missing = latest.missing_sections()
    if missing:
        raise ValidationError(gettext(SECTIONS_MISSING).format(sections=", ".join(missing)))
    with transaction.atomic():
        plan = model_update(instance=plan, actor=actor, data={"status": PlanStatus.SUBMITTED})
        _event(plan, PlanEventKind.SUBMITTED, actor, version=latest)
    return plan


def plan_approve(*, plan: SafetyPlan, actor: User, note: str = "") -> SafetyPlan:
    """The principal adopts the submitted version (KRS 158.162: the council or principal)."""
    _require_approver(plan, actor)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    latest = plan.versions.order_by("-number").first()
    with transaction.atomic():
        plan = model_update(
            instance=plan,
            actor=actor,
            data={
                "status": PlanStatus.APPROVED,
                "approved_version": latest,
                "approved_by": actor,
                "approved_at": timezone.now(),
            },
        )
        _event(plan, PlanEventKind.APPROVED, actor, version=latest, note=note)
    return plan


def plan_return(*, plan: SafetyPlan, actor: User, note: str) -> SafetyPlan:
    _require_approver(plan, actor)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    with transaction.atomic():
        plan = model_update(instance=plan, actor=actor, data={"status": PlanStatus.DRAFT})
        _event(plan, PlanEventKind.RETURNED, actor, note=note)
    return plan


def plan_record_shared(
    *, plan: SafetyPlan, on: dt.date, shared_with: str, actor: User
) -> SafetyPlan:
    """The approved plan went to first responders (local fire, police, EMS)."""
    if not can(actor, Action.CHANGE, plan):
        raise PermissionDenied(ONLY_SA_DRAFTS)
    if plan.approved_version_id is None:
        raise ValidationError(NOT_APPROVED)
    return _record(
        plan,
        actor,
        PlanEventKind.SHARED,
        {"shared_with_responders_on": on, "shared_with": shared_with.strip()},
        note=shared_with,
    )


def plan_record_briefing(
    *, plan: SafetyPlan, at: dt.datetime, attendance: int, notes: str, actor: User
) -> SafetyPlan:
    """The principal discussed the plan with all staff before the first instructional day."""
    if not can(actor, Action.CHANGE, plan):
        raise PermissionDenied(ONLY_SA_DRAFTS)
    first = plan.school_year.first_day
    if timezone.localtime(at).date() >= first:
        raise ValidationError({"briefing_at": gettext(BRIEFING_LATE).format(day=first.isoformat())})
    return _record(
        plan,
        actor,
        PlanEventKind.BRIEFING,
        {"briefing_at": at, "briefing_attendance": attendance, "briefing_notes": notes.strip()},
        note=f"{attendance} attended",
    )


def plan_record_review(
    *, plan: SafetyPlan, on: dt.date, participants: str, actor: User
) -> SafetyPlan:
    """The after-year review with the nurse, council, principal and first responders."""
    if not can(actor, Action.CHANGE, plan):
        raise PermissionDenied(ONLY_SA_DRAFTS)
    last = plan.school_year.last_day
    if on <= last:
        raise ValidationError({"review_on": gettext(REVIEW_EARLY).format(day=last.isoformat())})
    return _record(
        plan,
        actor,
        PlanEventKind.REVIEW,
        {"review_on": on, "review_participants": participants.strip()},
        note=participants,
    )


def _record(
    plan: SafetyPlan,
    actor: User,
    kind: PlanEventKind,
    data: dict[str, Any],
    *,
    note: str,
) -> SafetyPlan:
    with transaction.atomic():
        plan = model_update(instance=plan, actor=actor, data=data)
        _event(plan, kind, actor, note=note)
    return plan


def attachment_add(
    *,
    plan: SafetyPlan,
    kind: str,
    title: str,
    upload: UploadedFile,
    actor: User,
) -> PlanAttachment:
    """Store a floor plan or diagram after checking its size and its real type (magic bytes)."""
    if not can(actor, Action.CHANGE, plan):
        raise PermissionDenied(ONLY_SA_DRAFTS)
    data, content_type = read_checked_upload(upload, allowed=(PDF, PNG, JPEG))
    if kind not in AttachmentKind.values:
        kind = AttachmentKind.OTHER
    digest = hashlib.sha256(data).hexdigest()
    attachment = PlanAttachment(
        plan=plan,
        kind=kind,
        title=title.strip()[:150] or _stored(AttachmentKind(kind).label),
        content_type=content_type,
        size=len(data),
        digest=digest,
        uploaded_by=actor,
    )
    with transaction.atomic():
        attachment.file.save(digest[:16], ContentFile(data), save=False)
        attachment.full_clean()
        attachment.save()
        audit_write(actor=actor, action=AuditAction.CREATE, instance=attachment, before=None)
        _event(plan, PlanEventKind.ATTACHMENT, actor, note=attachment.title)
    return attachment
