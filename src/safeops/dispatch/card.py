"""The officer's assignment card: what an SSO driving to a call needs on one phone screen.

For each open request the officer holds: the place and its address, where the school is and
where the officer is (the map), a one-tap directions link, the time of the call, the
requester's callback number, and the school's floor plans and safety-plan contacts (cached on
the phone by the service worker). Reading the plan for the card is an audited read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from django.utils import timezone

from safeops.access import AnyUser, current_filter
from safeops.core.audit import audit_read
from safeops.dispatch.models import OfficerStatus, SupportRequest
from safeops.dispatch.selectors import officer_home_for_user
from safeops.safetyplans.models import PlanAttachment, SafetyPlan
from safeops.safetyplans.selectors import plan_list_for_user
from safeops.staff.choices import Role
from safeops.staff.models import Assignment, Person

# The school staff an officer may call about the building (the plan's contacts).
CONTACT_ROLES = (Role.PRINCIPAL, Role.SAFETY_ADMINISTRATOR, Role.SECURITY_MONITOR)
MAPS_DIRECTIONS = "https://www.google.com/maps/dir/?api=1&destination={lat},{lon}"


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    phone: str


@dataclass(frozen=True)
class AssignmentCard:
    request: SupportRequest
    address: str
    latitude: float
    longitude: float
    geo_url: str
    maps_url: str
    called_at: dt.datetime
    callback_name: str
    callback_phone: str
    floor_plans: list[PlanAttachment]
    contacts: list[Contact]
    responders: str  # the plan's "shared with" (fire, police, EMS)

    @property
    def tel(self) -> str:
        return "".join(c for c in self.callback_phone if c.isdigit() or c == "+")


def _callback(request: SupportRequest) -> tuple[str, str]:
    person = (
        Person.objects.filter(user_id=request.requester_id).first()
        if request.requester_id
        else None
    )
    return request.requester_label, (person.phone if person is not None else "")


def _contacts(school_id: int) -> list[Contact]:
    today = timezone.localdate()
    assignments = (
        Assignment.objects.filter(current_filter(today), school_id=school_id)
        .filter(person__role__in=CONTACT_ROLES, person__active=True)
        .select_related("person")
        .order_by("person__role", "person__full_name")
    )
    return [
        Contact(a.person.full_name, str(Role(a.person.role).label), a.person.phone)
        for a in assignments
    ]


def _plan(user: AnyUser, school_id: int) -> SafetyPlan | None:
    """The school's current plan the officer may read: the latest school year's."""
    return plan_list_for_user(user=user).filter(school_id=school_id).first()


def assignment_cards_for_user(
    *, user: AnyUser
) -> tuple[OfficerStatus | None, list[AssignmentCard]]:
    """The officer's position and a card per open request they hold (oldest call first)."""
    home = officer_home_for_user(user=user)
    cards = []
    for request in home.requests:
        lat, lon = request.latitude, request.longitude
        school = request.school
        address = (school.address if school is not None else "") or request.location_description
        label = quote(request.place)
        floor_plans: list[PlanAttachment] = []
        contacts: list[Contact] = []
        responders = ""
        if school is not None:
            contacts = _contacts(school.pk)
            plan = _plan(user, school.pk)
            if plan is not None:
                audit_read(actor=user, instance=plan, note="officer assignment card")
                floor_plans = list(plan.attachments.order_by("kind", "title"))
                responders = plan.shared_with
        name, phone = _callback(request)
        cards.append(
            AssignmentCard(
                request=request,
                address=address,
                latitude=lat,
                longitude=lon,
                geo_url=f"geo:{lat},{lon}?q={lat},{lon}({label})",
                maps_url=MAPS_DIRECTIONS.format(lat=lat, lon=lon),
                called_at=request.created_at,
                callback_name=name,
                callback_phone=phone,
                floor_plans=floor_plans,
                contacts=contacts,
                responders=responders,
            )
        )
    return home.status, cards
