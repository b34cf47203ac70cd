from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps


class HomeConfig(AppConfig):
    name = "safeops.home"
    label = "home"
    verbose_name = "Home pages"

    def ready(self) -> None:
        # core asks who oversees (audit log, jobs) without knowing roles: the access rule answers.
        from safeops.access import oversees
        from safeops.core.overseers import register_overseer_check

        register_overseer_check(oversees)


class SafeopsAdminConfig(admin_apps.SimpleAdminConfig):
    """The Django admin, on the site that asks safeops.access (`access/admin_site.py`), wired
    here at the top because it imports every app's admin module.

    Only safeops apps register admin classes: third-party admin modules (django-leaflet's
    needs GDAL) are not imported.
    """

    default = False
    default_site = "safeops.access.admin_site.SafeopsAdminSite"

    def ready(self) -> None:
        super().ready()
        for config in apps.get_app_configs():
            module = f"{config.name}.admin"
            if config.name.startswith("safeops.") and find_spec(module) is not None:
                import_module(module)
