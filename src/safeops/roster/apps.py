from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "safeops.roster"
    label = "roster"
    verbose_name = "SSO roster"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from safeops.access import register_rules
        from safeops.dispatch.recommend import register_officer_filter
        from safeops.roster.dispatching import forget_roster, off_shift_filter
        from safeops.roster.models import Leave, Shift
        from safeops.roster.rules import roster_rules
        from safeops.roster.scopes import register_roster_resources

        register_rules(roster_rules)
        register_roster_resources()
        # Dispatch recommends only on-shift officers (docs/roster.md; a declared link).
        register_officer_filter(off_shift_filter)
        # Alerts respect shifts: nothing routine reaches an officer off shift or on leave.
        from safeops.core.notify import availability
        from safeops.roster.notifying import roster_available, roster_unavailable_among

        availability.register(roster_available, among=roster_unavailable_among)
        for model in (Shift, Leave):
            post_save.connect(forget_roster, sender=model, dispatch_uid=f"roster-{model.__name__}")
            post_delete.connect(
                forget_roster, sender=model, dispatch_uid=f"roster-del-{model.__name__}"
            )
