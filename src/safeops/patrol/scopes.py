"""How the access module's ASSIGNED reach reads for patrol records (rules: patrol/rules.py)."""

from __future__ import annotations

from django.db.models import Q

from safeops.access import Resource, Viewer, no_scope, register_resource
from safeops.patrol.models import PatrolPlan, PatrolSettings


def plan_scope(viewer: Viewer) -> Q:
    """An SSO: their own plans."""
    return Q(person_id=viewer.person_id) if viewer.person_id else Q(pk__in=[])


def register_patrol_resources() -> None:
    register_resource(
        PatrolPlan, Resource.PATROL_PLAN, scope=plan_scope, district_field="district_id"
    )
    register_resource(
        PatrolSettings,
        Resource.PATROL_SETTINGS,
        scope=no_scope,
        district_field="district_id",
    )
