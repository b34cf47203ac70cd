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
