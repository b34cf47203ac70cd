from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "safeops.drills"
    label = "drills"
    verbose_name = "Drills"

    def ready(self) -> None:
        from safeops.drills.scopes import register_drill_resources

        register_drill_resources()
