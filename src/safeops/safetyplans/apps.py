from django.apps import AppConfig


class SafetyPlansConfig(AppConfig):
    name = "safeops.safetyplans"
    label = "safetyplans"
    verbose_name = "School safety plans"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.safetyplans.rules import safety_plan_rules

        register_rules(safety_plan_rules)
        from safeops.access import Resource, register_resource, school_scope
        from safeops.safetyplans.models import SafetyPlan

        register_resource(
            SafetyPlan,
            Resource.SAFETY_PLAN,
            scope=school_scope,
            district_field="school__district_id",
        )
