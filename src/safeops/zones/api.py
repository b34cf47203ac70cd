from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from safeops.access import Action, Resource, can_any
from safeops.core.inputs import READ_ERRORS, Id
from safeops.zones.models import Zone
from safeops.zones.selectors import zone_detail_for_user, zone_list_for_user
from safeops.zones.views import NO_ZONE_ACCESS

router = Router(tags=["zones"])


class ZoneOut(Schema):
    id: int
    name: str
    kind: str
    high_school_id: int | None
    post_school_id: int | None
    active: bool
    school_count: int


class ZoneDetailOut(ZoneOut):
    school_ids: list[int]


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.ZONE):
        raise PermissionDenied(NO_ZONE_ACCESS)


@router.get(
    "",
    response={200: list[ZoneOut]} | READ_ERRORS,
    summary="Zones you may see, with current school counts",
)
def zone_list_api(request: HttpRequest) -> list[Zone]:
    _require_view(request)
    return list(zone_list_for_user(user=request.user))


@router.get("/{zone_id}", response={200: ZoneDetailOut} | READ_ERRORS)
def zone_get_api(request: HttpRequest, zone_id: Id) -> dict[str, object]:
    _require_view(request)
    detail = zone_detail_for_user(user=request.user, zone_id=zone_id)
    zone = detail.zone
    return {
        "id": zone.pk,
        "name": zone.name,
        "kind": zone.kind,
        "high_school_id": zone.high_school_id,
        "post_school_id": zone.post_school_id,
        "active": zone.active,
        "school_count": len(detail.schools),
        "school_ids": [school.pk for school in detail.schools],
    }
