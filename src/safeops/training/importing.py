"""The LMS completions file: one row checked against the district's people, topics, courses.

`services.completions_import_csv` runs it through the shared import pipeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from safeops.core.importing import ImportIssue, SourceRow
from safeops.schools.models import District
from safeops.staff.models import Person
from safeops.training.models import Course, Topic

CSV_UNKNOWN_PERSON = "line {line}: no active person with e-mail {value!r} in the district."
CSV_UNKNOWN_TOPIC = (
    "line {line}: unknown topic {value!r} (use a topic code or name from the catalog)."
)
CSV_UNKNOWN_COURSE = "line {line}: unknown course code {value!r}."
CSV_BAD_HOURS = "line {line}: hours must be a number between 0.25 and 200, not {value!r}."
CSV_BAD_DATE = "line {line}: completed_on {value!r} is not a date (YYYY-MM-DD)."
CSV_FUTURE = "line {line}: completed_on {value} is in the future."
CSV_DUPLICATE = "line {line}: lms_id {value!r} repeats line {first}."
CSV_TOO_LONG = "line {line}: {column} is longer than {limit} characters."


@dataclass(frozen=True)
class CompletionRow:
    """A valid LMS row."""

    line: int
    person: Person
    topic: Topic
    course: Course | None
    hours: Decimal
    completed_on: dt.date
    provider: str
    lms_id: str


class CompletionCheck:
    """Checks one LMS row against the district's people, topics and courses."""

    def __init__(self, *, district: District, day: dt.date) -> None:
        self.day = day
        self.people = {
            p.email.lower(): p
            for p in Person.objects.filter(district=district, active=True).exclude(email="")
        }
        self.topics: dict[str, Topic] = {}
        for known in Topic.objects.filter(district=district):
            self.topics[known.code.lower()] = known
            self.topics[known.name.lower()] = known
        self.courses = {c.code.lower(): c for c in Course.objects.filter(district=district)}
        self.first_line: dict[tuple[str, str], int] = {}

    def row(self, source: SourceRow, issues: list[ImportIssue]) -> CompletionRow | None:
        line, row = source.line, source.values
        problems: list[str] = []
        person = self.people.get(row.get("email", "").lower())
        if person is None:
            problems.append(CSV_UNKNOWN_PERSON.format(line=line, value=row.get("email", "")))
        course = None
        if row.get("course"):
            course = self.courses.get(row["course"].lower())
            if course is None:
                problems.append(CSV_UNKNOWN_COURSE.format(line=line, value=row["course"]))
        topic = self.topics.get(row.get("topic", "").lower()) or (course.topic if course else None)
        if topic is None:
            problems.append(CSV_UNKNOWN_TOPIC.format(line=line, value=row.get("topic", "")))
        raw_hours = row.get("hours", "") or (str(course.hours) if course else "")
        try:
            hours = Decimal(raw_hours)
            if not Decimal("0.25") <= hours <= Decimal(200):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(CSV_BAD_HOURS.format(line=line, value=raw_hours))
            hours = Decimal(0)
        try:
            completed_on = dt.date.fromisoformat(row.get("completed_on", ""))
            if completed_on > self.day:
                problems.append(CSV_FUTURE.format(line=line, value=completed_on))
        except ValueError:
            problems.append(CSV_BAD_DATE.format(line=line, value=row.get("completed_on", "")))
            completed_on = self.day
        lms_id = row.get("lms_id", "")
        for column, limit in (("lms_id", 80), ("provider", 120)):
            if len(row.get(column, "")) > limit:
                problems.append(CSV_TOO_LONG.format(line=line, column=column, limit=limit))
        if lms_id and person is not None:
            key = (person.email.lower(), lms_id)
            if key in self.first_line:
                first = self.first_line[key]
                problems.append(CSV_DUPLICATE.format(line=line, value=lms_id, first=first))
            self.first_line.setdefault(key, line)
        issues.extend(ImportIssue(line, "training", problem) for problem in problems)
        if problems or person is None or topic is None:
            return None
        provider = row.get("provider", "")
        return CompletionRow(line, person, topic, course, hours, completed_on, provider, lms_id)
