"""Read an HSDS 3.0 or 3.1 data set into validated table rows, or say exactly what is wrong.

Sources: a datapackage folder (`datapackage.json` naming one CSV or JSON file per table), a
folder of `<table>.csv` files, or a JSON file in the nested representation (one service
object, a list or `{"contents": [...]}` page of services, or an object of top-level
collections such as `{"organizations": [...], "services": [...]}`), or a tabular JSON object
(`{"organization": [...], "service": [...]}`).

Every error names where it is: `services[3].name: field required` (nested JSON),
`service.csv[line 5].status: must be one of ...` (CSV), `service[2].id: ...` (tabular JSON).
A record that occurs more than once (nested JSON repeats a phone under its service, location
and contact) is merged by id; two occurrences that disagree on a field are an error.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeops.resources.hsds.schemas import Table, error_message, table_for_file, tables
from safeops.resources.hsds.spec import TOP_LEVEL

Row = dict[str, Any]
MAX_ERRORS = 200
# One message per field: a wrong type first, then a value outside the list, then the format.
PRIORITY = {"type": 0, "enum": 1, "format": 2}


class HsdsError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class DataSet:
    """Validated rows per table, merged by id, in first-seen order."""

    tables: dict[str, dict[str, Row]] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{path}: {message}")

    def add(self, table: Table, row: Row, path: str, *, tabular: bool) -> None:
        """Validate one record against its official schema and merge it into the data set."""
        clean: Row = {}
        for name, value in row.items():
            if not table.has_field(name):
                self.warnings.append(f"{path}.{name}: not an HSDS {table.name} field, ignored")
            elif value is not None and value != "":
                clean[name] = value
        problems = _problems(table, clean)
        for name, message in problems.items():
            self.fail(f"{path}.{name}", message)
            del clean[name]
        needed = table.tabular_required if tabular else table.required
        missing = [n for n in table.field_names if n in needed and n not in clean]
        for name in missing:
            if name not in problems:
                self.fail(f"{path}.{name}", "field required")
        if problems or missing or "id" not in clean:
            return
        record_id = str(clean["id"])
        rows = self.tables.setdefault(table.name, {})
        if record_id not in rows:
            rows[record_id] = clean
            self.where[(table.name, record_id)] = path
            return
        merged = rows[record_id]
        for name, value in clean.items():
            if name in merged and merged[name] != value:
                first = self.where[(table.name, record_id)]
                self.fail(f"{path}.{name}", f"differs from the same {table.name} at {first}")
            else:
                merged[name] = value


def _problems(table: Table, record: Row) -> dict[str, str]:
    """Field name -> what is wrong with it, by the table's JSON Schema."""
    found: dict[str, tuple[int, str]] = {}
    for error in table.validator.iter_errors(record):
        if not error.path:
            continue
        name = str(error.path[0])
        rank = PRIORITY.get(str(error.validator), 3)
        if name not in found or rank < found[name][0]:
            found[name] = (rank, error_message(error))
    return {name: found[name][1] for name in record if name in found}


# --- Nested JSON ------------------------------------------------------------------------------


def _flatten(data: DataSet, table: Table, obj: Any, path: str, implied: Row) -> str | None:
    """Add `obj` (a nested HSDS object) and its children; return its id."""
    if not isinstance(obj, dict):
        data.fail(path, f"must be an object ({table.name})")
        return None
    known = tables()
    row: Row = {}
    children: list[tuple[str, Any]] = []
    nests = {nest.key: nest for nest in table.nests}
    for key, value in obj.items():
        if (
            key in nests
            or (key == "attributes" and table.attributes)
            or (key == "metadata" and table.metadata)
        ):
            children.append((key, value))
        else:
            row[key] = value
    for name, value in implied.items():
        row.setdefault(name, value)
    record_id = row.get("id") if isinstance(row.get("id"), str) else None
    for key, value in children:
        child_path = f"{path}.{key}"
        if key in nests and not nests[key].many:
            nest = nests[key]
            if value is None:
                continue
            child_id = _flatten(data, known[nest.table], value, child_path, {})
            if child_id is not None:
                row.setdefault(nest.link, child_id)
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            data.fail(child_path, "must be an array")
            continue
        if key == "attributes":
            child_table = known["attribute"]
            link = {"link_id": record_id, "link_entity": table.name}
        elif key == "metadata":
            child_table = known["metadata"]
            link = {"resource_id": record_id, "resource_type": table.name}
        else:
            child_table, link = known[nests[key].table], {nests[key].link: record_id}
        link = {name: value for name, value in link.items() if value is not None}
        for index, item in enumerate(value):
            _flatten(data, child_table, item, f"{child_path}[{index}]", link)
    data.add(table, row, path, tabular=False)
    return record_id


