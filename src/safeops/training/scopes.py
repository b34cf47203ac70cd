"""How the access module's ASSIGNED reach reads for training records (rules: training/rules.py).

ASSIGNED is the viewer's own records; a principal's also covers the Safety Administrators
currently assigned to their school (an SA reports to the principal).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from safeops.access import Resource, Viewer, current_filter, no_scope, register_resource
from safeops.staff.choices import Role
from safeops.staff.models import Assignment
from safeops.training.models import (
    CarryOverRule,
    CertificateFile,
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


def people_scope(viewer: Viewer) -> Q:
    """Person rows (pk) whose training records the viewer's ASSIGNED reach covers."""
    mine = Q(pk=viewer.person_id) if viewer.person_id is not None else Q(pk__in=[])
    if viewer.role != Role.PRINCIPAL or not viewer.school_ids:
        return mine
    supervised = Assignment.objects.filter(
        current_filter(timezone.localdate()),
        school_id__in=viewer.school_ids,
        person__role=Role.SAFETY_ADMINISTRATOR,
    ).values("person_id")
    return mine | Q(pk__in=supervised)


def record_scope(viewer: Viewer) -> Q:
    mine = Q(person_id=viewer.person_id) if viewer.person_id is not None else Q(pk__in=[])
    if viewer.role != Role.PRINCIPAL or not viewer.school_ids:
        return mine
    supervised = Assignment.objects.filter(
        current_filter(timezone.localdate()),
        school_id__in=viewer.school_ids,
        person__role=Role.SAFETY_ADMINISTRATOR,
    ).values("person_id")
    return mine | Q(person_id__in=supervised)


def register_training_resources() -> None:
    for model in (Completion, Certification, CertificateFile):
        register_resource(
            model,
            Resource.TRAINING_RECORD,
            scope=record_scope,
            district_field="person__district_id",
        )
    for catalog in (
        TrainingPolicy,
        Topic,
        Course,
        Requirement,
        RequiredTopic,
        CertificationType,
        RoleCertification,
        CarryOverRule,
    ):
        register_resource(
            catalog, Resource.TRAINING_CATALOG, scope=no_scope, district_field="district_id"
        )
