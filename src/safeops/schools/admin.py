"""Admin: schools are edited by the chief through the same generic service as the API (validated,
audited); feeder links are shown, not edited. Districts are for superusers."""

from django.contrib import admin

from safeops.access.admin_site import ScopedModelAdmin, generic_writes
from safeops.schools.models import District, School


@admin.register(School)
class SchoolAdmin(ScopedModelAdmin):
    list_display = ("name", "level", "code", "enrollment", "feeder_high_school", "active")
    list_filter = ("level", "active", "district")
    search_fields = ("name", "code", "address")
    autocomplete_fields = ("feeder_high_school", "resides_high_school")
    service_writes = generic_writes(School, delete=False)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Superusers read districts; districts are created by `seed-demo` and `import-schools`."""

    list_display = ("name", "state")

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return bool(request.user.is_superuser)

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return bool(request.user.is_superuser)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
