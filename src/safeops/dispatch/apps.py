from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DispatchConfig(AppConfig):
    name = "safeops.dispatch"
    label = "dispatch"
    verbose_name = "Dispatch"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.dispatch.rules import dispatch_rules

        register_rules(dispatch_rules)
        from safeops.dispatch.models import DispatchSettings
        from safeops.dispatch.scopes import register_dispatch_resources
        from safeops.dispatch.services import dispatch_settings_forget, forget_school_places
        from safeops.schools.models import School
        from safeops.zones.models import Zone, ZoneMembership

        register_dispatch_resources()
        from safeops.core.metrics import register_scrape
        from safeops.dispatch.metrics import dispatch_gauges

        register_scrape(dispatch_gauges)
        from safeops.core import warmup
        from safeops.dispatch.warm import warm_dispatch

        warmup.register(warm_dispatch)
        from safeops.core.notify import availability, calltree
        from safeops.dispatch.alerts import call_tree, officer_available, officers_off_duty

        availability.register(officer_available, among=officers_off_duty)
        calltree.register(call_tree)

        def settings_changed(sender: Any, instance: DispatchSettings, **kwargs: Any) -> None:
            dispatch_settings_forget(district_id=instance.district_id)

        for signal in (post_save, post_delete):
            signal.connect(settings_changed, sender=DispatchSettings, weak=False)
        for model in (School, Zone, ZoneMembership):
            for signal in (post_save, post_delete):
                signal.connect(forget_school_places, sender=model, weak=False)
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from safeops.dispatch import live
        from safeops.dispatch.credentials import forget_lapsed
        from safeops.staff.models import Assignment, Person
        from safeops.training import models as training

        def access_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
            # Open live connections of this user check their access again once this commits.
            if isinstance(instance, Assignment):
                user_id = instance.person.user_id
            elif isinstance(instance, Person):
                user_id = instance.user_id
            else:
                user_id = instance.pk
            if user_id is not None:
                transaction.on_commit(lambda: live.access_changed(user_ids=[user_id]))

        for access_model in (get_user_model(), Person, Assignment):
            for signal in (post_save, post_delete):
                signal.connect(access_changed, sender=access_model, weak=False)
        for training_model in (
            training.Completion,
            training.Certification,
            training.Requirement,
            training.RequiredTopic,
            training.TrainingPolicy,
            training.CertificationType,
            training.RoleCertification,
            training.CarryOverRule,
        ):
            for signal in (post_save, post_delete):
                signal.connect(forget_lapsed, sender=training_model, weak=False)
