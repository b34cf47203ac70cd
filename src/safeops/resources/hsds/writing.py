"""Write a validated HSDS data set (one transaction, update by id); export as HSDS 3.0 or 3.1."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from safeops.core.audit import Actor, audit_export, audit_write, snapshot
from safeops.core.csvexport import interchange_dict_writer
from safeops.core.models import AuditAction
from safeops.resources import models as m
from safeops.resources.hsds.reading import DataSet, Row
from safeops.resources.hsds.schemas import tables
from safeops.resources.hsds.spec import model_field

MODELS: dict[str, type[models.Model]] = {
    "organization": m.Organization,
    "url": m.Url,
    "program": m.Program,
    "service": m.Service,
    "service_at_location": m.ServiceAtLocation,
    "location": m.Location,
    "phone": m.Phone,
    "contact": m.Contact,
    "address": m.Address,
    "schedule": m.Schedule,
    "funding": m.Funding,
    "service_area": m.ServiceArea,
    "required_document": m.RequiredDocument,
    "language": m.Language,
    "accessibility": m.Accessibility,
    "cost_option": m.CostOption,
    "organization_identifier": m.OrganizationIdentifier,
    "taxonomy": m.Taxonomy,
    "taxonomy_term": m.TaxonomyTerm,
    "attribute": m.Attribute,
    "unit": m.Unit,
    "service_capacity": m.ServiceCapacity,
    "meta_table_description": m.MetaTableDescription,
    "metadata": m.Metadata,
}


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        for table in tables():
            counts = [self.created.get(table, 0), self.updated.get(table, 0)]
            counts.append(self.unchanged.get(table, 0))
            if any(counts):
                parts.append(f"{table}: {counts[0]} new, {counts[1]} updated, {counts[2]} same")
        return "; ".join(parts) or "nothing to import"


def _model_values(table: str, row: Row) -> dict[str, Any]:
    """Model attribute values; an absent field is NULL where the column allows it, else ""."""
    values: dict[str, Any] = {}
    nullable = {f.attname for f in MODELS[table]._meta.concrete_fields if f.null}
    spec = tables()[table]
    for name in spec.field_names:
        if name == "id":
            continue
        value = row.get(name)
        attname = model_field(table, name)
        if value is None:
            values[attname] = None if attname in nullable else ""
        elif name in spec.numbers:
            values[attname] = float(value)
        else:
            values[attname] = str(value)
    return values


def hsds_write(*, data: DataSet, actor: Actor, note: str = "import-hsds") -> ImportResult:
    """Create or update every record by its HSDS id, all or nothing, with audit entries."""
    result = ImportResult(warnings=list(data.warnings))
    with transaction.atomic():
        for table in tables():
            rows = data.tables.get(table, {})
            if not rows:
                continue
            model = MODELS[table]
            existing = {
                obj.hsds_id: obj  # type: ignore[attr-defined]
                for obj in model._default_manager.filter(hsds_id__in=list(rows))
            }
            for record_id, row in rows.items():
                values = _model_values(table, row)
                obj = existing.get(record_id)
                if obj is None:
                    obj = model(hsds_id=record_id, **values)
                    obj.save()
                    audit_write(
                        actor=actor, action=AuditAction.CREATE, instance=obj, before=None, note=note
                    )
                    result.created[table] = result.created.get(table, 0) + 1
                    continue
                before = snapshot(obj)
                for name, value in values.items():
                    setattr(obj, name, value)
                if snapshot(obj) == before:
                    result.unchanged[table] = result.unchanged.get(table, 0) + 1
                    continue
                obj.save()
                audit_write(
                    actor=actor, action=AuditAction.UPDATE, instance=obj, before=before, note=note
                )
                result.updated[table] = result.updated.get(table, 0) + 1
    return result


# --- Export -----------------------------------------------------------------------------------


def _hsds_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def table_rows(table: str, version: str = "3.1") -> list[Row]:
    """The table's records as HSDS objects (absent fields left out), ordered by id."""
    rows = []
    names = [(name, model_field(table, name)) for name in tables()[table].fields_for(version)]
    for values in (
        MODELS[table]
        ._default_manager.order_by("hsds_id")
        .values(*[attname for _, attname in names])
    ):
        row: Row = {}
        for name, attname in names:
            value = values[attname]
            if value is None or value == "":
                continue
            row[name] = _hsds_value(value)
        rows.append(row)
    return rows


