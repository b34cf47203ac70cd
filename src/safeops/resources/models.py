"""The community resource directory, stored as Open Referral HSDS 3.0 tables.

One model per HSDS table; field names are the specification's, except the HSDS `id`, kept as
`hsds_id` (re-import updates a row by it). Links between tables (`organization_id`,
`service_id`…) are foreign keys onto `hsds_id` without a database constraint, so a link column
holds exactly the HSDS identifier, and a data set may name a record it does not carry (the
specification allows it; the official example data does it). HSDS strings are text ("" when
absent) and HSDS numbers are floats (`None` when absent). `safeops.resources.hsds.schemas`
reads every table and field the import and export handle from the official schemas.

Beyond HSDS, organizations and services carry an owner (the staff member who keeps the record
current) and a last-verified date; see docs/resource-directory.md.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeops.staff.models import Person


def _link(to: str, related_name: str) -> Any:
    """A link column holding another table's HSDS id (no database constraint)."""
    return models.ForeignKey(
        to,
        to_field="hsds_id",
        db_constraint=False,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name=related_name,
    )


def _text() -> Any:
    return models.TextField(blank=True, default="")


def _number() -> Any:
    return models.FloatField(null=True, blank=True)


class HsdsRecord(models.Model):
    hsds_id = models.CharField(max_length=64, unique=True, verbose_name="HSDS id")

    class Meta:
        abstract = True


class Taxonomy(HsdsRecord):
    name = _text()
    description = _text()
    uri = _text()
    version = _text()

    class Meta:
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return str(self.name)


class TaxonomyTerm(HsdsRecord):
    code = _text()
    name = _text()
    description = _text()
    parent = _link("self", "children")
    taxonomy_text = _text()  # HSDS `taxonomy`: free-text name of an established taxonomy
    language = _text()
    taxonomy = _link("Taxonomy", "terms")
    term_uri = _text()

    def __str__(self) -> str:
        return str(self.name)


class Organization(HsdsRecord):
    name = _text()
    alternate_name = _text()
    description = _text()
    email = _text()
    website = _text()
    tax_status = _text()
    tax_id = _text()
    year_incorporated = _number()
    legal_status = _text()
    logo = _text()
    uri = _text()
    parent_organization = _link("self", "child_organizations")
    # safeops: who keeps the record current, and when it was last verified
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_verified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class Program(HsdsRecord):
    organization = _link("Organization", "programs")
    name = _text()
    alternate_name = _text()
    description = _text()

    def __str__(self) -> str:
        return str(self.name)


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Service(HsdsRecord):
    organization = _link("Organization", "services")
    program = _link("Program", "services")
    name = _text()
    alternate_name = _text()
    description = _text()
    url = _text()
    email = _text()
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, blank=True)
    interpretation_services = _text()
    application_process = _text()
    fees_description = _text()
    wait_time = _text()
    fees = _text()
    accreditations = _text()
    eligibility_description = _text()
    minimum_age = _number()
    maximum_age = _number()
    assured_date = _text()
    assurer_email = _text()
    licenses = _text()
    alert = _text()
    last_modified = _text()
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_verified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class Location(HsdsRecord):
    location_type = _text()
    url = _text()
    organization = _link("Organization", "locations")
    name = _text()
    alternate_name = _text()
    description = _text()
    transportation = _text()
    latitude = _number()
    longitude = _number()
    external_identifier = _text()
    external_identifier_type = _text()

    def __str__(self) -> str:
        return str(self.name or self.hsds_id)


class ServiceAtLocation(HsdsRecord):
    service = _link("Service", "service_at_locations")
    location = _link("Location", "service_at_locations")
    description = _text()

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Address(HsdsRecord):
    location = _link("Location", "addresses")
    attention = _text()
    address_1 = _text()
    address_2 = _text()
    city = _text()
    region = _text()
    state_province = _text()
    postal_code = _text()
    country = _text()
    address_type = _text()

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Contact(HsdsRecord):
    organization = _link("Organization", "contacts")
    service = _link("Service", "contacts")
    service_at_location = _link("ServiceAtLocation", "contacts")
    location = _link("Location", "contacts")
    name = _text()
    title = _text()
    department = _text()
    email = _text()

    def __str__(self) -> str:
        return str(self.name or self.hsds_id)


class Phone(HsdsRecord):
    location = _link("Location", "phones")
    service = _link("Service", "phones")
    organization = _link("Organization", "phones")
    contact = _link("Contact", "phones")
    service_at_location = _link("ServiceAtLocation", "phones")
    number = _text()
    extension = _number()
    type = _text()
    description = _text()

    def __str__(self) -> str:
        return str(self.number)


class Schedule(HsdsRecord):
    service = _link("Service", "schedules")
    location = _link("Location", "schedules")
    service_at_location = _link("ServiceAtLocation", "schedules")
    valid_from = _text()
    valid_to = _text()
    dtstart = _text()
    timezone = _number()
    until = _text()
    count = _number()
    wkst = _text()
    freq = _text()
    interval = _number()
    byday = _text()
    byweekno = _text()
    bymonthday = _text()
    byyearday = _text()
    description = _text()
    opens_at = _text()
    closes_at = _text()
    schedule_link = _text()
    attending_type = _text()
    notes = _text()

    def __str__(self) -> str:
        return f"{self.freq} {self.byday} {self.opens_at}-{self.closes_at}"


