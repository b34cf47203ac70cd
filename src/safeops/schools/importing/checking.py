"""School import: every row checked alone, against the file and the district's schools."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from planning.io.rules import (
    MESSAGE_NULL_ISLAND,
    MESSAGE_OUTLIER,
    OUTLIER_KM,
    is_null_island,
    normalise_level,
    outliers,
)
from safeops.core.importing import (
    ImportIssue,
)
from safeops.schools.choices import GRADE_ORDER, HIGH_SCHOOL_LEVELS, SchoolLevel
from safeops.schools.importing.rows import (
    _ENROLLMENT,
    _FALSE,
    _LINK_FIELDS,
    _TEXT_LIMITS,
    _TRUE,
    ALLOWED_GRADES,
    ALLOWED_LEVELS,
    ERROR_ACTIVE,
    ERROR_DUPLICATE,
    ERROR_ENROLLMENT,
    ERROR_GRADE_ORDER,
    ERROR_GRADE_UNKNOWN,
    ERROR_HIGH_SCHOOL_LEVEL,
    ERROR_HIGH_SCHOOL_UNKNOWN,
    ERROR_LEVEL_STILL_LINKED,
    ERROR_LEVEL_UNKNOWN,
    ERROR_NAME_TAKEN,
    ERROR_NOT_A_NUMBER,
    ERROR_OUT_OF_RANGE,
    ERROR_REQUIRED,
    ERROR_SAME_TARGET,
    ERROR_TOO_LONG,
    REQUIRED_FIELDS,
    RawRow,
    ScalarValue,
    SchoolRow,
)
from safeops.schools.models import District, School

# --- validation ----------------------------------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _split_names(text: str) -> tuple[str, ...]:
    names: list[str] = []
    for part in text.split(";"):
        name = part.strip()
        if name and _name_key(name) not in {_name_key(seen) for seen in names}:
            names.append(name)
    return tuple(names)


def _normalise_grade(text: str) -> str:
    grade = text.strip().upper()
    return str(int(grade)) if grade.isdigit() else grade


class _RowChecker:
    """Validates one raw row's own values (nothing that depends on other rows)."""

    def __init__(self, raw: RawRow) -> None:
        self.raw = raw
        self.issues: list[ImportIssue] = list(raw.issues)
        self.values: dict[str, ScalarValue] = {}

    def fail(self, field_name: str, message: str) -> None:
        self.issues.append(ImportIssue(self.raw.line, field_name, message, unit=self.raw.unit))

    def text(self, field_name: str) -> str | None:
        """The stripped text of a field, or None when the source does not have it."""
        if field_name in self.raw.reported:
            return None
        value = self.raw.values.get(field_name)
        if value is None:
            if field_name in REQUIRED_FIELDS:
                self.fail(field_name, ERROR_REQUIRED)
            return None
        value = value.strip()
        if not value and field_name in REQUIRED_FIELDS:
            self.fail(field_name, ERROR_REQUIRED)
            return None
        return value

    def check(self) -> SchoolRow | None:
        for field_name, limit in _TEXT_LIMITS.items():
            value = self.text(field_name)
            if value is None:
                continue
            if len(value) > limit:
                self.fail(field_name, ERROR_TOO_LONG.format(value=value, limit=limit))
            else:
                self.values[field_name] = value
        self.check_level()
        self.check_coordinate("latitude", 90)
        self.check_coordinate("longitude", 180)
        self.check_place()
        self.check_enrollment()
        self.check_grades()
        self.check_active()
        feeders = self.text("feeder_high_school")
        resides = self.text("resides_high_school")
        if self.issues:
            return None
        return SchoolRow(
            line=self.raw.line,
            unit=self.raw.unit,
            values=self.values,
            feeders=None if feeders is None else _split_names(feeders),
            resides=resides,
        )

    def check_level(self) -> None:
        value = self.text("level")
        if value is None:
            return
        level = normalise_level(value)
        if level in SchoolLevel.values:
            self.values["level"] = level
        else:
            self.fail("level", ERROR_LEVEL_UNKNOWN.format(value=value, allowed=ALLOWED_LEVELS))

    def check_coordinate(self, field_name: str, limit: int) -> None:
        value = self.text(field_name)
        if value is None:
            return
        try:
            number = float(value)
        except ValueError:
            self.fail(field_name, ERROR_NOT_A_NUMBER.format(value=value))
            return
        if not math.isfinite(number):
            self.fail(field_name, ERROR_NOT_A_NUMBER.format(value=value))
        elif not -limit <= number <= limit:
            self.fail(field_name, ERROR_OUT_OF_RANGE.format(value=value, low=-limit, high=limit))
        else:
            self.values[field_name] = number

    def check_place(self) -> None:
        """0, 0 is an unfilled coordinate (the planner's rule too: planning.io.rules)."""
        lat, lon = self.values.get("latitude"), self.values.get("longitude")
        if isinstance(lat, float) and isinstance(lon, float) and is_null_island(lat, lon):
            self.fail("latitude", MESSAGE_NULL_ISLAND)

    def check_enrollment(self) -> None:
        value = self.text("enrollment")
        if value is None:
            return
        if not value:
            self.values["enrollment"] = None
        elif _ENROLLMENT.fullmatch(value):
            self.values["enrollment"] = int(value.replace(",", ""))
        else:
            self.fail("enrollment", ERROR_ENROLLMENT.format(value=value))

    def check_grades(self) -> None:
        grades: dict[str, str] = {}
        for field_name in ("grade_low", "grade_high"):
            value = self.text(field_name)
            if value is None:
                continue
            grade = _normalise_grade(value)
            if grade and grade not in GRADE_ORDER:
                message = ERROR_GRADE_UNKNOWN.format(value=value, allowed=ALLOWED_GRADES)
                self.fail(field_name, message)
                continue
            self.values[field_name] = grade
            grades[field_name] = grade
        low, high = grades.get("grade_low"), grades.get("grade_high")
        if low and high and GRADE_ORDER[low] > GRADE_ORDER[high]:
            self.fail("grade_high", ERROR_GRADE_ORDER.format(low=low, high=high))

    def check_active(self) -> None:
        value = self.text("active")
        if value is None:
            return
        flag = value.lower()
        if not flag or flag in _TRUE:
            self.values["active"] = True
        elif flag in _FALSE:
            self.values["active"] = False
        else:
            self.fail("active", ERROR_ACTIVE.format(value=value))


