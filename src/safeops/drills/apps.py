from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "safeops.drills"
    label = "drills"
    verbose_name = "Drills"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.drills.rules import drill_rules

        register_rules(drill_rules)
        from safeops.drills.scopes import register_drill_resources

        register_drill_resources()
