"""School import: upsert the rows and link their high schools, with audit entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeops.core.audit import Actor, Snapshot, audit_write, snapshot
from safeops.core.importing import (
    ImportIssue,
)
from safeops.core.models import AuditAction
from safeops.schools.importing.checking import _Existing, _name_key
from safeops.schools.importing.rows import ERROR_WRITE_FAILED, ScalarValue, SchoolRow
from safeops.schools.models import District, School

# --- writing -------------------------------------------------------------------------------


def _assign(school: School, values: Mapping[str, ScalarValue]) -> list[str]:
    changed: list[str] = []
    for field_name, value in values.items():
        if getattr(school, field_name) != value:
            setattr(school, field_name, value)
            changed.append(field_name)
    return changed


def _m2m_names(school: School) -> list[str]:
    return sorted(other.name for other in school.other_feeder_high_schools.all())


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _write_issue(
    row: SchoolRow, field_name: str, error: ValidationError | IntegrityError
) -> ImportIssue:
    reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return ImportIssue(row.line, field_name, ERROR_WRITE_FAILED.format(reason=reason), row.unit)


@dataclass
class _Upserted:
    """Pass 1's result: each row's school (by name key) and its snapshot before (None: new)."""

    schools: dict[str, School] = field(default_factory=dict)
    befores: dict[int, Snapshot | None] = field(default_factory=dict)
    issues: list[ImportIssue] = field(default_factory=list)


def _upsert_fields(
    *, rows: Sequence[SchoolRow], district: District, existing: _Existing
) -> _Upserted:
    """Pass 1: create or update each school's own fields, saving only the changed ones."""
    result = _Upserted()
    for row in rows:
        school = existing.match(row)
        before: Snapshot | None = None
        if school is None:
            school = School(district=district)
            _assign(school, row.values)
            changed = ["*"]
        else:
            before = snapshot(school)
            changed = _assign(school, row.values)
        if changed:
            try:
                school.clean_fields()
                school.validate_constraints()
                with transaction.atomic():
                    if before is None:
                        school.save()
                    else:
                        school.save(update_fields=[*changed, "updated_at"])
            except (ValidationError, IntegrityError) as error:
                result.issues.append(_write_issue(row, "row", error))
                continue
        result.schools[_name_key(row.name)] = school
        result.befores[school.pk] = before
    return result


def _link_and_audit(
    *, rows: Sequence[SchoolRow], upserted: _Upserted, existing: _Existing, actor: Actor, note: str
) -> tuple[_Counts, list[ImportIssue]]:
    """Pass 2: set the feeder and resides links (they may name schools later in the file),
    then record an audit entry for each school created or changed."""

    def resolve(name: str) -> School | None:
        return upserted.schools.get(_name_key(name)) or existing.find_name(name)

    counts = _Counts()
    issues: list[ImportIssue] = []
    for row in rows:
        school = upserted.schools[_name_key(row.name)]
        changed: list[str] = []
        extra: dict[str, list[Any]] = {}
        if row.feeders is not None:
            feeders = [resolve(name) for name in row.feeders]
            first = feeders[0] if feeders else None
            if school.feeder_high_school_id != (first.pk if first else None):
                school.feeder_high_school = first
                changed.append("feeder_high_school")
            others = {other.pk: other for other in feeders[1:] if other is not None}
            current = set(school.other_feeder_high_schools.values_list("pk", flat=True))
            if current != set(others):
                old_names = _m2m_names(school)
                school.other_feeder_high_schools.set(list(others.values()))
                new_names = sorted(other.name for other in others.values())
                extra["other_feeder_high_schools"] = [old_names, new_names]
        if row.resides is not None:
            resides = resolve(row.resides) if row.resides else None
            if school.resides_high_school_id != (resides.pk if resides else None):
                school.resides_high_school = resides
                changed.append("resides_high_school")
        if changed:
            try:
                school.clean()
                school.save(update_fields=[*changed, "updated_at"])
            except ValidationError as error:
                issues.append(_write_issue(row, changed[0], error))
                continue
        before = upserted.befores[school.pk]
        if before is None:
            counts.created += 1
            audit_write(
                actor=actor, action=AuditAction.CREATE, instance=school, before=None, note=note
            )
        elif audit_write(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=school,
            before=before,
            note=note,
            extra_changes=extra,
        ):
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts, issues


def _write(
    *, rows: Sequence[SchoolRow], district_name: str, actor: Actor, note: str
) -> tuple[_Counts, list[ImportIssue]]:
    """Upsert the rows and link their high schools. Runs inside the caller's transaction."""
    district, _ = District.objects.get_or_create(name=district_name)
    existing = _Existing.load(district)
    upserted = _upsert_fields(rows=rows, district=district, existing=existing)
    if upserted.issues:
        return _Counts(), upserted.issues
    return _link_and_audit(rows=rows, upserted=upserted, existing=existing, actor=actor, note=note)
