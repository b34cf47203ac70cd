from django.apps import AppConfig


class PatrolConfig(AppConfig):
    name = "safeops.patrol"
    label = "patrol"
    verbose_name = "SSO patrol"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.patrol.rules import patrol_rules

        register_rules(patrol_rules)
        from safeops.patrol.scopes import register_patrol_resources

        register_patrol_resources()
        from safeops.patrol import hooks, jobs  # noqa: F401 - the job handlers and the hook

        hooks.connect()
