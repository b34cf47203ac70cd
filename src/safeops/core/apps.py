from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "safeops.core"
    label = "core"

    def ready(self) -> None:
        import_job_handlers()
        import_module("safeops.core.notify.jobs")


class SafeopsAdminConfig(admin_apps.SimpleAdminConfig):
    """The Django admin, on the site that asks safeops.access.

    Only safeops apps register admin classes: third-party admin modules (django-leaflet's
    needs GDAL) are not imported.
    """

    default = False
    default_site = "safeops.core.admin_site.SafeopsAdminSite"

    def ready(self) -> None:
        super().ready()
        for config in apps.get_app_configs():
            module = f"{config.name}.admin"
            if config.name.startswith("safeops.") and find_spec(module) is not None:
                import_module(module)


def import_job_handlers() -> None:
    """Import every safeops app's jobs.py so its handlers register."""
    for config in apps.get_app_configs():
        module = f"{config.name}.jobs"
        if config.name.startswith("safeops.") and find_spec(module) is not None:
            import_module(module)
