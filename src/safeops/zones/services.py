"""Writes for zones and their school memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from safeops.access import current_filter
from safeops.core.audit import Actor, audit_write, snapshot
from safeops.core.models import AuditAction
from safeops.core.services import model_create
from safeops.schools.models import District, School
from safeops.zones.models import Zone, ZoneKind, ZoneMembership

SCHOOL_IN_OTHER_ZONE = "{school} is already in zone {zone} on {day}; end that membership first."


def zone_create(
    *,
    district: District,
    name: str,
    actor: Actor,
    kind: ZoneKind = ZoneKind.PATROL,
    high_school: School | None = None,
    post_school: School | None = None,
) -> Zone:
    return model_create(
        model=Zone,
        actor=actor,
        district=district,
        name=name,
        kind=kind,
        high_school=high_school,
        post_school=post_school,
    )


def zone_set_schools(
    *, zone: Zone, schools: Iterable[School], starts_on: dt.date, actor: Actor
) -> list[ZoneMembership]:
    """Make `schools` the zone's members from `starts_on`, keeping history.

    Memberships of schools that leave end on `starts_on`; schools that stay keep their row;
    new schools get a membership starting on `starts_on`. A school may be in only one zone
    at a time.
    """
    wanted = {school.pk: school for school in schools}
    with transaction.atomic():
        # Lock the schools first: concurrent calls placing one school in two zones serialise here.
        list(School.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
        current = {
            membership.school_id: membership
            for membership in ZoneMembership.objects.select_for_update()
            .filter(current_filter(starts_on), zone=zone)
            .select_related("school")
        }
        conflicts = (
            ZoneMembership.objects.filter(current_filter(starts_on), school_id__in=wanted)
            .exclude(zone=zone)
            .select_related("school", "zone")
        )
        errors = [
            SCHOOL_IN_OTHER_ZONE.format(school=m.school, zone=m.zone, day=starts_on)
            for m in conflicts
        ]
        if errors:
            raise ValidationError({"schools": errors})
        for school_id, membership in current.items():
            if school_id not in wanted:
                before = snapshot(membership)
                if membership.starts_on >= starts_on:
                    audit_write(
                        actor=actor, action=AuditAction.DELETE, instance=membership, before=before
                    )
                    membership.delete()
                    continue
                membership.ends_on = starts_on
                membership.save(update_fields=["ends_on"])
                audit_write(
                    actor=actor, action=AuditAction.UPDATE, instance=membership, before=before
                )
        created = []
        for school_id, school in wanted.items():
            if school_id in current:
                continue
            if school.district_id != zone.district_id:
                message = gettext("%(school)s is in another district.") % {"school": school}
                raise ValidationError({"schools": [message]})
            created.append(
                model_create(
                    model=ZoneMembership, actor=actor, zone=zone, school=school, starts_on=starts_on
                )
            )
    return created
