from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "safeops.referrals"
    label = "referrals"
    verbose_name = "Closed-loop referrals"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.referrals.rules import referral_rules

        register_rules(referral_rules)
        from safeops.referrals.scopes import register_referral_resources

        register_referral_resources()
