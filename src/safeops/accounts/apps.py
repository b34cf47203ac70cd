from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeops.accounts"
    label = "accounts"
