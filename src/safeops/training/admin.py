"""Admin: the training catalog and rules (coordinator and chief) through the training services
or the generic validated, audited ones; completions and certifications are read-only (recorded
and confirmed on the training pages, where nobody confirms their own), and opening or listing
them is an audited read."""

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import Model

from safeops.access.admin_site import ScopedInline, ScopedModelAdmin, ServiceWrites, generic_writes
from safeops.core.audit import Actor
from safeops.training import services
from safeops.training.models import (
    CarryOverRule,
    Certification,
    CertificationType,
    Completion,
    Course,
    RequiredTopic,
    Requirement,
    RoleCertification,
    Topic,
    TrainingPolicy,
)


def _policy_save(*, actor: Actor, data: dict[str, Any], instance: Any = None) -> Model:
    current = instance or TrainingPolicy(district=data["district"])
    return services.training_policy_update(
        district=current.district,
        actor=actor,
        year_start_month=data.get("year_start_month", current.year_start_month),
        lapse_grace_days=data.get("lapse_grace_days", current.lapse_grace_days),
        topic_reminder_days=data.get("topic_reminder_days", current.topic_reminder_days),
    )


@admin.register(TrainingPolicy)
class TrainingPolicyAdmin(ScopedModelAdmin):
    list_display = ("district", "year_start_month", "lapse_grace_days", "topic_reminder_days")
    readonly_fields = ("district",)
    service_writes = ServiceWrites(update=_policy_save)


@admin.register(Topic)
class TopicAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "credit", "district", "active")
    list_filter = ("credit", "active")
    service_writes = generic_writes(Topic, delete=False)


@admin.register(Course)
class CourseAdmin(ScopedModelAdmin):
    list_display = ("title", "code", "topic", "hours", "provider", "delivery_mode", "active")
    list_filter = ("delivery_mode", "active")
    service_writes = generic_writes(Course, delete=False)


def _required_topic_add(*, actor: Actor, data: dict[str, Any]) -> Model:
    return services.required_topic_add(
        requirement=data["requirement"],
        topic=data["topic"],
        actor=actor,
        min_hours=data.get("min_hours") or Decimal(0),
        due_month=data.get("due_month"),
        due_day=data.get("due_day"),
    )


def _required_topic_remove(*, actor: Actor, instance: Any) -> None:
    services.required_topic_remove(item=instance, actor=actor)


class RequiredTopicInline(ScopedInline):
    model = RequiredTopic
    exclude = ("district",)
    service_writes = ServiceWrites(create=_required_topic_add, delete=_required_topic_remove)


@admin.register(Requirement)
class RequirementAdmin(ScopedModelAdmin):
    list_display = ("role", "name", "credit", "hours", "from_year", "lapse_when_unmet")
    list_filter = ("role", "credit")
    inlines = (RequiredTopicInline,)
    service_writes = generic_writes(Requirement, delete=False)


@admin.register(CertificationType)
class CertificationTypeAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "issuer")
    service_writes = generic_writes(CertificationType, delete=False)


@admin.register(RoleCertification)
class RoleCertificationAdmin(ScopedModelAdmin):
    list_display = ("role", "certification_type", "lapse_when_invalid")
    service_writes = generic_writes(RoleCertification)


@admin.register(CarryOverRule)
class CarryOverRuleAdmin(ScopedModelAdmin):
    list_display = ("credit", "role", "max_hours")
    service_writes = generic_writes(CarryOverRule)


@admin.register(Completion)
class CompletionAdmin(ScopedModelAdmin):
    list_display = ("person", "title", "hours", "completed_on", "status", "source")
    list_filter = ("status", "source")
    search_fields = ("person__full_name", "title", "lms_id")
    raw_id_fields = ("person", "recorded_by", "confirmed_by")
    audit_reads = True


@admin.register(Certification)
class CertificationAdmin(ScopedModelAdmin):
    list_display = ("person", "certification_type", "issued_on", "expires_on", "status")
    list_filter = ("status",)
    raw_id_fields = ("person", "recorded_by", "confirmed_by")
    audit_reads = True
