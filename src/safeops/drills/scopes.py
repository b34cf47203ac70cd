"""How the access module's ASSIGNED reach reads for drill records (rules: safeops.access)."""

from __future__ import annotations

from django.db.models import Q

from safeops.access import Resource, Viewer, register_resource
from safeops.drills.models import Drill, DrillRule, DrillType, SchoolYear


def school_scope(viewer: Viewer) -> Q:
    """Records of the viewer's schools (an SSO's: the schools of their zone)."""
    return Q(school_id__in=viewer.school_ids)


def no_scope(viewer: Viewer) -> Q:
    return Q(pk__in=[])


def register_drill_resources() -> None:
    register_resource(
        Drill, Resource.DRILL, scope=school_scope, district_field="school__district_id"
    )
    for model in (SchoolYear, DrillType, DrillRule):
        register_resource(
            model, Resource.SAFETY_SETTINGS, scope=no_scope, district_field="district_id"
        )