class Language(HsdsRecord):
    service = _link("Service", "languages")
    location = _link("Location", "languages")
    phone = _link("Phone", "languages")
    name = _text()
    code = _text()
    note = _text()

    def __str__(self) -> str:
        return str(self.name or self.code)


class ServiceArea(HsdsRecord):
    service = _link("Service", "service_areas")
    service_at_location = _link("ServiceAtLocation", "service_areas")
    name = _text()
    description = _text()
    extent = _text()
    extent_type = _text()
    uri = _text()

    def __str__(self) -> str:
        return str(self.name)


class CostOption(HsdsRecord):
    service = _link("Service", "cost_options")
    valid_from = _text()
    valid_to = _text()
    option = _text()
    currency = _text()
    amount = _number()
    amount_description = _text()

    def __str__(self) -> str:
        return str(self.option or self.hsds_id)


class Funding(HsdsRecord):
    organization = _link("Organization", "funding")
    service = _link("Service", "funding")
    source = _text()

    def __str__(self) -> str:
        return str(self.source[:60])


class RequiredDocument(HsdsRecord):
    service = _link("Service", "required_documents")
    document = _text()
    uri = _text()

    def __str__(self) -> str:
        return str(self.document[:60])


class Accessibility(HsdsRecord):
    location = _link("Location", "accessibility")
    description = _text()
    details = _text()
    url = _text()

    class Meta:
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return str(self.description[:60])


class OrganizationIdentifier(HsdsRecord):
    organization = _link("Organization", "organization_identifiers")
    identifier_scheme = _text()
    identifier_type = _text()
    identifier = _text()

    def __str__(self) -> str:
        return str(self.identifier)


class Url(HsdsRecord):
    """HSDS `url`: additional websites of an organization or service."""

    label = _text()
    url = _text()
    organization = _link("Organization", "additional_websites")
    service = _link("Service", "additional_urls")

    def __str__(self) -> str:
        return str(self.url)


class Attribute(HsdsRecord):
    """HSDS `attribute`: links any record (link_entity + link_id) to a taxonomy term."""

    link_id = models.CharField(max_length=64, blank=True, db_index=True)
    taxonomy_term = _link("TaxonomyTerm", "attributes")
    link_type = _text()
    link_entity = models.CharField(max_length=64, blank=True, db_index=True)
    value = _text()
    label = _text()

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.link_id} → {self.taxonomy_term_id}"


class Metadata(HsdsRecord):
    """HSDS `metadata`: provenance of a change to any record."""

    resource_id = models.CharField(max_length=64, blank=True, db_index=True)
    resource_type = _text()
    last_action_date = _text()
    last_action_type = _text()
    field_name = _text()
    previous_value = _text()
    replacement_value = _text()
    updated_by = _text()

    class Meta:
        verbose_name_plural = "metadata"

    def __str__(self) -> str:
        return f"{self.resource_type}:{self.resource_id} {self.last_action_type}"


class Unit(HsdsRecord):
    """HSDS `unit` (3.1): what a service capacity counts, e.g. "Bed"."""

    name = _text()
    scheme = _text()
    identifier = _text()
    uri = _text()

    def __str__(self) -> str:
        return str(self.name)


class ServiceCapacity(HsdsRecord):
    """HSDS `service_capacity` (3.1): how many units a service has available."""

    service = _link("Service", "capacities")
    unit = _link("Unit", "capacities")
    available = _number()
    maximum = _number()
    description = _text()
    updated = _text()

    class Meta:
        verbose_name_plural = "service capacities"

    def __str__(self) -> str:
        return f"{self.available} of {self.maximum}"


class MetaTableDescription(HsdsRecord):
    """HSDS `meta_table_description`: the data set's language and character set."""

    name = _text()
    language = _text()
    character_set = _text()

    def __str__(self) -> str:
        return str(self.name)


# --- safeops records (not HSDS) ---------------------------------------------------------------


class VerificationTask(models.Model):
    """Ask a record's owner to verify an organization or service that has gone stale.

    At most one open task per record (the daily freshness job deduplicates on it).
    """

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(models.Q(organization__isnull=False) & models.Q(service__isnull=True))
                | (models.Q(organization__isnull=True) & models.Q(service__isnull=False)),
                name="verification_task_one_record",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(completed_at__isnull=True, organization__isnull=False),
                name="verification_task_one_open_per_organization",
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(completed_at__isnull=True, service__isnull=False),
                name="verification_task_one_open_per_service",
            ),
        ]

    def __str__(self) -> str:
        record = self.service or self.organization
        return f"Verify {record}"

    @property
    def record(self) -> Organization | Service | None:
        return self.service or self.organization
