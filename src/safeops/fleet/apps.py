from django.apps import AppConfig


class FleetConfig(AppConfig):
    name = "safeops.fleet"
    label = "fleet"
    verbose_name = "Vehicles and equipment"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.fleet.rules import fleet_rules
        from safeops.fleet.scopes import register_fleet_resources

        register_rules(fleet_rules)
        register_fleet_resources()
