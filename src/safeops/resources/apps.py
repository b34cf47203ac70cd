from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "safeops.resources"
    label = "resources"
    verbose_name = "Community resources"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.resources.rules import resource_directory_rules

        register_rules(resource_directory_rules)
        from safeops.resources import jobs  # noqa: F401  (registers the daily freshness job)
        from safeops.resources.scopes import register_resource_models

        register_resource_models()
