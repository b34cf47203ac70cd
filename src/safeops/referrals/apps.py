from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "safeops.referrals"
    label = "referrals"
    verbose_name = "Closed-loop referrals"

    def ready(self) -> None:
        from safeops.referrals.scopes import register_referral_resources

        register_referral_resources()
