"""Alerts respect the roster: the notification service asks it whether an officer is reachable."""

from __future__ import annotations

from django.utils import timezone

from safeops.roster.selectors import is_reachable
from safeops.staff.choices import Role
from safeops.staff.models import Person


def roster_available(user_id: int) -> bool | None:
    """False for an SSO off shift or on leave where the district keeps a roster that day; None
    (no opinion) for anyone who is not an SSO."""
    person_id = (
        Person.objects.filter(user_id=user_id, role=Role.SSO).values_list("pk", flat=True).first()
    )
    if person_id is None:
        return None
    return is_reachable(person_id=person_id, at=timezone.now())


def roster_unavailable_among(user_ids: set[int]) -> set[int]:
    """`roster_available` for many people: one query finds the SSOs among them."""
    now = timezone.now()
    officers = Person.objects.filter(user_id__in=user_ids, role=Role.SSO).values_list(
        "user_id", "pk"
    )
    return {
        int(user_id)
        for user_id, person_id in officers
        if user_id is not None and not is_reachable(person_id=person_id, at=now)
    }
