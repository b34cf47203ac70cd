"""The LMS completions import (CSV): validated whole, written in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safeops.access import Resource
from safeops.core.audit import Actor
from safeops.core.importing import ImportIssue, Rejected, each_row, read_csv, run_import
from safeops.core.services import model_update
from safeops.schools.models import District
from safeops.training.importing import CompletionCheck, CompletionRow
from safeops.training.models import (
    Completion,
    RecordSource,
    RecordStatus,
)
from safeops.training.services.common import (
    CSV_COLUMNS,
    CSV_EMPTY,
    _is_own,
    _require_manager,
)
from safeops.training.services.records import completion_record


class TrainingImportError(Exception):
    """The file was rejected; `errors` names each line. Nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s); nothing was written")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    updated: int = 0
    lines: int = 0
    errors: list[str] = field(default_factory=list)


TRAINING_COLUMNS = ("email", "topic", "course", "hours", "completed_on", "provider", "lms_id")


def completions_import_csv(
    *, district: District, text: str, actor: Actor, today: dt.date | None = None
) -> ImportResult:
    """Import LMS completions (CSV), validated whole: every problem is reported with its line
    number and nothing is written unless the whole file is valid. A row with an `lms_id` seen
    before for that person updates that completion, so re-importing changes nothing."""
    _require_manager(actor, district.pk, Resource.TRAINING_RECORD)
    day = today or timezone.localdate()
    source = read_csv(
        text, columns={name: name for name in TRAINING_COLUMNS}, clean=lambda _f, v: v.strip()
    )
    columns = set(source.fields)
    if not {"email", "completed_on"} <= columns or not columns & {"topic", "course"}:
        raise TrainingImportError([CSV_COLUMNS])
    if not source.rows and not source.issues:
        raise TrainingImportError([CSV_EMPTY])
    check = CompletionCheck(district=district, day=day)
    try:
        outcome = run_import(
            source=source,
            validate=each_row(check.row),
            write=lambda rows: _completions_write(rows=rows, actor=actor, day=day),
        )
    except Rejected as rejected:
        raise TrainingImportError([_problem_text(issue) for issue in rejected.issues]) from None
    return outcome.result


def _problem_text(issue: ImportIssue) -> str:
    """This importer's messages name their line already; the reader's get it added."""
    return issue.message if issue.field == "training" else f"{issue.where}: {issue.message}"


def _completions_write(*, rows: list[CompletionRow], actor: Actor, day: dt.date) -> ImportResult:
    """Record new completions, update those the LMS sent before (by person and lms_id)."""
    result = ImportResult(lines=len(rows))
    for item in rows:
        existing = (
            Completion.objects.filter(person=item.person, lms_id=item.lms_id).first()
            if item.lms_id
            else None
        )
        if existing is None:
            completion_record(
                person=item.person,
                topic=item.topic,
                course=item.course,
                hours=item.hours,
                completed_on=item.completed_on,
                provider=item.provider,
                lms_id=item.lms_id,
                source=RecordSource.LMS,
                actor=actor,
                today=day,
            )
            result.created += 1
            continue
        data: dict[str, Any] = {
            "topic": item.topic,
            "course": item.course,
            "hours": item.hours,
            "completed_on": item.completed_on,
        }
        before = (existing.topic_id, existing.course_id, existing.hours, existing.completed_on)
        if _is_own(actor, existing.person_id) and before != (
            item.topic.pk,
            item.course.pk if item.course else None,
            item.hours,
            item.completed_on,
        ):  # a changed own record waits for someone else's confirmation again
            data |= {"status": RecordStatus.PENDING, "confirmed_by": None, "confirmed_at": None}
        model_update(instance=existing, actor=actor, data=data, note="LMS import")
        after = (existing.topic_id, existing.course_id, existing.hours, existing.completed_on)
        if before == after:
            result.unchanged += 1
        else:
            result.updated += 1
    return result
