from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "safeops.scenarios"
    label = "scenarios"
    verbose_name = "Planning scenarios"

    def ready(self) -> None:
        from safeops.access import Resource, no_scope, register_resource
        from safeops.scenarios.models import Scenario

        register_resource(Scenario, Resource.SCENARIO, scope=no_scope, district_field="district_id")
