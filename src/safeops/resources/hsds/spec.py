"""Open Referral HSDS 3.0 tables as data: fields, types, formats, required fields, nesting.

Written from the specification's schema (https://docs.openreferral.org/en/latest/hsds/schema_reference.html);
no schema file is vendored. `required` is required in every representation; `tabular`
is required only in the tabular (datapackage/CSV) form, where a child row must name its
parent (in the nested JSON form the nesting names it). `kind` is the JSON type plus format:
"string", "number", "uuid", "email", "uri" or "date-time".

Nesting (the JSON representation): an array `key` of child objects whose `link` field is
the parent's id (a service's `phones` carry `service_id`), or a single object `key` whose id
is the parent's `link` field (a service's `organization` is its `organization_id`).
`attributes` and `metadata` may nest under any record: they link by `link_id`/`resource_id`
and name the parent's table in `link_entity`/`resource_type`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "string"
    required: bool = False
    tabular: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Nest:
    key: str
    table: str
    link: str  # many: the child's field holding the parent id; one: the parent's field
    many: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    fields: tuple[Field, ...]
    nests: tuple[Nest, ...] = field(default=())
    attributes: bool = True  # may carry nested attributes
    metadata: bool = True  # may carry nested metadata

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _id() -> Field:
    return Field("id", "uuid", required=True)


def _link(name: str, *, tabular: bool = False) -> Field:
    return Field(name, "uuid", tabular=tabular)


S, N, U, E, URI = "string", "number", "uuid", "email", "uri"
ADDRESS_TYPES = ("physical", "postal", "virtual")
SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "organization",
            (
                _id(),
                Field("name", required=True),
                Field("alternate_name"),
                Field("description", required=True),
                Field("email", E),
                Field("website", URI),
                Field("tax_status"),
                Field("tax_id"),
                Field("year_incorporated", N),
                Field("legal_status"),
                Field("logo"),
                Field("uri", URI),
                _link("parent_organization_id"),
            ),
            (
                Nest("additional_websites", "url", "organization_id"),
                Nest("funding", "funding", "organization_id"),
                Nest("contacts", "contact", "organization_id"),
                Nest("phones", "phone", "organization_id"),
                Nest("locations", "location", "organization_id"),
                Nest("programs", "program", "organization_id"),
                Nest("organization_identifiers", "organization_identifier", "organization_id"),
            ),
        ),
        Table(
            "url",
            (
                _id(),
                Field("label"),
                Field("url", URI, required=True),
                _link("organization_id"),
                _link("service_id"),
            ),
        ),
        Table(
            "program",
            (
                _id(),
                _link("organization_id", tabular=True),
                Field("name", required=True),
                Field("alternate_name"),
                Field("description", required=True),
            ),
        ),
        Table(
            "service",
            (
                _id(),
                _link("organization_id", tabular=True),
                _link("program_id"),
                Field("name", required=True),
                Field("alternate_name"),
                Field("description"),
                Field("url", URI),
                Field("email", E),
                Field("status", required=True, enum=SERVICE_STATUSES),
                Field("interpretation_services"),
                Field("application_process"),
                Field("fees_description"),
                Field("wait_time"),
                Field("fees"),
                Field("accreditations"),
                Field("eligibility_description"),
                Field("minimum_age", N),
                Field("maximum_age", N),
                Field("assured_date"),
                Field("assurer_email", E),
                Field("licenses"),
                Field("alert"),
                Field("last_modified", "date-time"),
            ),
            (
                Nest("additional_urls", "url", "service_id"),
                Nest("phones", "phone", "service_id"),
                Nest("schedules", "schedule", "service_id"),
                Nest("service_areas", "service_area", "service_id"),
                Nest("service_at_locations", "service_at_location", "service_id"),
                Nest("languages", "language", "service_id"),
                Nest("organization", "organization", "organization_id", many=False),
                Nest("funding", "funding", "service_id"),
                Nest("cost_options", "cost_option", "service_id"),
                Nest("program", "program", "program_id", many=False),
                Nest("required_documents", "required_document", "service_id"),
                Nest("contacts", "contact", "service_id"),
                Nest("capacities", "service_capacity", "service_id"),
            ),
        ),
        Table(
            "service_at_location",
            (
                _id(),
                _link("service_id", tabular=True),
                _link("location_id", tabular=True),
                Field("description"),
            ),
            (
                Nest("service_areas", "service_area", "service_at_location_id"),
                Nest("contacts", "contact", "service_at_location_id"),
                Nest("phones", "phone", "service_at_location_id"),
                Nest("schedules", "schedule", "service_at_location_id"),
                Nest("location", "location", "location_id", many=False),
            ),
        ),
        Table(
            "location",
            (
                _id(),
                Field("location_type", required=True, enum=ADDRESS_TYPES),
                Field("url", URI),
                _link("organization_id"),
                Field("name"),
                Field("alternate_name"),
                Field("description"),
                Field("transportation"),
                Field("latitude", N),
                Field("longitude", N),
                Field("external_identifier"),
                Field("external_identifier_type"),
            ),
            (
                Nest("languages", "language", "location_id"),
                Nest("addresses", "address", "location_id"),
                Nest("contacts", "contact", "location_id"),
                Nest("accessibility", "accessibility", "location_id"),
                Nest("phones", "phone", "location_id"),
                Nest("schedules", "schedule", "location_id"),
            ),
        ),
        Table(
            "phone",
            (
                _id(),
                _link("location_id"),
                _link("service_id"),
                _link("organization_id"),
                _link("contact_id"),
                _link("service_at_location_id"),
                Field("number", required=True),
                Field("extension", N),
                Field("type"),
                Field("description"),
            ),
            (Nest("languages", "language", "phone_id"),),
        ),
        Table(
            "contact",
            (
                _id(),
                _link("organization_id"),
                _link("service_id"),
                _link("service_at_location_id"),
                _link("location_id"),
                Field("name"),
                Field("title"),
                Field("department"),
                Field("email", E),
            ),
            (Nest("phones", "phone", "contact_id"),),
        ),
        Table(
            "address",
            (
                _id(),
                _link("location_id"),
                Field("attention"),
                Field("address_1", required=True),
                Field("address_2"),
                Field("city", required=True),
                Field("region"),
                Field("state_province", required=True),
                Field("postal_code", required=True),
                Field("country", required=True),
                Field("address_type", required=True, enum=ADDRESS_TYPES),
            ),
        ),
        Table(
            "schedule",
            (
                _id(),
                _link("service_id"),
                _link("location_id"),
                _link("service_at_location_id"),
                Field("valid_from"),
                Field("valid_to"),
                Field("dtstart"),
                Field("timezone", N),
                Field("until"),
                Field("count", N),
                Field("wkst", enum=WEEKDAYS),
                Field("freq", enum=("WEEKLY", "MONTHLY")),
                Field("interval", N),
                Field("byday"),
                Field("byweekno"),
                Field("bymonthday"),
                Field("byyearday"),
                Field("description"),
                Field("opens_at"),
                Field("closes_at"),
                Field("schedule_link", URI),
                Field("attending_type"),
                Field("notes"),
            ),
        ),
        Table("funding", (_id(), _link("organization_id"), _link("service_id"), Field("source"))),
        Table(
            "service_area",
            (
                _id(),
                _link("service_id"),
                _link("service_at_location_id"),
                Field("name"),
                Field("description"),
                Field("extent"),
                Field("extent_type"),
                Field("uri"),
            ),
        ),
        Table(
            "required_document",
            (_id(), _link("service_id"), Field("document"), Field("uri", URI)),
        ),
        Table(
            "language",
            (
                _id(),
                _link("service_id"),
                _link("location_id"),
                _link("phone_id"),
                Field("name"),
                Field("code"),
                Field("note"),
            ),
        ),
        Table(
            "accessibility",
            (
                _id(),
                _link("location_id"),
                Field("description"),
                Field("details"),
                Field("url", URI),
            ),
        ),
        Table(
            "cost_option",
            (
                _id(),
                _link("service_id", tabular=True),
                Field("valid_from"),
                Field("valid_to"),
                Field("option"),
                Field("currency"),
                Field("amount", N),
                Field("amount_description"),
            ),
        ),
        Table(
            "organization_identifier",
            (
                _id(),
                _link("organization_id", tabular=True),
                Field("identifier_scheme"),
                Field("identifier_type", required=True),
                Field("identifier", required=True),
            ),
        ),
        Table(
            "taxonomy",
            (
                _id(),
                Field("name", required=True),
                Field("description", required=True),
                Field("uri", URI),
                Field("version"),
            ),
            attributes=False,
        ),
        Table(
            "taxonomy_term",
            (
                _id(),
                Field("code"),
                Field("name", required=True),
                Field("description", required=True),
                _link("parent_id"),
                Field("taxonomy"),
                Field("language"),
                _link("taxonomy_id"),
                Field("term_uri", URI),
            ),
            (Nest("taxonomy_detail", "taxonomy", "taxonomy_id", many=False),),
            attributes=False,
        ),
        Table(
            "attribute",
            (
                _id(),
                _link("link_id", tabular=True),
                _link("taxonomy_term_id", tabular=True),
                Field("link_type"),
                Field("link_entity", tabular=True),
                Field("value"),
                Field("label"),
            ),
            (Nest("taxonomy_term", "taxonomy_term", "taxonomy_term_id", many=False),),
            attributes=False,
        ),
        Table(
            "unit",
            (
                _id(),
                Field("name", required=True),
                Field("scheme"),
                Field("identifier"),
                Field("uri", URI),
            ),
        ),
        Table(
            "service_capacity",
            (
                _id(),
                _link("service_id", tabular=True),
                _link("unit_id", tabular=True),
                Field("available", N, required=True),
                Field("maximum", N),
                Field("description"),
                Field("updated", "date-time", required=True),
            ),
            (Nest("unit", "unit", "unit_id", many=False),),
        ),
        Table(
            "meta_table_description",
            (_id(), Field("name"), Field("language"), Field("character_set")),
        ),
        Table(
            "metadata",
            (
                _id(),
                _link("resource_id", tabular=True),
                Field("resource_type", tabular=True),
                Field("last_action_date", required=True),
                Field("last_action_type", required=True),
                Field("field_name", required=True),
                Field("previous_value", required=True),
                Field("replacement_value", required=True),
                Field("updated_by", required=True),
            ),
            attributes=False,
            metadata=False,
        ),
    )
}

# Import order (parents first) and export order.
TABLE_ORDER = tuple(TABLES)

# Nested-JSON collections a JSON file may hold at its top level.
TOP_LEVEL = {
    "organizations": "organization",
    "services": "service",
    "service_at_locations": "service_at_location",
    "locations": "location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}

# Model field names that differ from the HSDS names.
MODEL_FIELD = {("taxonomy_term", "taxonomy"): "taxonomy_text"}


def model_field(table: str, name: str) -> str:
    if name == "id":
        return "hsds_id"
    return MODEL_FIELD.get((table, name), name)
