"""Referral part of the demo district: a few referrals by the demo SA and counselor at
different statuses, and one onboarding contact. Called by safeops.demo.services after the
resource directory is seeded."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from safeops.access import viewer_for
from safeops.referrals.choices import ConsentGivenBy, ConsentScope, ContactMethod, Grade, Outcome
from safeops.referrals.models import Referral
from safeops.referrals.onboarding import distance_km
from safeops.referrals.selectors import service_reaches
from safeops.referrals.services import (
    ConsentInput,
    provider_contact_record,
    referral_create,
    referral_transition,
)
from safeops.resources.models import Service
from safeops.schools.models import District, School
from safeops.staff.models import Person

ACTOR = "system:seed-demo"
# (username, category, initials, grade, consent scope, statuses to walk, closing outcome)
DEMO_REFERRALS: tuple[tuple[str, str, str, Grade, ConsentScope, list[str], str], ...] = (
    ("demo-sa", "shelter", "TR", Grade.G8, ConsentScope.TWO_WAY, ["contacted", "accepted"], ""),
    (
        "demo-sa",
        "mental_health",
        "KM",
        Grade.G7,
        ConsentScope.TWO_WAY,
        ["contacted", "accepted", "services_started"],
        "",
    ),
    (
        "demo-counselor",
        "family_counseling",
        "AL",
        Grade.G6,
        ConsentScope.CONTACT_AND_REASON,
        [],
        "",
    ),
    (
        "demo-sa",
        "substance_abuse",
        "JP",
        Grade.G8,
        ConsentScope.CONTACT_ONLY,
        ["contacted", "declined", "closed"],
        Outcome.DECLINED_BY_FAMILY,
    ),
)


def _nearest(category: str, school: School, services: dict[int, object]) -> Service | None:
    reaches = service_reaches(service_ids=services)
    here = (school.latitude, school.longitude)
    ranked = sorted(
        (min((distance_km(p, here) for p in r.points), default=0.0), pk)
        for pk, r in reaches.items()
        if category in r.categories
    )
    return Service.objects.get(pk=ranked[0][1]) if ranked else None


def referrals_demo_seed(*, district: District) -> int:
    """Seed the demo referrals; returns how many were made (none without a directory)."""
    users = get_user_model().objects.filter(username__in={r[0] for r in DEMO_REFERRALS})
    by_name = {u.get_username(): u for u in users}
    services = dict.fromkeys(Service.objects.values_list("pk", flat=True))
    if not services or Referral.objects.filter(district=district).exists():
        return 0
    made = 0
    for username, category, initials, grade, scope, walk, outcome in DEMO_REFERRALS:
        user = by_name.get(username)
        if user is None:
            continue
        school_ids = sorted(viewer_for(user).school_ids)
        if not school_ids:
            continue
        school = School.objects.get(pk=school_ids[0])
        service = _nearest(category, school, services)
        if service is None:
            continue
        referral = referral_create(
            actor=user,
            school=school,
            service=service,
            grade=grade,
            student_initials=initials,
            consent=ConsentInput(
                given_by=ConsentGivenBy.PARENT_GUARDIAN,
                given_on=timezone.localdate(),
                scope=scope,
            ),
            handoff_note="Demo: the family asked for help; the parent prefers a call after 4 pm.",
        )
        for step in walk:
            referral = referral_transition(
                referral=referral,
                to_status=step,
                outcome=outcome if step == "closed" else "",
                actor=user,
            )
        made += 1
    sa = Person.objects.filter(user__username="demo-sa").first()
    if sa is not None and sa.user is not None:
        school_ids = sorted(viewer_for(sa.user).school_ids)
        if school_ids:
            cps = _nearest(
                "child_protective_services", School.objects.get(pk=school_ids[0]), services
            )
            if cps is not None:
                provider_contact_record(
                    person=sa,
                    service=cps,
                    contacted_on=timezone.localdate(),
                    method=ContactMethod.MEETING,
                    note="Demo: met the intake supervisor.",
                    actor=ACTOR,
                )
    return made
