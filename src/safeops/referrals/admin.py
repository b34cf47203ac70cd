"""Referrals in the admin: read-only and scoped (changes go through the services, so each one
has its event row); opening or listing referrals is an audited read."""

from __future__ import annotations

from django.contrib import admin

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin
from safeops.referrals.models import ProviderContact, Referral, ReferralEvent


class ReferralEventInline(ScopedInline):
    model = ReferralEvent
    can_delete = False
    readonly_fields = ("from_status", "to_status", "outcome", "actor_label", "at", "note")
    fields = readonly_fields


@admin.register(Referral)
class ReferralAdmin(ScopedModelAdmin):
    list_display = ("id", "school", "service", "status", "created_at", "status_changed_at")
    list_filter = ("status",)
    exclude = ("provider_token_hash",)
    inlines = (ReferralEventInline,)
    audit_reads = True


@admin.register(ProviderContact)
class ProviderContactAdmin(ScopedModelAdmin):
    list_display = ("person", "service", "contacted_on", "method")
