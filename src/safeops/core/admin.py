from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from safeops.access import Action, Reach, Resource, viewer_for
from safeops.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: audit entries can be searched, never edited or deleted."""

    list_display = ("at", "actor_label", "action", "model", "object_id", "object_repr", "note")
    list_filter = ("action", "model")
    search_fields = ("actor_label", "object_repr", "object_id", "note")
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return viewer_for(request.user).reach(Resource.AUDIT, Action.VIEW) == Reach.ALL

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("actor")
