from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "safeops.scenarios"
    label = "scenarios"
    verbose_name = "Planning scenarios"

    def ready(self) -> None:
        from safeops.access import Resource, no_scope, register_resource, register_rules
        from safeops.scenarios.models import Scenario
        from safeops.scenarios.rules import scenario_rules

        register_rules(scenario_rules)
        register_resource(Scenario, Resource.SCENARIO, scope=no_scope, district_field="district_id")