@dataclass
class _Existing:
    """The district's schools, indexed for matching rows and resolving high-school names."""

    by_code: dict[str, School] = field(default_factory=dict)
    by_name: dict[str, School] = field(default_factory=dict)
    by_key: dict[str, list[School]] = field(default_factory=dict)

    @classmethod
    def load(cls, district: District | None) -> _Existing:
        existing = cls()
        if district is None:
            return existing
        for school in School.objects.filter(district=district).order_by("pk"):
            if school.code:
                existing.by_code[school.code] = school
            existing.by_name[school.name] = school
            existing.by_key.setdefault(_name_key(school.name), []).append(school)
        return existing

    def find_name(self, name: str) -> School | None:
        if name in self.by_name:
            return self.by_name[name]
        matches = self.by_key.get(_name_key(name), [])
        return matches[0] if len(matches) == 1 else None

    def match(self, row: SchoolRow) -> School | None:
        """The school a row updates: same code if the row has one, else the same name."""
        code = row.values.get("code")
        if isinstance(code, str) and code and code in self.by_code:
            return self.by_code[code]
        return self.find_name(row.name)


def validate_rows(
    *, raw_rows: Sequence[RawRow], district: District | None, district_name: str
) -> tuple[list[SchoolRow], list[ImportIssue]]:
    """Validate every row, alone and against the file and the district's schools."""
    issues: list[ImportIssue] = []
    rows: list[SchoolRow] = []
    # Every row's name (even an invalid row's) so that a feeder naming it is not "unknown".
    file_names: dict[str, RawRow] = {}
    seen_codes: dict[str, RawRow] = {}
    for raw in raw_rows:
        checker = _RowChecker(raw)
        row = checker.check()
        name = raw.values.get("name", "").strip()
        if name:
            first = file_names.setdefault(_name_key(name), raw)
            if first is not raw:
                where = f"{first.unit} {first.line}"
                checker.fail("name", ERROR_DUPLICATE.format(value=name, where=where))
                row = None
        code = raw.values.get("code", "").strip()
        if code:
            first = seen_codes.setdefault(code, raw)
            if first is not raw:
                where = f"{first.unit} {first.line}"
                checker.fail("code", ERROR_DUPLICATE.format(value=code, where=where))
                row = None
        issues.extend(checker.issues)
        if row is not None:
            rows.append(row)

    existing = _Existing.load(district)
    valid_by_key = {_name_key(row.name): row for row in rows}
    targets: dict[int, SchoolRow] = {}
    target_schools: dict[int, School] = {}
    for row in rows:
        target = existing.match(row)
        if target is None:
            continue
        first_row = targets.setdefault(target.pk, row)
        target_schools[target.pk] = target
        if first_row is not row:
            message = ERROR_SAME_TARGET.format(where=first_row.where, name=target.name)
            issues.append(ImportIssue(row.line, "name", message, unit=row.unit))
            continue
        other = existing.find_name(row.name)
        if other is not None and other.pk != target.pk:
            message = ERROR_NAME_TAKEN.format(value=row.name, district=district_name)
            issues.append(ImportIssue(row.line, "name", message, unit=row.unit))

    def level_of(name: str) -> str | None:
        """The level the named school will have, "" if unknown yet, None if it is not found."""
        key = _name_key(name)
        if key in valid_by_key:
            return str(valid_by_key[key].values["level"])
        if key in file_names:
            return ""  # the row naming it is invalid and already reported
        school = existing.find_name(name)
        if school is None:
            return None
        if school.pk in targets:
            return str(targets[school.pk].values["level"])
        return school.level

    for row in rows:
        links = [("feeder_high_school", name) for name in row.feeders or ()]
        if row.resides:
            links.append(("resides_high_school", row.resides))
        for field_name, name in links:
            level = level_of(name)
            if level is None:
                message = ERROR_HIGH_SCHOOL_UNKNOWN.format(value=name, district=district_name)
            elif level and level not in HIGH_SCHOOL_LEVELS:
                message = ERROR_HIGH_SCHOOL_LEVEL.format(value=name, level=level)
            else:
                continue
            issues.append(ImportIssue(row.line, field_name, message, unit=row.unit))

    places = [(float(row.values["latitude"]), float(row.values["longitude"])) for row in rows]  # type: ignore[arg-type]
    for index, km in outliers(places):
        row = rows[index]
        message = MESSAGE_OUTLIER.format(name=row.name, km=km, limit=OUTLIER_KM)
        issues.append(ImportIssue(row.line, "latitude", message, unit=row.unit))

    issues.extend(_still_linked_issues(targets=targets, schools=target_schools))
    issues.sort(key=lambda issue: -1 if issue.line is None else issue.line)
    return rows, issues


def _still_linked_issues(
    *, targets: Mapping[int, SchoolRow], schools: Mapping[int, School]
) -> list[ImportIssue]:
    """A high school the file demotes must not stay the high school of schools it leaves alone."""
    issues: list[ImportIssue] = []
    relinked = {
        "feeder_high_school": {pk for pk, row in targets.items() if row.feeders is not None},
        "resides_high_school": {pk for pk, row in targets.items() if row.resides is not None},
    }
    for pk, row in targets.items():
        school = schools[pk]
        if not school.is_high_school or row.values["level"] in HIGH_SCHOOL_LEVELS:
            continue
        linked: set[int] = set()
        for field_name in _LINK_FIELDS:
            linked |= set(
                School.objects.filter(**{field_name: school})
                .exclude(pk__in=relinked[field_name] | {pk})
                .values_list("pk", flat=True)
            )
        linked |= set(
            school.split_feeder_schools.exclude(
                pk__in=relinked["feeder_high_school"] | {pk}
            ).values_list("pk", flat=True)
        )
        if linked:
            message = ERROR_LEVEL_STILL_LINKED.format(
                value=row.values["level"], name=school.name, count=len(linked)
            )
            issues.append(ImportIssue(row.line, "level", message, unit=row.unit))
    return issues
