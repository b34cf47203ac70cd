from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safeops.demo"
    label = "demo"
