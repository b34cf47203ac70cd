"""How the access module's ASSIGNED reach reads for dispatch records (rules: dispatch/rules.py)."""

from __future__ import annotations

from django.db.models import Q

from safeops.access import Resource, Viewer, register_resource
from safeops.dispatch.choices import OPEN
from safeops.dispatch.models import DispatchSettings, Integration, OfficerStatus, SupportRequest
from safeops.staff.choices import Role


def request_scope(viewer: Viewer) -> Q:
    """An SSO: their assignments and their zone's open requests. An SA or a principal: their
    schools' requests and the requests they made (a bus stop has no school)."""
    mine = Q(requester_id=viewer.user.pk) if viewer.user.pk is not None else Q(pk__in=[])
    if viewer.role == Role.SSO:
        return (
            mine
            | Q(officer_id=viewer.person_id)
            | Q(zone_id__in=viewer.zone_ids, status__in=[s.value for s in OPEN])
        )
    return mine | Q(school_id__in=viewer.school_ids)


def officer_scope(viewer: Viewer) -> Q:
    """An SSO: their own duty and position only."""
    return Q(person_id=viewer.person_id)


def register_dispatch_resources() -> None:
    register_resource(
        SupportRequest, Resource.REQUEST, scope=request_scope, district_field="district_id"
    )
    register_resource(
        OfficerStatus, Resource.OFFICER, scope=officer_scope, district_field="district_id"
    )
    register_resource(  # alarm integrations are district dispatch configuration
        Integration,
        Resource.DISPATCH_SETTINGS,
        scope=lambda viewer: Q(pk__in=[]),
        district_field="district_id",
    )
    register_resource(
        DispatchSettings,
        Resource.DISPATCH_SETTINGS,
        scope=lambda viewer: Q(pk__in=[]),
        district_field="district_id",
    )
