from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from safeops.access import Action, Resource, admin_in_menu, can_any, describe


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu entries the user may open, and the header's role label."""
    user = request.user
    if not user.is_authenticated:
        return {"district_label": settings.SAFEOPS_DISTRICT_LABEL}
    return {
        "district_label": settings.SAFEOPS_DISTRICT_LABEL,
        "me": describe(user),
        "nav": {
            "schools": can_any(user, Action.VIEW, Resource.SCHOOL),
            "zones": can_any(user, Action.VIEW, Resource.ZONE),
            "staff": can_any(user, Action.VIEW, Resource.ASSIGNMENT),
            "dispatch": can_any(user, Action.VIEW, Resource.REQUEST),
            "admin": admin_in_menu(user),
            "planning": can_any(user, Action.VIEW, Resource.SCENARIO),
            "drills": can_any(user, Action.VIEW, Resource.DRILL),
            "plans": can_any(user, Action.VIEW, Resource.SAFETY_PLAN),
            "facilities": can_any(user, Action.VIEW, Resource.FACILITY_AUDIT),
            "incidents": can_any(user, Action.VIEW, Resource.INCIDENT),
            "resources": can_any(user, Action.VIEW, Resource.RESOURCE_DIRECTORY),
            "training": can_any(user, Action.VIEW, Resource.TRAINING_RECORD),
            "threats": can_any(user, Action.VIEW, Resource.THREAT_CASE),
            "referrals": can_any(user, Action.VIEW, Resource.REFERRAL)
            or can_any(user, Action.CHANGE, Resource.ONBOARDING),
            "onboarding_team": can_any(user, Action.VIEW, Resource.ONBOARDING),
            "referral_stats": can_any(user, Action.VIEW, Resource.REFERRAL_STATS),
            "sso_reports": can_any(user, Action.VIEW, Resource.SSO_REPORT),
            "handoffs": can_any(user, Action.VIEW, Resource.SSO_HANDOFF),
            "patrol": can_any(user, Action.VIEW, Resource.PATROL_PLAN),
            "roster": can_any(user, Action.VIEW, Resource.SHIFT),
            "fleet": can_any(user, Action.VIEW, Resource.VEHICLE),
            "accountability": can_any(user, Action.VIEW, Resource.REPORT),
        },
    }
