"""Writes to the resource directory: categories, verification, and a simple record create.

Every write records an audit entry (core.services / core.audit). HSDS imports go through
`safeops.resources.hsds.importer.hsds_import`, which validates the whole data set first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from safeops.core.audit import Actor, audit_write
from safeops.core.models import AuditAction
from safeops.core.notify.selectors import alert_language
from safeops.core.services import model_create, model_update
from safeops.resources.categories import Category, category_taxonomy_seed, category_term_id
from safeops.resources.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
    VerificationTask,
)
from safeops.staff.models import Person


def new_hsds_id() -> str:
    return str(uuid.uuid4())


def service_set_categories(*, service: Service, codes: Iterable[str], actor: Actor) -> None:
    """Make the service's safeops categories exactly `codes` (HSDS attributes to the terms)."""
    wanted = {Category(code).value for code in codes}
    term_ids = {category_term_id(code): code for code in Category.values}
    with transaction.atomic():
        if wanted and TaxonomyTerm.objects.filter(hsds_id__in=term_ids).count() < len(term_ids):
            category_taxonomy_seed(Taxonomy, TaxonomyTerm)  # the system taxonomy is always there
        existing = Attribute.objects.filter(
            link_entity="service", link_id=service.hsds_id, taxonomy_term_id__in=term_ids
        )
        for attribute in existing:
            code = term_ids[str(attribute.taxonomy_term_id)]
            if code in wanted:
                wanted.discard(code)
            else:
                audit_write(actor=actor, action=AuditAction.DELETE, instance=attribute, before=None)
                attribute.delete()
        for code in sorted(wanted):
            model_create(
                model=Attribute,
                actor=actor,
                hsds_id=new_hsds_id(),
                link_id=service.hsds_id,
                link_entity="service",
                taxonomy_term_id=category_term_id(code),
            )


def directory_service_create(
    *,
    organization_name: str,
    service_name: str,
    categories: Iterable[str],
    latitude: float,
    longitude: float,
    address_1: str,
    city: str,
    state_province: str,
    postal_code: str,
    phone: str = "",
    description: str = "",
    owner: Person | None = None,
    verified_on: dt.date | None = None,
    actor: Actor,
) -> Service:
    """One organization with one service at one physical location (by hand, or demo/tests)."""
    with transaction.atomic():
        organization = model_create(
            model=Organization,
            actor=actor,
            hsds_id=new_hsds_id(),
            name=organization_name,
            description=description or organization_name,
            owner=owner,
            last_verified_on=verified_on,
        )
        service = model_create(
            model=Service,
            actor=actor,
            hsds_id=new_hsds_id(),
            organization_id=organization.hsds_id,
            name=service_name,
            description=description,
            status=ServiceStatus.ACTIVE,
            owner=owner,
            last_verified_on=verified_on,
        )
        location = model_create(
            model=Location,
            actor=actor,
            hsds_id=new_hsds_id(),
            location_type="physical",
            organization_id=organization.hsds_id,
            name=organization_name,
            latitude=latitude,
            longitude=longitude,
        )
        model_create(
            model=Address,
            actor=actor,
            hsds_id=new_hsds_id(),
            location_id=location.hsds_id,
            address_1=address_1,
            city=city,
            state_province=state_province,
            postal_code=postal_code,
            country="US",
            address_type="physical",
        )
        model_create(
            model=ServiceAtLocation,
            actor=actor,
            hsds_id=new_hsds_id(),
            service_id=service.hsds_id,
            location_id=location.hsds_id,
        )
        if phone:
            model_create(
                model=Phone,
                actor=actor,
                hsds_id=new_hsds_id(),
                service_id=service.hsds_id,
                number=phone,
                type="voice",
            )
        service_set_categories(service=service, codes=categories, actor=actor)
    return service


def record_verify(
    *, record: Organization | Service, actor: Actor, on: dt.date | None = None
) -> Organization | Service:
    """Record that `record` was checked today: last-verified date, audit entry, task closed."""
    day = on or timezone.localdate()
    with transaction.atomic():
        model_update(instance=record, actor=actor, data={"last_verified_on": day}, note="verified")
        open_tasks = VerificationTask.objects.filter(completed_at__isnull=True)
        if isinstance(record, Service):
            open_tasks = open_tasks.filter(service=record)
        else:
            open_tasks = open_tasks.filter(organization=record)
        user = None if isinstance(actor, str) or not actor.is_authenticated else actor
        for task in open_tasks:
            model_update(
                instance=task,
                actor=actor,
                data={"completed_at": timezone.now(), "completed_by": user},
            )
    return record


TASK_SUBJECT = _("Please verify a community resource: {name}")
TASK_BODY = _(
    "{name} was last verified {when}. Directory records unverified for more than {days} days "
    "are flagged. Please check its details with the provider and mark it verified in "
    "safeops (Resources > Needs verification)."
)
NEVER_VERIFIED = _("never")


def verification_tasks_create(*, today: dt.date | None = None) -> int:
    """Give each stale organization/service with an owner one open task and one e-mail.

    Deduplicated: a record with an open task gets no second task or e-mail. Returns the
    number of tasks created.
    """
    day = today or timezone.localdate()
    cutoff = day - dt.timedelta(days=settings.RESOURCE_STALE_AFTER_DAYS)
    owned = Q(owner__isnull=False, owner__active=True)
    fresh = Q(last_verified_on__gte=cutoff)
    open_tasks = VerificationTask.objects.filter(completed_at__isnull=True)
    organizations = (
        Organization.objects.filter(owned)
        .exclude(fresh)
        .exclude(pk__in=open_tasks.filter(organization__isnull=False).values("organization_id"))
        .select_related("owner__user")
    )
    services = (
        Service.objects.filter(owned)
        .exclude(fresh)
        .exclude(pk__in=open_tasks.filter(service__isnull=False).values("service_id"))
        .select_related("owner__user")
    )
    created = 0
    for organization in organizations:
        _task_create(record=organization, organization=organization)
        created += 1
    for service in services:
        _task_create(record=service, service=service)
        created += 1
    return created


def _task_create(
    *,
    record: Organization | Service,
    organization: Organization | None = None,
    service: Service | None = None,
) -> None:
    owner = record.owner
    with transaction.atomic():
        task = model_create(
            model=VerificationTask,
            actor="system:resources-freshness",
            owner=owner,
            organization=organization,
            service=service,
        )
        email = (owner.email if owner else "") or (owner.user.email if owner and owner.user else "")
        if not email:
            return
        # In the language the owner reads alerts in (My alerts).
        with translation.override(alert_language(user_id=owner.user_id if owner else None)):
            when = (
                record.last_verified_on.isoformat()
                if record.last_verified_on
                else str(NEVER_VERIFIED)
            )
            send_mail(
                str(TASK_SUBJECT).format(name=record.name),
                str(TASK_BODY).format(
                    name=record.name, when=when, days=settings.RESOURCE_STALE_AFTER_DAYS
                ),
                None,
                [email],
            )
        task.emailed_at = timezone.now()
        task.save(update_fields=["emailed_at"])
