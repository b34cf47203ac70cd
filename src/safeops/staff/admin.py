"""Admin: people through the generic services (validated, audited); assignments are made through
`assignment_create` (the role's rules: school or zone, how many at once) and only ended here
(`assignment_end`), so their dated history stays."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext

from safeops.access.admin_site import (
    ScopedInline,
    ScopedModelAdmin,
    ServiceWrites,
    generic_writes,
    only_changes,
)
from safeops.core.audit import Actor
from safeops.staff.models import Assignment, Person
from safeops.staff.services import assignment_create, assignment_end


def _assignment_create(*, actor: Actor, data: dict[str, Any]) -> Model:
    return assignment_create(
        person=data["person"],
        starts_on=data["starts_on"],
        actor=actor,
        school=data.get("school"),
        zone=data.get("zone"),
        ends_on=data.get("ends_on"),
    )


def _assignment_end(*, actor: Actor, instance: Any, data: dict[str, Any]) -> Model:
    only_changes(("ends_on",), data)
    if data["ends_on"] is None:
        raise ValidationError(
            {"ends_on": gettext("An assignment is ended with a date; it cannot reopen.")}
        )
    return assignment_end(assignment=instance, ends_on=data["ends_on"], actor=actor)


ASSIGNMENT_WRITES = ServiceWrites(create=_assignment_create, update=_assignment_end)


class AssignmentInline(ScopedInline):
    model = Assignment
    autocomplete_fields = ("school", "zone")
    service_writes = ASSIGNMENT_WRITES


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    list_display = ("full_name", "role", "email", "badge_number", "active")
    list_filter = ("role", "active")
    search_fields = ("full_name", "email", "badge_number")
    raw_id_fields = ("user",)
    inlines = (AssignmentInline,)
    service_writes = generic_writes(Person, delete=False)


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    list_display = ("person", "school", "zone", "starts_on", "ends_on")
    list_filter = ("person__role",)
    search_fields = ("person__full_name", "school__name", "zone__name")
    autocomplete_fields = ("person", "school", "zone")
    service_writes = ASSIGNMENT_WRITES
