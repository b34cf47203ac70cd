"""ASSIGNED for roster records: the viewer's own shifts and leave (rules: roster/rules.py)."""

from __future__ import annotations

from django.db.models import Q

from safeops.access import Resource, Viewer, no_scope, register_resource
from safeops.roster.models import CoverageEvent, Leave, Shift


def own_scope(viewer: Viewer) -> Q:
    return Q(person_id=viewer.person_id) if viewer.person_id is not None else Q(pk__in=[])


def register_roster_resources() -> None:
    for model in (Shift, Leave):
        register_resource(model, Resource.SHIFT, scope=own_scope, district_field="district_id")
    register_resource(
        CoverageEvent, Resource.COVERAGE_EVENT, scope=no_scope, district_field="district_id"
    )
