"""Dispatch part of the demo district: settings, officers on duty near their posts, and a few
past requests so the history page has content. Called by safeops.demo.services."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from safeops.access import current_filter, forget_viewer
from safeops.dispatch.choices import Category, Status
from safeops.dispatch.models import DispatchSettings, SupportRequest
from safeops.dispatch.recommend import forget_officers
from safeops.dispatch.services import (
    officer_duty_set,
    officer_position_update,
    request_assign,
    request_create,
    request_transition,
)
from safeops.schools.models import District, School
from safeops.staff.choices import Role
from safeops.staff.models import Assignment

ACTOR = "system:seed-demo"
PAST_REQUESTS = 8


def dispatch_demo_seed(*, district: District, seed: int = 7) -> int:
    """Put the district's SSOs on duty near their post schools; return how many."""
    rng = random.Random(seed)  # noqa: S311 - fictional demo positions
    DispatchSettings.objects.get_or_create(district=district)
    assignments = (
        Assignment.objects.filter(
            current_filter(timezone.localdate()),
            person__district=district,
            person__role=Role.SSO,
            zone__isnull=False,
        )
        .select_related("person", "zone__post_school", "zone__high_school")
        .order_by("person_id")
    )
    count = 0
    for assignment in assignments:
        zone = assignment.zone
        post = (zone.post_school or zone.high_school) if zone is not None else None
        if post is None:
            continue
        officer_duty_set(officer=assignment.person, on_duty=True, actor=ACTOR)
        officer_position_update(
            officer=assignment.person,
            latitude=post.latitude + rng.uniform(-0.004, 0.004),
            longitude=post.longitude + rng.uniform(-0.004, 0.004),
            actor=ACTOR,
        )
        count += 1
    forget_officers(district.pk)
    _past_requests(district, rng)
    return count


def _past_requests(district: District, rng: random.Random) -> None:
    """A few cleared requests at the demo SA's schools, backdated, for the history page."""
    users = get_user_model().objects
    dispatcher = users.filter(username="demo-dispatcher").first()
    sa = users.filter(username="demo-sa").first()
    if dispatcher is None or sa is None:
        return
    forget_viewer(sa)
    schools = list(
        Assignment.objects.filter(
            current_filter(timezone.localdate()), person__user=sa, school__isnull=False
        ).values_list("school", flat=True)
    )
    categories = [Category.FIGHT_ASSAULT, Category.PERSON_IN_CRISIS, Category.PATROL_CHECK]
    now = timezone.now()
    for n in range(PAST_REQUESTS):
        school = School.objects.get(pk=schools[n % len(schools)]) if schools else None
        if school is None:
            return
        created = request_create(
            actor=sa,
            school=school,
            category=categories[n % len(categories)],
            summary=f"Demo call {n + 1}",
        )
        if not created.candidates:
            return
        request = created.request
        request_assign(
            request_id=request.pk, officer_id=created.candidates[0].officer_id, actor=dispatcher
        )
        for step in (Status.ON_SCENE, Status.CLEARED):
            request_transition(
                request_id=request.pk,
                to_status=step,
                actor=dispatcher,
                idempotency_key=f"demo-{request.pk}-{step}",
                disposition="resolved_on_scene" if step == Status.CLEARED else "",
            )
        minutes = rng.uniform(3.0, 14.0)
        start = now - dt.timedelta(days=n + 1, hours=rng.randint(0, 6))
        SupportRequest.objects.filter(pk=request.pk).update(
            created_at=start,
            on_scene_at=start + dt.timedelta(minutes=minutes),
            closed_at=start + dt.timedelta(minutes=minutes + 20),
            response_seconds=minutes * 60,
        )
