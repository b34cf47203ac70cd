"""Shared set-up for the training tests: the default catalog and quick record writers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from safeops.schools.models import District
from safeops.staff.models import Person
from safeops.training.models import Certification, CertificationType, Completion, Topic
from safeops.training.services import (
    certification_record,
    completion_record,
    training_defaults_seed,
)

ACTOR = "system:test"
FUTURE = dt.date(2100, 1, 1)


def seed(district: District, from_year: int = 2024) -> None:
    training_defaults_seed(district=district, actor=ACTOR, from_year=from_year)


def done(
    person: Person, code: str, hours: int | str, day: dt.date, counts_for: int | None = None
) -> Completion:
    return completion_record(
        person=person,
        topic=Topic.objects.get(district_id=person.district_id, code=code),
        hours=Decimal(hours),
        completed_on=day,
        counts_for_year=counts_for,
        actor=ACTOR,
        today=FUTURE,
    )


def pops(person: Person, expires_on: dt.date | None) -> Certification:
    return certify(person, "pops", expires_on)


def firearm(person: Person, expires_on: dt.date | None) -> Certification:
    """A firearm qualification (the default catalog lapses an SSO without a valid one)."""
    return certify(person, "firearm", expires_on)


def certify(person: Person, code: str, expires_on: dt.date | None) -> Certification:
    return certification_record(
        person=person,
        certification_type=CertificationType.objects.get(district_id=person.district_id, code=code),
        issued_on=dt.date(2020, 1, 1),
        expires_on=expires_on,
        actor=ACTOR,
    )