def _datapackage(fmt: str, version: str) -> dict[str, Any]:
    """The descriptor: each table's fields typed as the official datapackage types them."""
    resources = []
    for name, table in tables(version).items():
        fields = []
        for field_name in table.fields_for(version):
            entry: dict[str, Any] = {"name": field_name, "type": table.types[field_name]}
            if field_name in table.formats and table.types[field_name] == "string":
                entry["format"] = table.formats[field_name]
            constraints: dict[str, Any] = {}
            if field_name in table.tabular_required:
                constraints["required"] = True
            if field_name in table.enums:
                constraints["enum"] = list(table.enums[field_name])
            if field_name == "id":
                constraints["unique"] = True
            if constraints:
                entry["constraints"] = constraints
            fields.append(entry)
        resources.append(
            {
                "name": name,
                "path": _file_name(name, fmt),
                "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/json",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": "id"},
            }
        )
    return {
        "name": "safeops-resource-directory",
        "title": f"safeops community resource directory (Open Referral HSDS {version})",
        "profile": "tabular-data-package",
        "version": version,
        "resources": resources,
    }


def _file_name(table: str, fmt: str) -> str:
    """CSV: the specification's file name. JSON: `<table>.json` (services.json is nested)."""
    return tables()[table].path if fmt == "csv" else f"{table}.json"


def _csv_text(table: str, rows: list[Row], version: str) -> str:
    out = io.StringIO()
    names = list(tables()[table].fields_for(version))
    writer = interchange_dict_writer(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in names})
    return out.getvalue()


Children = dict[tuple[str, str, str], list[Row]]


def children_index(index: dict[str, dict[str, Row]]) -> Children:
    """(table, link field, id) -> the rows of `table` whose link field holds `id`."""
    children: Children = {}
    for table, rows in index.items():
        for row in rows.values():
            for name, value in row.items():
                if name.endswith("_id") or name in ("link_id", "resource_id"):
                    children.setdefault((table, name, value), []).append(row)
    return children


def nested_service(
    service_id: str,
    index: dict[str, dict[str, Row]],
    children: Children | None = None,
    version: str = "3.1",
) -> Row:
    """A service in the HSDS nested JSON representation (as the /services/{id} endpoint)."""
    links = children if children is not None else children_index(index)
    return _nest("service", index["service"][service_id], index, links, set(), version)


def _nest(
    table: str,
    row: Row,
    index: dict[str, dict[str, Row]],
    children: dict[tuple[str, str, str], list[Row]],
    omit: set[str],
    version: str,
) -> Row:
    spec = tables()[table]
    obj: Row = {name: value for name, value in row.items() if name not in omit}
    for nest in spec.nests_for(version):
        if nest.many:
            items = children.get((nest.table, nest.link, row["id"]), [])
            if items:
                obj[nest.key] = [
                    _nest(nest.table, item, index, children, {nest.link}, version) for item in items
                ]
        elif row.get(nest.link) in index.get(nest.table, {}):
            target = index[nest.table][row[nest.link]]
            obj.pop(nest.link, None)
            obj[nest.key] = _nest(nest.table, target, index, children, set(), version)
    if spec.attributes:
        # By link_id alone: link_entity is kept as given (the official example has free text).
        links = children.get(("attribute", "link_id", row["id"]), [])
        if links:
            obj["attributes"] = [
                _nest("attribute", a, index, children, {"link_id"}, version) for a in links
            ]
    if spec.metadata:
        entries = children.get(("metadata", "resource_id", row["id"]), [])
        if entries:
            obj["metadata"] = [
                _nest("metadata", e, index, children, {"resource_id"}, version) for e in entries
            ]
    return obj


def hsds_export(*, fmt: str, out: Path, actor: Actor, version: str = "3.1") -> dict[str, int]:
    """Write the directory to `out` as an HSDS `version` datapackage; return row counts.

    CSV files take the specification's names (`organizations.csv`…); the JSON form writes
    `<table>.json` and `services.json`, every service in the nested representation. 3.0 leaves
    out what 3.1 added (the url, unit and service_capacity tables, attribute labels…).
    """
    if fmt not in ("csv", "json"):
        raise ValueError("format must be csv or json")
    out.mkdir(parents=True, exist_ok=True)
    index: dict[str, dict[str, Row]] = {}
    counts: dict[str, int] = {}
    for table in tables(version):
        rows = table_rows(table, version)
        index[table] = {row["id"]: row for row in rows}
        counts[table] = len(rows)
        file = out / _file_name(table, fmt)
        if fmt == "csv":
            file.write_text(_csv_text(table, rows, version), encoding="utf-8")
        else:
            file.write_text(_json_text(rows), encoding="utf-8")
        note = f"export-hsds {fmt} {version}"
        audit_export(actor=actor, model=MODELS[table], count=len(rows), note=note)
    (out / "datapackage.json").write_text(_json_text(_datapackage(fmt, version)), encoding="utf-8")
    if fmt == "json":
        children = children_index(index)
        services = [nested_service(sid, index, children, version) for sid in index["service"]]
        (out / "services.json").write_text(_json_text(services), encoding="utf-8")
    return counts


def _json_text(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
