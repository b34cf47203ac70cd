"""Writes for people and their assignments."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeops.access import forget_viewer
from safeops.core.audit import Actor
from safeops.core.services import model_create, model_update
from safeops.schools.models import District, School
from safeops.staff.choices import (
    ASSIGNMENT_TARGET,
    MAX_CONCURRENT_ASSIGNMENTS,
    AssignmentTarget,
    EmploymentMethod,
    FundingSource,
    Role,
)
from safeops.staff.models import Assignment, MarshalApproval, Person
from safeops.zones.models import Zone

ROLE_HAS_NO_ASSIGNMENT = _("A {role} works district-wide and is not assigned to a school or zone.")
ROLE_NEEDS_TARGET = _("A {role} is assigned to a {target}.")
TOO_MANY_ASSIGNMENTS = _(
    "{person} already has {count} current assignment(s); a {role} may have {limit}."
)
ALREADY_ASSIGNED = _("{person} is already assigned to {target} from {day}.")
OTHER_DISTRICT = _("{target} is in another district than {person}.")
SRO_FIELDS_FOR_SSOS = _("Employment method and funding source are recorded for SSOs only.")


def overlapping(starts_on: dt.date, ends_on: dt.date | None) -> Q:
    """Rows whose [starts_on, ends_on) period overlaps the given one (None = open-ended)."""
    q = Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
    if ends_on is not None:
        q &= Q(starts_on__lt=ends_on)
    return q


def person_create(
    *,
    district: District,
    full_name: str,
    role: Role,
    actor: Actor,
    email: str = "",
    phone: str = "",
    badge_number: str = "",
    username: str | None = None,
    password: str | None = None,
) -> Person:
    """Create a staff member, with a login when `username` is given."""
    with transaction.atomic():
        user = None
        if username is not None:
            user = get_user_model().objects.create_user(
                username=username, email=email, password=password, first_name=full_name[:150]
            )
        return model_create(
            model=Person,
            actor=actor,
            district=district,
            user=user,
            full_name=full_name,
            role=role,
            email=email,
            phone=phone,
            badge_number=badge_number,
        )


def assignment_create(
    *,
    person: Person,
    starts_on: dt.date,
    actor: Actor,
    school: School | None = None,
    zone: Zone | None = None,
    ends_on: dt.date | None = None,
) -> Assignment:
    """Assign `person` to a school or a zone, checking the role's rules."""
    role = Role(person.role)
    expected = ASSIGNMENT_TARGET[role]
    if expected is None:
        raise ValidationError(ROLE_HAS_NO_ASSIGNMENT.format(role=role.label))
    target = school if expected == AssignmentTarget.SCHOOL else zone
    wrong = zone if expected == AssignmentTarget.SCHOOL else school
    if target is None or wrong is not None:
        raise ValidationError(
            ROLE_NEEDS_TARGET.format(role=role.label, target=expected.label.lower())
        )
    if target.district_id != person.district_id:
        raise ValidationError(OTHER_DISTRICT.format(target=target, person=person.full_name))
    with transaction.atomic():
        current = Assignment.objects.select_for_update().filter(
            overlapping(starts_on, ends_on), person=person
        )
        if current.filter(school=school, zone=zone).exists():
            raise ValidationError(
                ALREADY_ASSIGNED.format(person=person.full_name, target=target, day=starts_on)
            )
        limit = MAX_CONCURRENT_ASSIGNMENTS.get(role, 1)
        count = current.count()
        if count >= limit:
            raise ValidationError(
                TOO_MANY_ASSIGNMENTS.format(
                    person=person.full_name, count=count, role=role.label, limit=limit
                )
            )
        assignment = model_create(
            model=Assignment,
            actor=actor,
            person=person,
            school=school,
            zone=zone,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    if person.user is not None:
        forget_viewer(person.user)
    return assignment


def assignment_end(*, assignment: Assignment, ends_on: dt.date, actor: Actor) -> Assignment:
    """End an assignment on `ends_on` (exclusive); its row stays as history."""
    if ends_on <= assignment.starts_on:
        raise ValidationError({"ends_on": gettext("The end date must be after the start date.")})
    return model_update(instance=assignment, actor=actor, data={"ends_on": ends_on})


def sro_details_set(
    *,
    person: Person,
    employment_method: EmploymentMethod | str,
    funding_source: FundingSource | str,
    actor: Actor,
) -> Person:
    """Record how an SSO is employed and funded (the annual KRS 158.4414 report)."""
    if person.role != Role.SSO:
        raise ValidationError(SRO_FIELDS_FOR_SSOS)
    return model_update(
        instance=person,
        actor=actor,
        data={"employment_method": employment_method, "funding_source": funding_source},
    )


def marshal_approval_record(
    *,
    school: School,
    approved_on: dt.date,
    reference: str,
    actor: Actor,
    ends_on: dt.date | None = None,
    note: str = "",
) -> MarshalApproval:
    """Record the State School Security Marshal's written approval for `school` to go without
    a certified SRO on site (2022 HB 63), with its date; audited like every write."""
    return model_create(
        model=MarshalApproval,
        actor=actor,
        school=school,
        approved_on=approved_on,
        reference=reference,
        ends_on=ends_on,
        note=note,
    )
