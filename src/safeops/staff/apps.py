from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "safeops.staff"
    label = "staff"
