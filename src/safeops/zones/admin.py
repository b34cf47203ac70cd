"""Admin: zones are created through `zone_create` and edited through the generic service;
membership is read-only here (it changes through `zone_set_schools` on the zone page, which keeps
the dated history and one zone per school)."""

from typing import Any

from django.contrib import admin
from django.db.models import Model

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin, ServiceWrites, generic_writes
from safeops.core.audit import Actor
from safeops.zones.models import Zone, ZoneMembership
from safeops.zones.services import zone_create


class ZoneMembershipInline(ScopedInline):
    model = ZoneMembership
    autocomplete_fields = ("school",)


def _zone_create(*, actor: Actor, data: dict[str, Any]) -> Model:
    return zone_create(
        district=data["district"],
        name=data["name"],
        actor=actor,
        kind=data["kind"],
        high_school=data.get("high_school"),
        post_school=data.get("post_school"),
    )


@admin.register(Zone)
class ZoneAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "high_school", "post_school", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    autocomplete_fields = ("high_school", "post_school")
    inlines = (ZoneMembershipInline,)
    service_writes = ServiceWrites(create=_zone_create, update=generic_writes(Zone).update)
