from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safeops.reports"
    label = "reports"
    verbose_name = "Accountability reports"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.reports.rules import report_rules
        from safeops.reports.rules_accountability import accountability_rules

        register_rules(report_rules)
        register_rules(accountability_rules)
