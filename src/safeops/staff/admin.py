from django.contrib import admin

from safeops.core.admin_site import ScopedInline, ScopedModelAdmin
from safeops.staff.models import Assignment, Person


class AssignmentInline(ScopedInline):
    model = Assignment
    autocomplete_fields = ("school", "zone")


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    list_display = ("full_name", "role", "email", "badge_number", "active")
    list_filter = ("role", "active")
    search_fields = ("full_name", "email", "badge_number")
    raw_id_fields = ("user",)
    inlines = (AssignmentInline,)


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    list_display = ("person", "school", "zone", "starts_on", "ends_on")
    list_filter = ("person__role",)
    search_fields = ("person__full_name", "school__name", "zone__name")
    autocomplete_fields = ("person", "school", "zone")
