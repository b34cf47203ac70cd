from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "safeops.accounts"
    label = "accounts"

    def ready(self) -> None:
        from safeops.accounts.models import ApiToken, User
        from safeops.accounts.tokens import forget_token_holders

        for model in (ApiToken, User):
            for signal in (post_save, post_delete):
                signal.connect(forget_token_holders, sender=model, weak=False)
