"""Directory records and referrals for the referral tests (built through the ORM)."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid

from django.apps import apps
from django.utils import timezone

from safeops.referrals.choices import ConsentGivenBy, ConsentScope, Grade
from safeops.referrals.models import Referral
from safeops.referrals.services import ConsentInput, referral_create
from safeops.resources.categories import category_term_id
from safeops.resources.models import Attribute, Location, Service, ServiceAtLocation
from safeops.schools.models import School


def ensure_categories() -> None:
    """The category taxonomy the resources migration seeds (a transactional test's flush
    removes it; seeding again is idempotent)."""
    migration = importlib.import_module("safeops.resources.migrations.0002_seed_categories")
    migration.seed(apps, None)


def make_service(
    name: str,
    *,
    category: str,
    near: School | None = None,
    lat_offset: float = 0.01,
) -> Service:
    """A service in `category`, located ~1 km from `near` (no location when None)."""
    ensure_categories()
    service = Service.objects.create(hsds_id=str(uuid.uuid4()), name=name, status="active")
    Attribute.objects.create(
        hsds_id=str(uuid.uuid4()),
        link_id=service.hsds_id,
        link_entity="service",
        taxonomy_term_id=category_term_id(category),
    )
    if near is not None:
        location = Location.objects.create(
            hsds_id=str(uuid.uuid4()),
            name=f"{name} site",
            latitude=near.latitude + lat_offset,
            longitude=near.longitude,
        )
        ServiceAtLocation.objects.create(
            hsds_id=str(uuid.uuid4()), service_id=service.hsds_id, location_id=location.hsds_id
        )
    return service


def two_way_consent(on: dt.date | None = None) -> ConsentInput:
    return ConsentInput(
        given_by=ConsentGivenBy.PARENT_GUARDIAN,
        given_on=on or timezone.localdate(),
        scope=ConsentScope.TWO_WAY,
    )


def refer(actor: object, school: School, service: Service, **overrides: object) -> Referral:
    fields: dict[str, object] = {
        "actor": actor,
        "school": school,
        "service": service,
        "grade": Grade.G7,
        "student_initials": "JD",
        "consent": two_way_consent(),
        "handoff_note": "Family needs emergency housing this week; mother prefers text.",
    }
    fields.update(overrides)
    return referral_create(**fields)  # type: ignore[arg-type]
