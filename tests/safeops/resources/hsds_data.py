"""An HSDS 3.0 data set built by the tests (acceptance 1): every core table, by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

ORG = "0f6f1d4e-6a0b-4c1e-9a55-0a1b2c3d4e01"
ORG2 = "0f6f1d4e-6a0b-4c1e-9a55-0a1b2c3d4e02"
SERVICE = "1a2b3c4d-0000-4000-8000-000000000001"
SERVICE2 = "1a2b3c4d-0000-4000-8000-000000000002"
LOCATION = "2b3c4d5e-0000-4000-8000-000000000001"
LOCATION2 = "2b3c4d5e-0000-4000-8000-000000000002"
SAL = "3c4d5e6f-0000-4000-8000-000000000001"
SAL2 = "3c4d5e6f-0000-4000-8000-000000000002"
TAXONOMY = "4d5e6f70-0000-4000-8000-000000000001"
TERM = "5e6f7081-0000-4000-8000-000000000001"
TERM_CHILD = "5e6f7081-0000-4000-8000-000000000002"

TABLES: dict[str, list[dict[str, Any]]] = {
    "organization": [
        {
            "id": ORG,
            "name": "Riverside Family Services",
            "alternate_name": "RFS",
            "description": "Counselling and shelter for families in crisis.",
            "email": "intake@riverside.example.org",
            "website": "https://riverside.example.org",
            "year_incorporated": 1987,
        },
        {
            "id": ORG2,
            "name": "Oak Street Clinic",
            "description": "Youth mental health, ages 10-21.",
        },
    ],
    "service": [
        {
            "id": SERVICE,
            "organization_id": ORG,
            "name": "Emergency Youth Shelter",
            "description": "Beds for young people aged 12 to 17, open every night.",
            "status": "active",
            "eligibility_description": "Young people aged 12 to 17",
            "minimum_age": 12,
            "maximum_age": 17,
            "fees_description": "Free",
            "last_modified": "2026-01-15T09:30:00.000Z",
        },
        {
            "id": SERVICE2,
            "organization_id": ORG2,
            "name": 'Walk-in counselling, "no appointment"',
            "description": "Line one\nline two, with a comma",
            "status": "temporarily closed",
            "minimum_age": 10.5,
        },
    ],
    "location": [
        {
            "id": LOCATION,
            "location_type": "physical",
            "organization_id": ORG,
            "name": "Riverside House",
            "latitude": 38.2331,
            "longitude": -85.7101,
        },
        {
            "id": LOCATION2,
            "location_type": "physical",
            "organization_id": ORG2,
            "name": "Oak Street",
            "latitude": 38.25,
            "longitude": -85.76,
        },
    ],
    "service_at_location": [
        {"id": SAL, "service_id": SERVICE, "location_id": LOCATION, "description": "Main site"},
        {"id": SAL2, "service_id": SERVICE2, "location_id": LOCATION2},
    ],
    "address": [
        {
            "id": "6f708192-0000-4000-8000-000000000001",
            "location_id": LOCATION,
            "address_1": "1200 River Rd",
            "city": "Louisville",
            "state_province": "KY",
            "postal_code": "40206",
            "country": "US",
            "address_type": "physical",
        },
        {
            "id": "6f708192-0000-4000-8000-000000000002",
            "location_id": LOCATION2,
            "address_1": "45 Oak St",
            "address_2": "Suite 2",
            "city": "Louisville",
            "state_province": "KY",
            "postal_code": "40208",
            "country": "US",
            "address_type": "physical",
        },
    ],
    "phone": [
        {
            "id": "708192a3-0000-4000-8000-000000000001",
            "service_id": SERVICE,
            "location_id": LOCATION,
            "number": "+1 502 555 0100",
            "extension": 12,
            "type": "voice",
        },
        {
            "id": "708192a3-0000-4000-8000-000000000002",
            "organization_id": ORG2,
            "number": "502-555-0199",
            "type": "text",
        },
    ],
    "schedule": [
        {
            "id": "8192a3b4-0000-4000-8000-000000000001",
            "service_id": SERVICE,
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR,SA,SU",
            "opens_at": "00:00",
            "closes_at": "23:59",
            "valid_from": "2025-01-01",
            "description": "Every night",
        },
        {
            "id": "8192a3b4-0000-4000-8000-000000000002",
            "service_at_location_id": SAL2,
            "freq": "WEEKLY",
            "wkst": "MO",
            "interval": 1,
            "byday": "MO,WE,FR",
            "opens_at": "09:00",
            "closes_at": "17:00",
        },
    ],
    "unit": [{"id": "a3b4c5d6-0000-4000-8000-000000000001", "name": "Bed"}],
    "service_capacity": [
        {
            "id": "b4c5d6e7-0000-4000-8000-000000000001",
            "service_id": SERVICE,
            "unit_id": "a3b4c5d6-0000-4000-8000-000000000001",
            "available": 3,
            "maximum": 16,
            "updated": "2026-02-01T18:00:00Z",
        }
    ],
    "taxonomy": [
        {
            "id": TAXONOMY,
            "name": "Test taxonomy",
            "description": "Terms used by the tests",
            "uri": "https://taxonomy.example.org",
            "version": "2",
        }
    ],
    "taxonomy_term": [
        {
            "id": TERM,
            "code": "BH",
            "name": "Basic needs",
            "description": "Food and shelter",
            "taxonomy_id": TAXONOMY,
            "language": "en",
        },
        {
            "id": TERM_CHILD,
            "code": "BH-180",
            "name": "Shelter",
            "description": "Night shelter",
            "parent_id": TERM,
            "taxonomy_id": TAXONOMY,
        },
    ],
    "attribute": [
        {
            "id": "92a3b4c5-0000-4000-8000-000000000001",
            "link_id": SERVICE,
            "link_entity": "service",
            "taxonomy_term_id": TERM_CHILD,
            "link_type": "service_type",
        },
        {
            "id": "92a3b4c5-0000-4000-8000-000000000002",
            "link_id": LOCATION2,
            "link_entity": "location",
            "taxonomy_term_id": TERM,
            "value": "yes",
        },
    ],
}


def write_csv_package(folder: Path, tables: dict[str, list[dict[str, Any]]] = TABLES) -> Path:
    """A datapackage folder: datapackage.json plus one CSV per table (columns as used)."""
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for table, rows in tables.items():
        columns: list[str] = []
        for row in rows:
            columns += [name for name in row if name not in columns]
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        resources.append({"name": table, "path": f"{table}.csv"})
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))
    return folder
