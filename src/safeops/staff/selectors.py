"""Reads of people and assignments, narrowed by the access module."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from safeops.access import AnyUser, assignments_visible_to, current_filter
from safeops.staff.models import Assignment


def assignment_list_for_user(
    *, user: AnyUser, current_only: bool = True, role: str = ""
) -> QuerySet[Assignment]:
    assignments = assignments_visible_to(user).select_related("person", "school", "zone")
    if current_only:
        assignments = assignments.filter(current_filter(timezone.localdate()))
    if role:
        assignments = assignments.filter(person__role=role)
    return assignments.order_by("person__full_name", "-starts_on")