def _guess_table(obj: dict[str, Any]) -> str | None:
    if "status" in obj or "service_at_locations" in obj:
        return "service"
    if "location" in obj and "service" not in obj:
        return "service_at_location"
    if "location_type" in obj:
        return "location"
    if {"website", "locations", "programs", "organization_identifiers"} & set(obj):
        return "organization"
    return None


def read_json_document(document: Any, data: DataSet) -> None:
    known = tables()
    if isinstance(document, dict) and document and set(document) <= set(known):
        for table_name, rows in document.items():  # tabular JSON
            _read_tabular_rows(data, known[table_name], rows, table_name)
        return
    if isinstance(document, dict) and "contents" in document:
        document = document["contents"]
    if isinstance(document, list):
        for index, item in enumerate(document):
            _flatten(data, known["service"], item, f"services[{index}]", {})
        return
    if not isinstance(document, dict):
        data.fail("$", "must be an HSDS object or an array of services")
        return
    # A bundle of top-level collections has no id of its own (a single record does).
    collections = {key: value for key, value in document.items() if key in TOP_LEVEL}
    if collections and "id" not in document:
        for key, items in collections.items():
            if not isinstance(items, list):
                data.fail(key, "must be an array")
                continue
            for index, item in enumerate(items):
                _flatten(data, known[TOP_LEVEL[key]], item, f"{key}[{index}]", {})
        return
    table = _guess_table(document)
    if table is None:
        data.fail("$", "not an HSDS service, organization, location or service_at_location")
        return
    _flatten(data, known[table], document, table, {})


# --- Tabular (datapackage / CSV) --------------------------------------------------------------


def _read_tabular_rows(data: DataSet, table: Table, rows: Any, label: str) -> None:
    if not isinstance(rows, list):
        data.fail(label, "must be an array of rows")
        return
    for index, row in enumerate(rows):
        path = f"{label}[{index}]"
        if not isinstance(row, dict):
            data.fail(path, "must be an object")
            continue
        data.add(table, row, path, tabular=True)


def read_csv_text(data: DataSet, table: Table, text: str, label: str) -> None:
    reader = csv.DictReader(io.StringIO(text))
    numbers = table.numbers  # typed by the datapackage's table schema
    next_line = 2  # a row's first line (a quoted cell may span lines)
    for row in reader:
        line, next_line = next_line, reader.line_num + 1
        path = f"{label}[line {line}]"
        values: Row = {}
        for name, raw in row.items():
            if name is None:
                data.fail(path, "more cells than columns")
                continue
            cell = (raw or "").strip() if name in numbers else (raw or "")
            if cell == "":
                continue
            if name in numbers:
                try:
                    number = float(cell)
                except ValueError:
                    data.fail(f"{path}.{name}", f"must be a number, not {cell!r}")
                    continue
                values[name] = int(number) if number.is_integer() and "." not in cell else number
            else:
                values[name] = cell
        data.add(table, values, path, tabular=True)


def _read_table_file(data: DataSet, table: Table, path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as error:
            data.fail(path.name, f"not JSON ({error.msg} at line {error.lineno})")
            return
        _read_tabular_rows(data, table, rows, table.name)
    else:
        read_csv_text(data, table, text, path.name)


def read_folder(folder: Path, data: DataSet) -> None:
    package = folder / "datapackage.json"
    if package.exists():
        try:
            descriptor = json.loads(package.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            data.fail("datapackage.json", f"not JSON ({error.msg} at line {error.lineno})")
            return
        resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
        if not isinstance(resources, list):
            data.fail("datapackage.json.resources", "field required")
            return
        for index, resource in enumerate(resources):
            where = f"datapackage.json.resources[{index}]"
            name = resource.get("name", "") if isinstance(resource, dict) else ""
            table = tables().get(name) or table_for_file(str(resource.get("path", "")))
            if table is None:
                data.warnings.append(f"{where}: {name!r} is not an HSDS table, ignored")
                continue
            if "data" in resource:
                _read_tabular_rows(data, table, resource["data"], table.name)
                continue
            file = folder / str(resource.get("path", ""))
            if not resource.get("path") or not file.is_file():
                data.fail(f"{where}.path", f"no file {resource.get('path')!r}")
                continue
            _read_table_file(data, table, file)
        return
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".json"))
    if not files:
        data.fail(str(folder), "no datapackage.json and no CSV or JSON table files")
    for file in files:
        table = table_for_file(file.name)
        if table is None:
            data.warnings.append(f"{file.name}: not an HSDS table, ignored")
            continue
        _read_table_file(data, table, file)


def read_path(path: Path) -> DataSet:
    """Read and validate `path`; raise HsdsError with every error found."""
    data = DataSet()
    if path.is_dir():
        read_folder(path, data)
    elif path.is_file():
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as error:
            raise HsdsError(
                [f"{path.name}: not JSON ({error.msg} at line {error.lineno})"]
            ) from None
        read_json_document(document, data)
    else:
        raise HsdsError([f"{path}: no such file or folder"])
    if data.errors:
        raise HsdsError(data.errors)
    return data
