"""Panic-button and badge alarms: integrations, their devices, and the alarm → P1 request.

An alarm from a registered device becomes one P1 `panic_alarm` request at the device's school
(and room), filed by the integration, with a board alert that also reaches the school's Safety
Administrators and the zone's officers (`alerts.deliver_alert`). The sender's event id is
unique per integration: a resent alarm returns the first request (`replayed`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction
from safeops.dispatch.choices import AlertKind, Category, Priority, Source
from safeops.dispatch.models import (
    Alert,
    IntakeDevice,
    IntakeEvent,
    Integration,
    SupportRequest,
)
from safeops.dispatch.services.alerts import alert_raise
from safeops.dispatch.services.common import viewer_of
from safeops.dispatch.services.places import zone_of_school
from safeops.dispatch.services.requests import _create_locked
from safeops.schools.models import District, School
from safeops.staff.choices import Role

ALARM_KINDS = {"panic": "Panic button", "badge": "Badge alarm", "duress": "Duress alarm"}
UNKNOWN_KIND = "Unknown alarm kind; use one of: {kinds}."
EVENT_ID_NEEDED = "Give the sender's event id (1 to 100 characters, no control characters)."
UNKNOWN_DEVICE = (
    "Device {device!r} is not registered (or not active) for integration {integration!r}; "
    "register it with `safeops intake_device`."
)
EVENT_ID_REUSED = "Event id {event!r} was already used for device {device!r}."
ALARM_SUMMARY = "{kind} from device {device}"
MAY_NOT_REGISTER = "Only the security chief registers alarm integrations and devices."
SCHOOL_OTHER_DISTRICT = "The school is in another district than the integration."
UNKNOWN_INTEGRATION = "No integration with key {key!r}."


@dataclass(frozen=True)
class AlarmReceived:
    request: SupportRequest
    replayed: bool
    alert: Alert | None = None


def _clean_id(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value or len(value) > 100 or any(ord(ch) < 32 for ch in value):
        raise ValidationError({field: message})
    return value


def intake_alarm(
    *, integration: Integration, event_id: str, device_id: str, kind: str = "panic"
) -> AlarmReceived:
    """File the P1 for a verified alarm (see dispatch.intake.verify); idempotent by event id."""
    event_id = _clean_id(event_id, "event_id", EVENT_ID_NEEDED)
    if kind not in ALARM_KINDS:
        raise ValidationError({"kind": UNKNOWN_KIND.format(kinds=", ".join(ALARM_KINDS))})
    first = _replay(integration, event_id, device_id)
    if first is not None:
        return first
    device = (
        IntakeDevice.objects.select_related("school")
        .filter(integration=integration, device_id=device_id[:100], active=True)
        .first()
        if device_id and "\x00" not in device_id
        else None
    )
    if device is None:
        raise ValidationError(
            {
                "device_id": UNKNOWN_DEVICE.format(
                    device=device_id[:100], integration=integration.key
                )
            }
        )
    school = device.school
    label = ALARM_KINDS[kind]
    request = SupportRequest(
        district_id=integration.district_id,
        school=school,
        zone=zone_of_school(school),
        latitude=school.latitude,
        longitude=school.longitude,
        location_description=device.room,
        requester=None,
        requester_label=f"integration:{integration.key}",
        category=Category.PANIC_ALARM,
        priority=Priority.P1,
        summary=ALARM_SUMMARY.format(kind=label, device=device.device_id),
        source=Source.INTAKE,
    )
    try:
        with transaction.atomic():
            _create_locked(request, f"integration:{integration.key}")
            IntakeEvent.objects.create(
                integration=integration,
                event_id=event_id,
                device=device,
                request=request,
                received_at=request.created_at,
            )
            alert = alert_raise(
                district_id=request.district_id,
                request=request,
                kind=AlertKind.ALARM,
                params={
                    "kind": kind,
                    "place": request.place,
                    "device": device.device_id,
                    "request": request.pk,
                },
                link=f"/dispatch/requests/{request.pk}/",
            )
    except IntegrityError:
        # The same event id arrived twice at once: the other one committed first.
        first = _replay(integration, event_id, device_id)
        if first is None:
            raise
        return first
    return AlarmReceived(request, replayed=False, alert=alert)


def _replay(integration: Integration, event_id: str, device_id: str) -> AlarmReceived | None:
    seen = (
        IntakeEvent.objects.select_related("request", "device")
        .filter(integration=integration, event_id=event_id)
        .first()
    )
    if seen is None:
        return None
    if seen.device.device_id != device_id:
        raise ValidationError(
            {"event_id": EVENT_ID_REUSED.format(event=event_id, device=seen.device.device_id)}
        )
    return AlarmReceived(seen.request, replayed=True)


# --- Registration (commands, admin) ------------------------------------------------------------


def _check_registrar(actor: Actor, district_id: int) -> None:
    viewer = viewer_of(actor)
    if viewer is None or viewer.is_superuser:
        return
    if viewer.role != Role.SECURITY_CHIEF or viewer.district_id != district_id:
        raise PermissionDenied(MAY_NOT_REGISTER)


def integration_register(
    *, actor: Actor, district: District, key: str, name: str
) -> tuple[Integration, str]:
    """A new integration and its signing secret (shown once: only the sealed copy is kept)."""
    _check_registrar(actor, district.pk)
    secret = secrets.token_urlsafe(32)
    integration = Integration(district=district, key=key.strip(), name=name.strip())
    integration.secret = secret
    integration.full_clean()
    with transaction.atomic():
        integration.save()
        audit_write(actor=actor, action=AuditAction.CREATE, instance=integration, before=None)
    return integration, secret


def integration_get(*, key: str) -> Integration:
    integration = Integration.objects.filter(key=key).first()
    if integration is None:
        raise ValidationError({"key": UNKNOWN_INTEGRATION.format(key=key)})
    return integration


def integration_rotate_secret(*, actor: Actor, key: str) -> tuple[Integration, str]:
    """A new signing secret; the old one stops working at once."""
    integration = integration_get(key=key)
    _check_registrar(actor, integration.district_id)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        before = snapshot(integration)
        integration.secret = secret
        integration.save(update_fields=["secret_sealed", "updated_at"])
        audit_write(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=integration,
            before=before,
            note="secret rotated",
        )
    return integration, secret


def intake_device_register(
    *, actor: Actor, integration: Integration, device_id: str, school: School, room: str = ""
) -> IntakeDevice:
    """Place a device at a school (and room); registering it again moves it."""
    _check_registrar(actor, integration.district_id)
    if school.district_id != integration.district_id:
        raise ValidationError({"school": SCHOOL_OTHER_DISTRICT})
    device_id = _clean_id(device_id, "device_id", "Give the device id (1 to 100 characters).")
    with transaction.atomic():
        device = (
            IntakeDevice.objects.select_for_update()
            .filter(integration=integration, device_id=device_id)
            .first()
        )
        before = snapshot(device) if device is not None else None
        if device is None:
            device = IntakeDevice(integration=integration, device_id=device_id)
        device.school = school
        device.room = room.strip()
        device.active = True
        device.full_clean()
        device.save()
        audit_write(
            actor=actor,
            action=AuditAction.UPDATE if before is not None else AuditAction.CREATE,
            instance=device,
            before=before,
        )
    return device
