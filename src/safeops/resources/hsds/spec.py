"""What the official HSDS 3.0 schemas cannot say: the 3.1 additions and our model mapping.

The tables themselves come from the official schemas (`hsds/schemas.py`). The shared standards
folder holds the 3.0 schemas; HSDS 3.1 (changelog of the specification, v3.1) is backwards
compatible and only adds the three tables and the fields below. They are written here in the
schemas' own shape and used only where the folder has no schema of its own for them.
"""

from __future__ import annotations

from typing import Any


def _uuid() -> dict[str, Any]:
    return {"type": "string", "format": "uuid"}


def _text() -> dict[str, Any]:
    return {"type": "string"}


def _many(table: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"{table}.json"}}


_NESTED = {"attributes": _many("attribute"), "metadata": _many("metadata")}

HSDS_31_ADDITIONS: dict[str, Any] = {
    "tables": {
        "url": {
            "name": "url",
            "path": "url.csv",
            "type": "object",
            "properties": {
                "id": _uuid(),
                "label": _text(),
                "url": {"type": "string", "format": "uri"},
                "organization_id": _uuid(),
                "service_id": _uuid(),
                **_NESTED,
            },
            "required": ["id", "url"],
        },
        "unit": {
            "name": "unit",
            "path": "units.csv",
            "type": "object",
            "properties": {
                "id": _uuid(),
                "name": _text(),
                "scheme": _text(),
                "identifier": _text(),
                "uri": {"type": "string", "format": "uri"},
                **_NESTED,
            },
            "required": ["id", "name"],
        },
        "service_capacity": {
            "name": "service_capacity",
            "path": "service_capacity.csv",
            "type": "object",
            "properties": {
                "id": _uuid(),
                "service_id": _uuid(),
                "unit": {"$ref": "unit.json"},
                "unit_id": _uuid(),
                "available": {"type": "number"},
                "maximum": {"type": "number"},
                "description": _text(),
                "updated": {"type": "string", "format": "date-time"},
                **_NESTED,
            },
            "required": ["id", "available", "updated"],
            "tabular_required": ["unit_id", "service_id"],
        },
    },
    # Where a new table goes in the import and export order.
    "after": {"url": "organization", "unit": "taxonomy", "service_capacity": "unit"},
    "properties": {
        "organization": {"additional_websites": _many("url")},
        "service": {"additional_urls": _many("url"), "capacities": _many("service_capacity")},
        "service_at_location": {"service_areas": _many("service_area")},
        "service_area": {"service_at_location_id": _uuid()},
        "attribute": {"label": _text()},
    },
}

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
