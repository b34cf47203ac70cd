"""Who reaches referrals, their aggregates and onboarding contacts (registered in apps.py)."""

from __future__ import annotations

from safeops.access import Action, Reach, Resource, RuleTable
from safeops.staff.choices import Role


def referral_rules(rules: RuleTable) -> None:
    """Closed-loop referrals (docs/referrals.md).

    - Referrals: the school's SA and counselors see and update their schools' referrals (and
      the ones they made); an SSO only the referrals they made; the district's support staff
      (mental health practitioners, court liaison, violence prevention specialist) all. The
      security chief, dispatchers, principals, security monitors, the training coordinator and
      community monitors see no individual referral.
    - Aggregates (small cells suppressed): the chief, the district's support staff and the
      community monitors.
    - Onboarding contacts: an SA or SSO records their own; a principal sees their school's
      SAs, a dispatcher the SSOs, the chief and the training coordinator everyone.
    """
    for role in (Role.SAFETY_ADMINISTRATOR, Role.COUNSELOR, Role.SSO):
        for action in Action:
            rules[(role, Resource.REFERRAL, action)] = Reach.ASSIGNED
    district_support = (
        Role.MENTAL_HEALTH_PRACTITIONER,
        Role.COURT_LIAISON,
        Role.VIOLENCE_PREVENTION_SPECIALIST,
    )
    for role in district_support:
        for action in Action:
            rules[(role, Resource.REFERRAL, action)] = Reach.ALL
    for role in (*district_support, Role.SECURITY_CHIEF, Role.COMMUNITY_MONITOR):
        rules[(role, Resource.REFERRAL_STATS, Action.VIEW)] = Reach.ALL
    for role in (Role.SAFETY_ADMINISTRATOR, Role.SSO):
        for action in Action:
            rules[(role, Resource.ONBOARDING, action)] = Reach.ASSIGNED
    for role in (Role.PRINCIPAL, Role.DISPATCHER):
        rules[(role, Resource.ONBOARDING, Action.VIEW)] = Reach.ASSIGNED
    for role in (Role.SECURITY_CHIEF, Role.TRAINING_COORDINATOR):
        rules[(role, Resource.ONBOARDING, Action.VIEW)] = Reach.ALL
