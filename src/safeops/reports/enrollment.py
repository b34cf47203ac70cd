"""Enrollment import (the denominators of rates and relative rate indexes), through the one
import pipeline (`core.importing`): read, validate the whole file, write in one transaction.

Two formats, one row per school, group and count:

- **Generic** (any district): columns `school_code` (the school's state code, `School.code`),
  `kind` (all, race_ethnicity, sex, disability, english_learner), `group` (dispatch's codes:
  `all` for kind all; e.g. black_african_american, female, idea, yes) and `count`.
- **Kentucky School Report Card** (KYRC24 membership, `KYRC24_OVW_Student_Membership`):
  columns `School Code`, `Demographic`, `All Grades`: All Students, Female, Male and the race
  groups; the economically disadvantaged file (`TOTAL MEMBERSHIP` by `Demographic`) gives
  Students with Disabilities (IEP) and English Learner. `*` (suppressed by the state) and
  rows of schools not in the district are skipped and counted; the district total row
  (code ending 000) is skipped.

An import replaces the school year's counts it gives (school, kind, group).
"""

from __future__ import annotations

from dataclasses import dataclass

from safeops.core.importing import (
    ImportIssue,
    Outcome,
    SourceRow,
    each_row,
    read_csv,
    run_import,
)
from safeops.reports.models import Enrollment, GroupKind
from safeops.schools.models import School

KYRC_GROUPS = {
    "All Students": (GroupKind.ALL.value, "all"),
    "Female": (GroupKind.SEX.value, "female"),
    "Male": (GroupKind.SEX.value, "male"),
    "African American": (GroupKind.RACE_ETHNICITY.value, "black_african_american"),
    "American Indian or Alaska Native": (
        GroupKind.RACE_ETHNICITY.value,
        "american_indian_alaska_native",
    ),
    "Asian": (GroupKind.RACE_ETHNICITY.value, "asian"),
    "Hispanic or Latino": (GroupKind.RACE_ETHNICITY.value, "hispanic_latino"),
    "Native Hawaiian or Pacific Islander": (
        GroupKind.RACE_ETHNICITY.value,
        "native_hawaiian_pacific_islander",
    ),
    "Two or More Races": (GroupKind.RACE_ETHNICITY.value, "two_or_more"),
    "White (non-Hispanic)": (GroupKind.RACE_ETHNICITY.value, "white"),
    "Students with Disabilities (IEP)": (GroupKind.DISABILITY.value, "idea"),
    "English Learner": (GroupKind.ENGLISH_LEARNER.value, "yes"),
}
GENERIC_COLUMNS = {"school_code": "code", "kind": "kind", "group": "group", "count": "count"}
KYRC_COLUMNS = {
    "school_code": "code",
    "demographic": "demographic",
    "all_grades": "count",
    "total_membership": "count",
}


@dataclass(frozen=True)
class EnrollmentRow:
    school_id: int
    kind: str
    group: str
    count: int


@dataclass(frozen=True)
class EnrollmentResult:
    written: int
    skipped: int  # suppressed cells, other districts' schools, groups not used


def _count(text: str) -> int | None:
    try:
        value = int(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def enrollment_import(
    *, district_id: int, school_year: str, text: str, dry_run: bool = False
) -> Outcome[EnrollmentResult]:
    """Import an enrollment file (generic or KYRC24, told apart by its header)."""
    header = text.split("\n", 1)[0].lower()
    kyrc = "demographic" in header
    # The economically disadvantaged file gives only what the membership file lacks.
    only = {GroupKind.DISABILITY.value, GroupKind.ENGLISH_LEARNER.value}
    if "total membership" not in header:
        only = set(GroupKind.values)
    source = read_csv(
        text,
        columns=KYRC_COLUMNS if kyrc else GENERIC_COLUMNS,
        required=["code", "demographic", "count"] if kyrc else ["code", "kind", "group", "count"],
    )
    schools = dict(
        School.objects.filter(district_id=district_id).exclude(code="").values_list("code", "pk")
    )
    skipped = 0

    def check(row: SourceRow, issues: list[ImportIssue]) -> EnrollmentRow | None:
        nonlocal skipped
        values = row.values
        code = values["code"].strip()
        if kyrc:
            group = KYRC_GROUPS.get(values["demographic"].strip())
            count = _count(values["count"])
            if group is None or group[0] not in only or count is None or code not in schools:
                skipped += 1
                return None
            kind, name = group
        else:
            kind, name = values["kind"].strip(), values["group"].strip()
            count = _count(values["count"])
            if kind not in GroupKind.values:
                issues.append(ImportIssue(row.line, "kind", f"unknown kind {kind!r}"))
                return None
            if code not in schools:
                issues.append(ImportIssue(row.line, "school_code", f"no school {code!r}"))
                return None
            if count is None:
                issues.append(ImportIssue(row.line, "count", "not a whole number"))
                return None
        return EnrollmentRow(schools[code], kind, name, count)

    def write(rows: list[EnrollmentRow]) -> EnrollmentResult:
        merged = {(r.school_id, r.kind, r.group): r.count for r in rows}
        for kind, group in {(k, g) for _, k, g in merged}:
            Enrollment.objects.filter(
                school_id__in={s for s, k, g in merged if (k, g) == (kind, group)},
                school_year=school_year,
                kind=kind,
                group=group,
            ).delete()
        Enrollment.objects.bulk_create(
            Enrollment(school_id=s, school_year=school_year, kind=k, group=g, count=n)
            for (s, k, g), n in merged.items()
        )
        return EnrollmentResult(written=len(merged), skipped=skipped)

    return run_import(source=source, validate=each_row(check), write=write, dry_run=dry_run)
