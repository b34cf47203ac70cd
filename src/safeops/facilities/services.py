"""Writes for facility audits: the default checklist, audits, findings, photos, remediation."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from safeops.accounts.models import User
from safeops.core.audit import Actor, audit_write
from safeops.core.models import AuditAction
from safeops.core.services import model_create, model_update
from safeops.core.uploads import JPEG, PNG, read_checked_upload
from safeops.facilities.models import (
    AuditResult,
    AuditTemplate,
    FacilityAudit,
    Finding,
    FindingPhoto,
    ItemResult,
    RemediationTask,
    Severity,
    TemplateItem,
)
from safeops.schools.models import District, School
from safeops.staff.models import Person

DEFAULT_TEMPLATE = gettext_noop("Kentucky school safety walk-through")
KRS_3 = "KRS 158.162(3)"
SB1 = gettext_noop("KRS 158.162(3) (2019 SB 1; 2020 SB 8 exceptions)")
# code, text, legal source, weight, default severity
DEFAULT_ITEMS: tuple[tuple[str, str, str, int, Severity], ...] = (
    (
        "controlled_access",
        gettext_noop("Access to the building is controlled"),
        KRS_3,
        3,
        Severity.HIGH,
    ),
    (
        "main_entrance",
        gettext_noop("Main entrance has an electronic lock, a camera and an intercom"),
        SB1,
        3,
        Severity.HIGH,
    ),
    (
        "classroom_doors_lock",
        gettext_noop("Classroom doors lock from outside and open from inside"),
        SB1,
        3,
        Severity.HIGH,
    ),
    (
        "classroom_doors_locked",
        gettext_noop("Classroom doors are kept locked"),
        SB1,
        2,
        Severity.HIGH,
    ),
    (
        "evacuation_routes",
        gettext_noop("Primary and secondary evacuation routes are posted in every room"),
        KRS_3,
        2,
        Severity.MEDIUM,
    ),
    ("safe_zones", gettext_noop("Severe-weather safe zones are posted"), KRS_3, 2, Severity.MEDIUM),
    ("front_cameras", gettext_noop("Cameras at the front doors work"), SB1, 2, Severity.MEDIUM),
    (
        "exterior_doors",
        gettext_noop("Exterior doors are controlled (closed and locked)"),
        SB1,
        3,
        Severity.HIGH,
    ),
)

TEMPLATE_OTHER_DISTRICT = gettext_noop("That checklist belongs to another district.")
RESULTS_INCOMPLETE = gettext_noop("Give a result for every checklist item ({missing} missing).")
TASK_CLOSED = gettext_noop("This remediation task is already closed.")
OWNER_OTHER_DISTRICT = gettext_noop("The task owner must work in the school's district.")


def facility_defaults_seed(*, district: District, actor: Actor) -> AuditTemplate:
    """The default Kentucky checklist for `district` (created once; missing items added)."""
    with transaction.atomic():
        template = AuditTemplate.objects.filter(district=district, name=DEFAULT_TEMPLATE).first()
        if template is None:
            template = model_create(
                model=AuditTemplate, actor=actor, district=district, name=DEFAULT_TEMPLATE
            )
        for order, (code, text, source, weight, severity) in enumerate(DEFAULT_ITEMS):
            if not template.items.filter(code=code).exists():
                model_create(
                    model=TemplateItem,
                    actor=actor,
                    template=template,
                    code=code,
                    text=text,
                    legal_source=source,
                    weight=weight,
                    default_severity=severity,
                    order=order,
                )
    return template


def audit_score(results: Mapping[TemplateItem, str]) -> float:
    """Weighted share of applicable items that passed, 0–100 (100 when nothing applies)."""
    applicable = [(item, r) for item, r in results.items() if r != ItemResult.NOT_APPLICABLE]
    total = sum(item.weight for item, _ in applicable)
    if total == 0:
        return 100.0
    passed = sum(item.weight for item, r in applicable if r == ItemResult.PASS)
    return round(100.0 * passed / total, 1)


def facility_audit_record(
    *,
    school: School,
    template: AuditTemplate,
    conducted_on: dt.date,
    results: Mapping[int, tuple[str, str]],
    actor: User | str,
    notes: str = "",
) -> FacilityAudit:
    """Record a walk-through: every item's result (item id → (result, note)). Each failed item
    opens a finding with the item's default severity."""
    if template.district_id != school.district_id:
        raise ValidationError(TEMPLATE_OTHER_DISTRICT)
    items = list(template.items.all())
    missing = [item for item in items if item.pk not in results]
    if missing:
        raise ValidationError(gettext(RESULTS_INCOMPLETE).format(missing=len(missing)))
    by_item = {item: results[item.pk][0] for item in items}
    for value in by_item.values():
        if value not in ItemResult.values:
            raise ValidationError(gettext("Unknown result %(value)s.") % {"value": repr(value)})
    with transaction.atomic():
        audit = model_create(
            model=FacilityAudit,
            actor=actor,
            school=school,
            template=template,
            conducted_on=conducted_on,
            conducted_by=actor if not isinstance(actor, str) else None,
            notes=notes.strip(),
            score=audit_score(by_item),
        )
        AuditResult.objects.bulk_create(
            AuditResult(audit=audit, item=item, result=by_item[item], note=results[item.pk][1])
            for item in items
        )
        for item in items:
            if by_item[item] == ItemResult.FAIL:
                note = results[item.pk][1].strip()
                model_create(
                    model=Finding,
                    actor=actor,
                    audit=audit,
                    item=item,
                    severity=item.default_severity,
                    description=f"{item.text}: {note}" if note else item.text,
                )
    return audit


def finding_add(*, audit: FacilityAudit, severity: str, description: str, actor: Actor) -> Finding:
    return model_create(
        model=Finding, actor=actor, audit=audit, severity=severity, description=description
    )


def finding_photo_add(*, finding: Finding, upload: UploadedFile, actor: User) -> FindingPhoto:
    """Attach a photo (PNG or JPEG, checked by its bytes, within the size limit)."""
    data, content_type = read_checked_upload(upload, allowed=(PNG, JPEG))
    digest = hashlib.sha256(data).hexdigest()
    photo = FindingPhoto(
        finding=finding,
        content_type=content_type,
        size=len(data),
        digest=digest,
        uploaded_by=actor,
    )
    with transaction.atomic():
        photo.file.save(digest[:16], ContentFile(data), save=False)
        photo.full_clean()
        photo.save()
        audit_write(actor=actor, action=AuditAction.CREATE, instance=photo, before=None)
    return photo


def remediation_task_create(
    *, finding: Finding, description: str, owner: Person, due_on: dt.date, actor: Actor
) -> RemediationTask:
    if owner.district_id != finding.audit.school.district_id:
        raise ValidationError({"owner": OWNER_OTHER_DISTRICT})
    return model_create(
        model=RemediationTask,
        actor=actor,
        finding=finding,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
    )


def remediation_reinspect(
    *, task: RemediationTask, passed: bool, note: str, on: dt.date, actor: User
) -> RemediationTask:
    """Record a re-inspection. A pass closes the task, and the finding once all its tasks are
    closed; a fail keeps both open with the note."""
    if task.closed_on is not None:
        raise ValidationError(TASK_CLOSED)
    with transaction.atomic():
        task = model_update(
            instance=task,
            actor=actor,
            data={
                "closed_on": on if passed else None,
                "reinspection_note": note.strip()[:300],
                "reinspected_by": actor,
            },
        )
        finding = task.finding
        if passed and not finding.tasks.filter(closed_on__isnull=True).exists():
            model_update(instance=finding, actor=actor, data={"closed_on": on})
    return task
