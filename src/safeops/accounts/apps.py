from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeops.accounts"
    label = "accounts"

    def ready(self) -> None:
        # A change to what grants access voids every process's kept tokens and scopes.
        from safeops.accounts import models
        from safeops.core.accessgen import watch

        watch(models.User, ignore=["last_login"])
        watch(models.ApiToken, ignore=["last_used_at"])
