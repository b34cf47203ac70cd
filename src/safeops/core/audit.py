"""The audit log helper every service calls: who did what to which record, before and after.

Every write goes through a service, and every service records here; reads of sensitive
records record a VIEW entry through the selector that performs them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models.fields.files import FieldFile

from safeops.core.models import AuditAction, AuditEntry

# A user, or a label such as "system:import-schools" for commands run without a login.
Actor = AbstractBaseUser | AnonymousUser | str
Snapshot = dict[str, Any]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):  # a stored file: its storage name
        return value.name
    return value


def snapshot(instance: models.Model) -> Snapshot:
    """The concrete field values of `instance`, JSON-ready (foreign keys as ids)."""
    values: Snapshot = {}
    for field in instance._meta.concrete_fields:
        values[field.attname] = _json_value(getattr(instance, field.attname))
    return values


def _diff(before: Snapshot | None, after: Snapshot | None) -> dict[str, list[Any]]:
    before = before or {}
    after = after or {}
    changed: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        if key in ("created_at", "updated_at"):
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            changed[key] = [old, new]
    return changed


def _actor_fields(actor: Actor) -> tuple[Any, str]:
    if isinstance(actor, str):
        return None, actor
    if isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        return None, "anonymous"
    return actor, actor.get_username()


def audit_write(
    *,
    actor: Actor,
    action: AuditAction,
    instance: models.Model,
    before: Snapshot | None,
    note: str = "",
    extra_changes: dict[str, list[Any]] | None = None,
) -> AuditEntry | None:
    """Record a create, update or delete. An update that changed nothing records nothing."""
    after = None if action == AuditAction.DELETE else snapshot(instance)
    changes = _diff(before, after)
    if extra_changes:
        changes.update(extra_changes)
    if action == AuditAction.UPDATE and not changes:
        return None
    user, label = _actor_fields(actor)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
        note=note[:300],
    )


def audit_read(*, actor: Actor, instance: models.Model, note: str = "") -> AuditEntry:
    """Record that `actor` read a sensitive record."""
    user, label = _actor_fields(actor)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        action=AuditAction.VIEW,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        note=note[:300],
    )


def audit_export(
    *, actor: Actor, model: type[models.Model], count: int, note: str = ""
) -> AuditEntry:
    """Record a bulk read (an export of `count` rows)."""
    user, label = _actor_fields(actor)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        action=AuditAction.EXPORT,
        model=model._meta.label_lower,
        object_id="*",
        object_repr=f"{count} rows",
        note=note[:300],
    )
