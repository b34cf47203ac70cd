from django.contrib import admin

from safeops.core.admin_site import ScopedModelAdmin
from safeops.schools.models import District, School


@admin.register(School)
class SchoolAdmin(ScopedModelAdmin):
    list_display = ("name", "level", "code", "enrollment", "feeder_high_school", "active")
    list_filter = ("level", "active", "district")
    search_fields = ("name", "code", "address")
    autocomplete_fields = ("feeder_high_school", "resides_high_school")
    filter_horizontal = ("other_feeder_high_schools",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "state")

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return bool(request.user.is_superuser)

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return bool(request.user.is_superuser)
