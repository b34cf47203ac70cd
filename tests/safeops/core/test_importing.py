"""The shared import pipeline: reading, whole-file validation, one transaction, dry run."""

from __future__ import annotations

import pytest

from safeops.core.importing import (
    ImportIssue,
    Rejected,
    SourceRow,
    decode,
    each_row,
    read_csv,
    run_import,
)
from safeops.schools.models import District

COLUMNS = {"name": "name", "label": "label", "district_name": "name"}


def check_name(row: SourceRow, issues: list[ImportIssue]) -> str | None:
    name = row.values.get("name", "").strip()
    if not name:
        issues.append(ImportIssue(row.line, "name", "a value is required"))
        return None
    return name


def create_districts(names: list[str]) -> int:
    for name in names:
        District.objects.create(name=name)
    return len(names)


def test_lines_are_physical_and_blank_rows_are_skipped() -> None:
    text = 'name,label\n"North\nDistrict",a\n\nSouth,b\n'
    source = read_csv(text, columns=COLUMNS)
    assert [(row.line, row.values["name"]) for row in source.rows] == [
        (2, "North\nDistrict"),
        (5, "South"),
    ]


def test_bom_semicolons_and_header_spelling_are_accepted() -> None:
    source = read_csv(decode("\ufeffName ; Label\nNorth;a\n".encode()), columns=COLUMNS)
    assert source.fields == ("name", "label")
    assert source.rows[0].values == {"name": "North", "label": "a"}


def test_header_problems_are_reported_and_give_no_rows() -> None:
    source = read_csv("name,district name,extra\nNorth,North,x\n", columns=COLUMNS)
    assert source.rows == ()
    assert [str(issue) for issue in source.issues] == [
        "line 1: columns: 'name' and 'district name' are the same field (name); keep one"
    ]
    missing = read_csv("label\nx\n", columns=COLUMNS, required=("name",))
    assert [issue.message for issue in missing.issues] == ["missing required columns: name"]


def test_the_cell_cleaner_runs_per_field() -> None:
    def unquote(field: str, value: str) -> str:
        return value.removeprefix("'") if field == "name" else value

    source = read_csv("name,label\n'=North,'=x\n", columns=COLUMNS, clean=unquote)
    assert source.rows[0].values == {"name": "=North", "label": "'=x"}


def test_not_utf8_is_rejected() -> None:
    with pytest.raises(Rejected) as rejected:
        decode(b"name\n\xff\n")
    assert [str(issue) for issue in rejected.value.issues] == [
        "file: file: the file is not UTF-8 text"
    ]


@pytest.mark.django_db
def test_every_problem_is_listed_in_line_order_and_nothing_is_written() -> None:
    source = read_csv("name,label\n,a\nNorth,b,extra\n ,c\nSouth,d\n", columns=COLUMNS)
    with pytest.raises(Rejected) as rejected:
        run_import(source=source, validate=each_row(check_name), write=create_districts)
    assert [str(issue) for issue in rejected.value.issues] == [
        "line 2: name: a value is required",
        "line 3: row: has 3 values but the header has 2 columns",
        "line 4: name: a value is required",
    ]
    assert not District.objects.exists()


@pytest.mark.django_db
def test_a_cross_row_check_and_a_failing_write_roll_back() -> None:
    source = read_csv("name\nNorth\nNorth\n", columns=COLUMNS)

    def no_repeats(names: list[str]) -> list[ImportIssue]:
        return [ImportIssue(3, "name", "repeats")] if len(set(names)) < len(names) else []

    with pytest.raises(Rejected, match="1 problem"):
        run_import(
            source=source, validate=each_row(check_name, across=no_repeats), write=create_districts
        )

    def write_then_fail(names: list[str]) -> int:
        create_districts(names)
        raise Rejected([ImportIssue(2, "name", "taken")])

    distinct = read_csv("name\nNorth\nSouth\n", columns=COLUMNS)
    with pytest.raises(Rejected):
        run_import(source=distinct, validate=each_row(check_name), write=write_then_fail)
    assert not District.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_reports_what_it_would_write_and_writes_nothing() -> None:
    source = read_csv("name\nNorth\nSouth\n", columns=COLUMNS)
    dry = run_import(
        source=source, validate=each_row(check_name), write=create_districts, dry_run=True
    )
    assert (dry.result, dry.dry_run) == (2, True)
    assert not District.objects.exists()
    real = run_import(source=source, validate=each_row(check_name), write=create_districts)
    assert real.result == 2
    assert District.objects.count() == 2
