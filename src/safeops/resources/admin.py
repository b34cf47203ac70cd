"""Admin for the directory: hand edits by the chief and district support staff, validated and
audited through the generic services (the directory has no workflow)."""

from django.contrib import admin

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin, generic_writes
from safeops.resources import models as m


class PhoneInline(ScopedInline):
    model = m.Phone
    fk_name = "service"
    fields = ("hsds_id", "number", "extension", "type", "description")
    service_writes = generic_writes(m.Phone)


class ScheduleInline(ScopedInline):
    model = m.Schedule
    fk_name = "service"
    fields = ("hsds_id", "freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to")
    service_writes = generic_writes(m.Schedule)


class AddressInline(ScopedInline):
    model = m.Address
    fields = ("hsds_id", "address_1", "city", "state_province", "postal_code", "country")
    service_writes = generic_writes(m.Address)


@admin.register(m.Organization)
class OrganizationAdmin(ScopedModelAdmin):
    list_display = ("name", "owner", "last_verified_on")
    search_fields = ("name", "hsds_id")
    raw_id_fields = ("owner",)
    service_writes = generic_writes(m.Organization)


@admin.register(m.Service)
class ServiceAdmin(ScopedModelAdmin):
    list_display = ("name", "status", "owner", "last_verified_on")
    list_filter = ("status",)
    search_fields = ("name", "hsds_id")
    raw_id_fields = ("owner",)
    inlines = (PhoneInline, ScheduleInline)
    service_writes = generic_writes(m.Service)


@admin.register(m.Location)
class LocationAdmin(ScopedModelAdmin):
    list_display = ("name", "location_type", "latitude", "longitude")
    search_fields = ("name", "hsds_id")
    inlines = (AddressInline,)
    service_writes = generic_writes(m.Location)


@admin.register(m.ServiceAtLocation)
class ServiceAtLocationAdmin(ScopedModelAdmin):
    list_display = ("hsds_id", "service", "location")
    service_writes = generic_writes(m.ServiceAtLocation)


@admin.register(m.TaxonomyTerm)
class TaxonomyTermAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "taxonomy")
    search_fields = ("name", "code")
    service_writes = generic_writes(m.TaxonomyTerm)


@admin.register(m.Attribute)
class AttributeAdmin(ScopedModelAdmin):
    list_display = ("link_entity", "link_id", "taxonomy_term", "value")
    list_filter = ("link_entity",)
    service_writes = generic_writes(m.Attribute)


@admin.register(m.VerificationTask)
class VerificationTaskAdmin(ScopedModelAdmin):
    list_display = ("__str__", "owner", "created_at", "emailed_at", "completed_at")
    raw_id_fields = ("owner", "organization", "service", "completed_by")
