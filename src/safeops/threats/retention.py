"""Retention: closed cases and tips are deleted THREAT_RETENTION_DAYS after closing.

Each deletion writes an audit entry whose "before" values have every sealed column replaced by
a marker, so the purge itself copies no narrative (not even ciphertext) into the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from safeops.core.audit import audit_export, audit_write, snapshot
from safeops.core.crypto import decrypt_bytes, encrypt_bytes, rotate_text
from safeops.core.models import AuditAction
from safeops.threats.choices import Stage, TipStatus
from safeops.threats.models import ThreatCase, Tip, TipAttachment

ACTOR = "system:purge-expired-cases"
ACTOR_RESEAL = "system:reseal-threat-records"
SEALED = "[sealed, purged]"


@dataclass
class PurgeReport:
    cutoff: dt.datetime
    days: int
    cases: int = 0
    tips: int = 0
    lines: list[str] = field(default_factory=list)


def _redacted(instance: models.Model) -> dict[str, object]:
    return {
        k: (SEALED if k.endswith("_sealed") and v else v) for k, v in snapshot(instance).items()
    }


def _delete(instance: models.Model, note: str) -> None:
    audit_write(
        actor=ACTOR,
        action=AuditAction.DELETE,
        instance=instance,
        before=_redacted(instance),
        note=note,
    )
    instance.delete()


def purge_expired(*, dry_run: bool, now: dt.datetime | None = None) -> PurgeReport:
    days = int(settings.THREAT_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    report = PurgeReport(cutoff=cutoff, days=days)
    cases = list(ThreatCase.objects.filter(stage=Stage.CLOSED, closed_at__lt=cutoff).order_by("pk"))
    expired_tips = list(
        Tip.objects.filter(status=TipStatus.CLOSED, closed_at__lt=cutoff)
        .exclude(cases__stage__in=[s for s in Stage if s != Stage.CLOSED])
        .order_by("pk")
    )
    for case in cases:
        report.lines.append(
            f"case {case.pk} (school {case.school_id}) closed {case.closed_at:%Y-%m-%d}"
        )
    for tip in expired_tips:
        report.lines.append(f"tip {tip.code} closed {tip.closed_at:%Y-%m-%d}")
    report.cases, report.tips = len(cases), len(expired_tips)
    if dry_run:
        return report
    with transaction.atomic():
        for case in cases:
            for child in (
                *case.records.all(),
                *case.tasks.all(),
                *case.follow_ups.all(),
                *case.consultations.all(),
                *case.team.all(),
            ):
                _delete(child, "retention")
            _delete(case, "retention")
        for tip in expired_tips:
            for child in (*tip.events.all(), *tip.attachments.all()):
                if hasattr(child, "file"):
                    child.file.delete(save=False)
                _delete(child, "retention")
            _delete(tip, "retention")
    return report


def _sealed_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_app_config("threats").get_models()
        if any(f.name.endswith("_sealed") for f in model._meta.concrete_fields)
    ]


def reseal_all() -> dict[str, int]:
    """Re-encrypt every sealed column with the newest key (the plaintext does not change, so
    no audit entry is written per row; one bulk entry per model records the operation)."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for model in _sealed_models():
            columns = [f.name for f in model._meta.concrete_fields if f.name.endswith("_sealed")]
            count = 0
            for row in model._default_manager.select_for_update().only("pk", *columns):
                values = {c: rotate_text(getattr(row, c)) for c in columns}
                model._default_manager.filter(pk=row.pk).update(**values)
                count += 1
            counts[model._meta.label_lower] = count
            audit_export(
                actor=ACTOR_RESEAL, model=model, count=count, note="re-sealed with the newest key"
            )
        attachments = 0
        for attachment in TipAttachment.objects.select_for_update():
            with attachment.file.open("rb") as handle:
                data = handle.read()
            name = attachment.file.name
            attachment.file.storage.delete(name)
            saved = attachment.file.storage.save(
                name, ContentFile(encrypt_bytes(decrypt_bytes(data)))
            )
            if saved != name:
                TipAttachment.objects.filter(pk=attachment.pk).update(file=saved)
            attachments += 1
        counts["threats.tipattachment (files)"] = attachments
    return counts
