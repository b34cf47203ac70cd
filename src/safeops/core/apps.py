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
        connect_scope_signals()


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


def connect_scope_signals() -> None:
    """Saving or deleting what decides a user's access scope drops the cached scopes."""
    from django.db.models.signals import post_delete, post_save

    from safeops.access import forget_scopes
    from safeops.staff.models import Assignment, Person
    from safeops.zones.models import ZoneMembership

    for model in (Person, Assignment, ZoneMembership):
        for signal in (post_save, post_delete):
            signal.connect(forget_scopes, sender=model, weak=False)
