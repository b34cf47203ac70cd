from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "safeops.facilities"
    label = "facilities"
    verbose_name = "Facility safety audits"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.facilities.rules import facility_audit_rules

        register_rules(facility_audit_rules)
        from safeops.access import Resource, no_scope, register_resource, school_scope
        from safeops.facilities.models import AuditTemplate, FacilityAudit

        register_resource(
            FacilityAudit,
            Resource.FACILITY_AUDIT,
            scope=school_scope,
            district_field="school__district_id",
        )
        register_resource(
            AuditTemplate, Resource.SAFETY_SETTINGS, scope=no_scope, district_field="district_id"
        )
