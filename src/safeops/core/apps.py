from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    default = True
    name = "safeops.core"
    label = "core"

    def ready(self) -> None:
        import_job_handlers()
        import_module("safeops.core.notify.jobs")
        from safeops.core import discipline_encoder, warmup

        warmup.register(discipline_encoder.warm)  # the guard's model: about a second to load


def import_job_handlers() -> None:
    """Import every safeops app's jobs.py so its handlers register."""
    for config in apps.get_app_configs():
        module = f"{config.name}.jobs"
        if config.name.startswith("safeops.") and find_spec(module) is not None:
            import_module(module)
