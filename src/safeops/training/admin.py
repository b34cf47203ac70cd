from django.contrib import admin

from safeops.core.admin_site import ScopedInline, ScopedModelAdmin
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


@admin.register(TrainingPolicy)
class TrainingPolicyAdmin(ScopedModelAdmin):
    list_display = ("district", "year_start_month", "lapse_grace_days", "topic_reminder_days")


@admin.register(Topic)
class TopicAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "credit", "district", "active")
    list_filter = ("credit", "active")


@admin.register(Course)
class CourseAdmin(ScopedModelAdmin):
    list_display = ("title", "code", "topic", "hours", "provider", "delivery_mode", "active")
    list_filter = ("delivery_mode", "active")


class RequiredTopicInline(ScopedInline):
    model = RequiredTopic


@admin.register(Requirement)
class RequirementAdmin(ScopedModelAdmin):
    list_display = ("role", "name", "credit", "hours", "from_year", "lapse_when_unmet")
    list_filter = ("role", "credit")
    inlines = (RequiredTopicInline,)


@admin.register(CertificationType)
class CertificationTypeAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "issuer")


@admin.register(RoleCertification)
class RoleCertificationAdmin(ScopedModelAdmin):
    list_display = ("role", "certification_type", "lapse_when_invalid")


@admin.register(CarryOverRule)
class CarryOverRuleAdmin(ScopedModelAdmin):
    list_display = ("credit", "role", "max_hours")


@admin.register(Completion)
class CompletionAdmin(ScopedModelAdmin):
    list_display = ("person", "title", "hours", "completed_on", "status", "source")
    list_filter = ("status", "source")
    search_fields = ("person__full_name", "title", "lms_id")
    raw_id_fields = ("person", "recorded_by", "confirmed_by")


@admin.register(Certification)
class CertificationAdmin(ScopedModelAdmin):
    list_display = ("person", "certification_type", "issued_on", "expires_on", "status")
    list_filter = ("status",)
    raw_id_fields = ("person", "recorded_by", "confirmed_by")
