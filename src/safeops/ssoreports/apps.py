from django.apps import AppConfig


class SsoReportsConfig(AppConfig):
    name = "safeops.ssoreports"
    label = "ssoreports"
    verbose_name = "SSO reports and hand-offs"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.ssoreports.rules import ssoreport_rules

        register_rules(ssoreport_rules)
        from safeops.ssoreports.scopes import register_ssoreport_resources

        register_ssoreport_resources()
