from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "safeops.staff"
    label = "staff"

    def ready(self) -> None:
        # A change to what grants access voids every process's kept tokens and scopes.
        from safeops.core.accessgen import watch
        from safeops.staff import models

        watch(models.Person)
        watch(models.Assignment)
