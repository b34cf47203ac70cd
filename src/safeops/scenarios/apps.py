from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "safeops.scenarios"
    label = "scenarios"
    verbose_name = "Planning scenarios"
