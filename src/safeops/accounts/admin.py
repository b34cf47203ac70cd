from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model
from django.http import HttpRequest

from safeops.access.admin_site import audited_admin_save
from safeops.accounts.models import ApiToken, User


@admin.register(User)
class SafeopsUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Logins are managed by superusers only; roles and scope live on the staff Person."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_superuser)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        audited_admin_save(
            request,
            obj,
            change,
            lambda: super(SafeopsUserAdmin, self).save_model(request, obj, form, change),
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
    fields = (
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked",
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued with `safeops create-token`, which shows the secret once

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        audited_admin_save(
            request,
            obj,
            change,
            lambda: super(ApiTokenAdmin, self).save_model(request, obj, form, change),
        )
