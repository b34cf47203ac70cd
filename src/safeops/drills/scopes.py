"""How the access module's ASSIGNED reach reads for drill records (rules: drills/rules.py)."""

from __future__ import annotations

from safeops.access import Resource, no_scope, register_resource, school_scope
from safeops.drills.models import Drill, DrillRule, DrillType, SchoolYear


def register_drill_resources() -> None:
    register_resource(
        Drill, Resource.DRILL, scope=school_scope, district_field="school__district_id"
    )
    for model in (SchoolYear, DrillType, DrillRule):
        register_resource(
            model, Resource.SAFETY_SETTINGS, scope=no_scope, district_field="district_id"
        )
