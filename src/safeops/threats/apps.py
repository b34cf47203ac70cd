from django.apps import AppConfig


class ThreatsConfig(AppConfig):
    name = "safeops.threats"
    label = "threats"
    verbose_name = "Threat assessment"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.threats.rules import threat_rules

        register_rules(threat_rules)
        from safeops.threats import checks, scopes  # noqa: F401

        scopes.register_threat_resources()
