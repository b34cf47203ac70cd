"""The Open Referral HSDS tables, read from the official schemas in place.

`settings.HSDS_SCHEMA_DIR` is a folder holding the specification's `datapackage.json` and its
`schema/<table>.json` object schemas (by default the shared standards folder beside the
repository; nothing is copied into the project). From them each table gets its fields in the
specification's order, the CSV file name, the number columns (datapackage field types), the
fields required in the nested JSON form (`required`) and in the tabular form (datapackage
`constraints.required`, i.e. also `tabular_required`), its nesting, and a JSON Schema validator
for one flat record (draft 2020-12, the draft the HSDS 3 schemas are written for).

Versions: the folder's schemas give HSDS 3.0. HSDS 3.1 only adds (tables `url`, `unit`,
`service_capacity`; a few fields and nestings; no table or file was renamed); a schema for a 3.1
table found in the folder is used, otherwise the additions in `spec.HSDS_31_ADDITIONS`.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jsonschema import Draft202012Validator, FormatChecker

from safeops.resources.hsds.spec import HSDS_31_ADDITIONS

VERSIONS = ("3.0", "3.1")
DEFAULT_VERSION = "3.0"
ERROR_NO_SCHEMAS = (
    "HSDS_SCHEMA_DIR ({path}) holds no Open Referral HSDS schemas (datapackage.json and "
    "schema/*.json); set HSDS_SCHEMA_DIR to the folder of the official HSDS schemas."
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

FORMATS = FormatChecker(formats=())


def _is_uuid(value: object) -> bool:
    if isinstance(value, str):
        uuid.UUID(value)
    return True


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(EMAIL.match(value))


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    )


FORMATS.checks("uuid", raises=ValueError)(_is_uuid)
FORMATS.checks("email")(_is_email)
FORMATS.checks("uri")(_is_uri)
FORMATS.checks("date-time", raises=ValueError)(_is_date_time)


@dataclass(frozen=True)
class Nest:
    key: str
    table: str
    link: str  # many: the child's field holding the parent id; one: the parent's field
    many: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    version: str  # the first HSDS version with this table
    path: str  # the official CSV file name
    field_names: tuple[str, ...]
    numbers: frozenset[str]
    required: frozenset[str]  # in every form
    tabular_required: frozenset[str]  # in the tabular form (includes `required`)
    enums: dict[str, tuple[str, ...]]
    types: dict[str, str]  # datapackage (Table Schema) type of each field
    formats: dict[str, str]  # JSON Schema format of each field that has one
    nests: tuple[Nest, ...]
    attributes: bool
    metadata: bool
    since_31: frozenset[str] = field(default=frozenset())  # fields and nestings 3.1 added
    validator: Any = field(compare=False, repr=False, default=None)  # Draft202012Validator

    def has_field(self, name: str) -> bool:
        return name in self.field_names

    def fields_for(self, version: str) -> tuple[str, ...]:
        if version == "3.0":
            return tuple(name for name in self.field_names if name not in self.since_31)
        return self.field_names

    def nests_for(self, version: str) -> tuple[Nest, ...]:
        if version == "3.0":
            return tuple(nest for nest in self.nests if nest.key not in self.since_31)
        return self.nests


def schema_dir() -> Path:
    return Path(settings.HSDS_SCHEMA_DIR)


def schemas_present(folder: Path | None = None) -> bool:
    folder = folder or schema_dir()
    return (folder / "datapackage.json").is_file() and (folder / "schema").is_dir()


def tables(version: str = "3.1") -> dict[str, Table]:
    """The tables of `version`, parents first (the import and export order)."""
    loaded = _load(str(schema_dir()))
    if version not in VERSIONS:
        raise ValueError(f"HSDS version must be one of {', '.join(VERSIONS)}")
    return {name: t for name, t in loaded.items() if version == "3.1" or t.version == "3.0"}


def table_for_file(file_name: str) -> Table | None:
    """The table a file holds: the official name of either version, or `<table>.csv|json`."""
    stem = file_name.rsplit(".", 1)[0]
    for table in tables().values():
        if stem in (table.name, table.path.rsplit(".", 1)[0]):
            return table
    return None


def _is_nest(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "array" or "$ref" in prop


def _ref_table(ref: str) -> str:
    return ref.rsplit("/", 1)[-1].removesuffix(".json")


@functools.cache
def _load(folder_name: str) -> dict[str, Table]:
    folder = Path(folder_name)
    if not schemas_present(folder):
        raise ImproperlyConfigured(ERROR_NO_SCHEMAS.format(path=folder))
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    order = [r["name"] for r in package["resources"]]
    schemas: dict[str, tuple[str, dict[str, Any]]] = {}
    for name in order:
        schemas[name] = ("3.0", _read_schema(folder / "schema" / f"{name}.json"))
    added = HSDS_31_ADDITIONS
    since_31: dict[str, set[str]] = {}
    for name, extra in added["tables"].items():
        path = folder / "schema" / f"{name}.json"
        schemas[name] = ("3.1", _read_schema(path) if path.is_file() else copy.deepcopy(extra))
        order.insert(order.index(added["after"][name]) + 1, name)
    for name, props in added["properties"].items():
        schema = schemas[name][1]
        for key, prop in props.items():
            if key not in schema["properties"]:
                schema["properties"][key] = copy.deepcopy(prop)
                since_31.setdefault(name, set()).add(key)
    result: dict[str, Table] = {}
    for name in order:
        version, schema = schemas[name]
        fields = resources[name]["schema"]["fields"] if name in resources else None
        result[name] = _table(name, version, schema, fields, since_31.get(name, set()))
    return result


def _read_schema(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _table(
    name: str,
    version: str,
    schema: dict[str, Any],
    package_fields: list[dict[str, Any]] | None,
    since_31: set[str],
) -> Table:
    props: dict[str, dict[str, Any]] = schema["properties"]
    flat = {key: prop for key, prop in props.items() if not _is_nest(prop)}
    required = frozenset(schema.get("required", [])) & set(flat)
    if package_fields is not None:
        # The datapackage's table schema types the CSV form (and says what it requires).
        types = {f["name"]: str(f.get("type", "string")) for f in package_fields}
        tabular = {f["name"] for f in package_fields if f.get("constraints", {}).get("required")}
    else:
        types = {}
        tabular = set(required) | set(schema.get("tabular_required", []))
    for key, prop in flat.items():
        if key not in types:
            datetime = prop.get("format") == "date-time"
            types[key] = "datetime" if datetime else str(prop.get("type", "string"))
    numbers = {key for key, kind in types.items() if kind in ("number", "integer")}
    nests = []
    for key, prop in props.items():
        if not _is_nest(prop) or key in ("attributes", "metadata"):
            continue
        target = _ref_table(prop["items"]["$ref"] if "items" in prop else prop["$ref"])
        many = prop.get("type") == "array"
        nests.append(Nest(key, target, f"{name}_id" if many else f"{target}_id", many))
    # One flat record: the properties (no nesting), no `required` (reported per field).
    flat_schema = {
        "type": "object",
        "properties": {key: _plain(prop) for key, prop in flat.items()},
    }
    return Table(
        name=name,
        version=version,
        path=str(schema.get("path", f"{name}.csv")),
        field_names=tuple(flat),
        numbers=frozenset(numbers),
        required=required,
        tabular_required=frozenset(tabular & set(flat)),
        enums={key: tuple(prop["enum"]) for key, prop in flat.items() if "enum" in prop},
        types={key: types[key] for key in flat},
        formats={key: str(prop["format"]) for key, prop in flat.items() if "format" in prop},
        nests=tuple(nests),
        attributes="attributes" in props,
        metadata="metadata" in props,
        since_31=frozenset(since_31),
        validator=Draft202012Validator(flat_schema, format_checker=FORMATS),
    )


def _plain(prop: dict[str, Any]) -> dict[str, Any]:
    """A property's validation keywords (the HSDS files also carry documentation keys)."""
    return {k: v for k, v in prop.items() if k in ("type", "format", "enum")}


def error_message(error: Any) -> str:
    """A jsonschema error as the importer's message."""
    if error.validator == "type":
        return f"must be a {error.validator_value}"
    if error.validator == "enum":
        return "must be one of " + ", ".join(error.validator_value)
    if error.validator == "format":
        return {
            "uuid": "must be a UUID",
            "email": "must be an e-mail address",
            "uri": "must be a URI",
            "date-time": "must be an ISO 8601 date-time",
        }.get(error.validator_value, f"must be a {error.validator_value}")
    return str(error.message)
