"""How the access module's ASSIGNED reach reads for referrals and onboarding contacts.

The reach itself (who sees what at all) is in referral_rules (referrals/rules.py).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from safeops.access import Resource, Viewer, current_filter, register_resource
from safeops.referrals.models import ProviderContact, Referral
from safeops.staff.choices import Role
from safeops.staff.models import Assignment

# The roles that have an onboarding checklist.
ONBOARDING_ROLES = (Role.SAFETY_ADMINISTRATOR, Role.SSO)


def referral_scope(viewer: Viewer) -> Q:
    """An SSO: the referrals they made. An SA or a counselor: their schools' referrals and the
    ones they made."""
    mine = Q(referrer_id=viewer.user.pk) if viewer.user.pk is not None else Q(pk__in=[])
    if viewer.role == Role.SSO:
        return mine
    return mine | Q(school_id__in=viewer.school_ids)


def onboarding_people_q(viewer: Viewer, prefix: str = "") -> Q:
    """People whose onboarding the viewer sees (ASSIGNED reach): an SA or SSO themselves; a
    principal the SAs of their school; a dispatcher the SSOs."""
    if viewer.role == Role.PRINCIPAL:
        sas_here = Assignment.objects.filter(
            current_filter(timezone.localdate()),
            school_id__in=viewer.school_ids,
            person__role=Role.SAFETY_ADMINISTRATOR,
        ).values("person_id")
        return Q(**{f"{prefix}pk__in": sas_here})
    if viewer.role == Role.DISPATCHER:
        return Q(**{f"{prefix}role": Role.SSO})
    return Q(**{f"{prefix}pk": viewer.person_id})


def contact_scope(viewer: Viewer) -> Q:
    return onboarding_people_q(viewer, prefix="person__")


def register_referral_resources() -> None:
    register_resource(
        Referral, Resource.REFERRAL, scope=referral_scope, district_field="district_id"
    )
    register_resource(
        ProviderContact,
        Resource.ONBOARDING,
        scope=contact_scope,
        district_field="person__district_id",
    )
