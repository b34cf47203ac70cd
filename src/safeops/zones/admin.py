from django.contrib import admin

from safeops.core.admin_site import ScopedInline, ScopedModelAdmin
from safeops.zones.models import Zone, ZoneMembership


class ZoneMembershipInline(ScopedInline):
    model = ZoneMembership
    autocomplete_fields = ("school",)


@admin.register(Zone)
class ZoneAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "high_school", "post_school", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    autocomplete_fields = ("high_school", "post_school")
    inlines = (ZoneMembershipInline,)
