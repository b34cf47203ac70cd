from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "safeops.zones"
    label = "zones"

    def ready(self) -> None:
        # A change to what grants access voids every process's kept tokens and scopes.
        from safeops.core.accessgen import watch
        from safeops.zones import models

        watch(models.ZoneMembership)
