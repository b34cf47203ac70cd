"""Generic write helpers shared by the domain services."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction

M = TypeVar("M", bound=models.Model)


def model_create(*, model: type[M], actor: Actor, note: str = "", **fields: Any) -> M:
    """Create a validated row and its audit entry in one transaction."""
    instance = model(**fields)
    instance.full_clean()
    with transaction.atomic():
        instance.save()
        audit_write(
            actor=actor, action=AuditAction.CREATE, instance=instance, before=None, note=note
        )
    return instance


def model_update(*, instance: M, actor: Actor, data: dict[str, Any], note: str = "") -> M:
    """Apply `data` to `instance`, validate, save only if something changed, and audit it."""
    before = snapshot(instance)
    unknown = [name for name in data if not hasattr(instance, name)]
    if unknown:
        raise ValueError(f"Unknown fields for {type(instance).__name__}: {', '.join(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    if snapshot(instance) == before:
        return instance
    with transaction.atomic():
        instance.save()
        audit_write(
            actor=actor, action=AuditAction.UPDATE, instance=instance, before=before, note=note
        )
    return instance


def model_delete(*, instance: models.Model, actor: Actor, note: str = "") -> None:
    before = snapshot(instance)
    with transaction.atomic():
        audit_write(
            actor=actor, action=AuditAction.DELETE, instance=instance, before=before, note=note
        )
        instance.delete()
