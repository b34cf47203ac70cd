from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "safeops.home"
    label = "home"
    verbose_name = "Home pages"
