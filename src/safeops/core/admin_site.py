"""The admin site and the base ModelAdmin that asks the access module and writes the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest

from safeops.access import Action, Reach, can, resource_of, restrict, viewer_for
from safeops.access import can_use_admin as access_can_use_admin
from safeops.core.audit import audit_write, snapshot
from safeops.core.models import AuditAction


def audited_admin_save(
    request: HttpRequest, obj: Any, change: bool, save: Callable[[], None]
) -> None:
    """Run an admin `save` and record its audit entry with the before/after values."""
    before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
    save()
    action = AuditAction.UPDATE if change else AuditAction.CREATE
    audit_write(actor=request.user, action=action, instance=obj, before=before, note="admin")


class SafeopsAdminSite(admin.AdminSite):
    site_header = "safeops administration"
    site_title = "safeops"
    index_title = "District safety operations"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and access_can_use_admin(request.user))


class ScopedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose rows and rights come from safeops.access, and whose writes are audited."""

    def _reach(self, request: HttpRequest, action: Action) -> Reach:
        return viewer_for(request.user).reach(resource_of(self.model), action)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict(super().get_queryset(request), request.user, Action.VIEW)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._reach(request, Action.VIEW) != Reach.NONE

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is None:
            return self._reach(request, Action.VIEW) != Reach.NONE
        return can(request.user, Action.VIEW, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is None:
            return self._reach(request, Action.CHANGE) != Reach.NONE
        return can(request.user, Action.CHANGE, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._reach(request, Action.CHANGE) == Reach.ALL

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        audited_admin_save(
            request,
            obj,
            change,
            lambda: super(ScopedModelAdmin, self).save_model(request, obj, form, change),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_write(
            actor=request.user,
            action=AuditAction.DELETE,
            instance=obj,
            before=snapshot(obj),
            note="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Form, formset: Any, change: bool) -> None:
        """Save inline rows one by one so each gets its audit entry."""
        befores = {
            inline_form.instance.pk: snapshot(
                type(inline_form.instance)._default_manager.get(pk=inline_form.instance.pk)
            )
            for inline_form in formset.forms
            if inline_form.instance.pk and inline_form.has_changed()
        }
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_write(
                actor=request.user,
                action=AuditAction.DELETE,
                instance=obj,
                before=snapshot(obj),
                note="admin",
            )
            obj.delete()
        for obj in instances:
            before = befores.get(obj.pk)
            obj.save()
            action = AuditAction.UPDATE if before is not None else AuditAction.CREATE
            audit_write(
                actor=request.user, action=action, instance=obj, before=before, note="admin"
            )
        formset.save_m2m()


class ScopedInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline editable exactly when its parent record is."""

    extra = 0

    def _parent_change(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return (
                viewer_for(request.user).reach(resource_of(self.parent_model), Action.CHANGE)
                == Reach.ALL
            )
        return can(request.user, Action.CHANGE, obj)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return obj is None or can(request.user, Action.VIEW, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_change(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_change(request, obj)
