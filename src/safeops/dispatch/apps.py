from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "safeops.dispatch"
    label = "dispatch"
    verbose_name = "Dispatch"

    def ready(self) -> None:
        from safeops.dispatch.scopes import register_dispatch_resources

        register_dispatch_resources()
