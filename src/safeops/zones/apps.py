from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "safeops.zones"
    label = "zones"
