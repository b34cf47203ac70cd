"""Referrals in the admin: read-only and scoped (changes go through the services, so each one
has its event row); opening a referral is an audited read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from safeops.core.admin_site import ScopedInline, ScopedModelAdmin
from safeops.core.audit import audit_read
from safeops.referrals.models import ProviderContact, Referral, ReferralEvent


class ReferralEventInline(ScopedInline):
    model = ReferralEvent
    can_delete = False
    readonly_fields = ("from_status", "to_status", "outcome", "actor_label", "at", "note")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyScopedAdmin):
    list_display = ("id", "school", "service", "status", "created_at", "status_changed_at")
    list_filter = ("status",)
    exclude = ("provider_token_hash",)
    inlines = (ReferralEventInline,)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit_read(actor=request.user, instance=obj, note="admin")
        return response


@admin.register(ProviderContact)
class ProviderContactAdmin(ReadOnlyScopedAdmin):
    list_display = ("person", "service", "contacted_on", "method")
