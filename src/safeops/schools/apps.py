from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "safeops.schools"
    label = "schools"
