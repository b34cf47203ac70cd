from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "safeops.incidents"
    label = "incidents"
    verbose_name = "Incident intervention log"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.incidents.rules import incident_rules

        register_rules(incident_rules)
        from safeops.access import Resource, register_resource, school_scope
        from safeops.incidents.models import Incident

        register_resource(
            Incident, Resource.INCIDENT, scope=school_scope, district_field="school__district_id"
        )
