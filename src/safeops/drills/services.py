"""Writes for calendars, drill rules, the drill log and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from safeops.accounts.models import User
from safeops.core.audit import Actor
from safeops.core.i18n import seeded
from safeops.core.importing import (
    ImportIssue,
    Rejected,
    SourceRow,
    each_row,
    read_csv,
    run_import,
)
from safeops.core.notify.selectors import addresses_by_alert_language
from safeops.core.services import model_create, model_update
from safeops.drills.defaults import DEFAULT_RULES, DEFAULT_TYPES
from safeops.drills.models import (
    CorrectiveAction,
    Drill,
    DrillReminder,
    DrillRule,
    DrillType,
    NonInstructionalDay,
    SchoolYear,
)
from safeops.drills.words import window_reason
from safeops.schools.models import District, School
from safeops.staff.models import Person

DRILL_IN_FUTURE = gettext_noop("A drill can only be logged once it has taken place.")
DRILL_TYPE_OTHER_DISTRICT = gettext_noop("That drill type belongs to another district.")
OWNER_OTHER_DISTRICT = gettext_noop(
    "The owner of a corrective action must work in the school's district."
)
ACTION_ALREADY_DONE = gettext_noop("This corrective action is already done.")
CSV_MISSING_COLUMNS = gettext_noop(
    "The calendar file needs the columns: school_year, date, type (note optional)."
)
CSV_BAD_DATE = gettext_noop("line {line}: {value!r} is not a date (YYYY-MM-DD).")
CSV_BAD_TYPE = gettext_noop(
    "line {line}: type must be first_day, last_day or non_instructional, not {value!r}."
)
CSV_FIRST_LAST = gettext_noop("{year}: give exactly one first_day and one last_day.")
CSV_DAY_OUTSIDE = gettext_noop("line {line}: {day} is outside the school year {year}.")
REMINDER_DAYS = 7
REMINDER_SUBJECT = _("Drill due by {end}: {school}")
REMINDER_BODY = _(
    "{school}: {reason}.\n\nLegal source: {source}.\nLog the drill here: {url}\n\n"
    "This reminder was sent by safeops because the window closes in {days} days."
)


def safety_defaults_seed(*, district: District, actor: Actor) -> int:
    """Create Kentucky's drill types and rules for `district` where missing. Idempotent.

    Returns how many rows it created."""
    created = 0
    types: dict[str, DrillType] = {}
    with transaction.atomic():
        for spec in DEFAULT_TYPES:
            existing = DrillType.objects.filter(district=district, code=spec.code).first()
            if existing is None:
                existing = model_create(
                    model=DrillType,
                    actor=actor,
                    district=district,
                    code=spec.code,
                    name=spec.name,
                    timed_measure=spec.secure_label,
                )
                created += 1
            types[spec.code] = existing
        for rule in DEFAULT_RULES:
            drill_type = types[rule.type_code]
            if DrillRule.objects.filter(
                district=district, drill_type=drill_type, kind=rule.kind, param=rule.param
            ).exists():
                continue
            model_create(
                model=DrillRule,
                actor=actor,
                district=district,
                drill_type=drill_type,
                kind=rule.kind.value,
                param=rule.param,
                count=rule.count,
                extra=rule.extra,
                legal_source=rule.legal_source,
                legal_url=rule.legal_url,
            )
            created += 1
    return created


def school_year_save(
    *,
    district: District,
    name: str,
    first_day: dt.date,
    last_day: dt.date,
    non_instructional: Sequence[tuple[dt.date, str]],
    actor: Actor,
) -> SchoolYear:
    """Create or replace a school year and its non-instructional days."""
    with transaction.atomic():
        year = SchoolYear.objects.filter(district=district, name=name).first()
        if year is None:
            year = model_create(
                model=SchoolYear,
                actor=actor,
                district=district,
                name=name,
                first_day=first_day,
                last_day=last_day,
            )
        else:
            year = model_update(
                instance=year, actor=actor, data={"first_day": first_day, "last_day": last_day}
            )
            year.non_instructional_days.all().delete()
        rows = []
        for day, reason in sorted(set(non_instructional)):
            row = NonInstructionalDay(school_year=year, date=day, reason=reason[:100])
            row.full_clean()
            rows.append(row)
        NonInstructionalDay.objects.bulk_create(rows)
    return year


@dataclass(frozen=True)
class CalendarImport:
    years: list[SchoolYear]


CALENDAR_COLUMNS = ("school_year", "date", "type", "note")
CALENDAR_KINDS = ("first_day", "last_day", "non_instructional")


@dataclass(frozen=True)
class _CalendarRow:
    line: int
    year: str
    kind: str
    day: dt.date
    note: str


def school_year_import_csv(*, district: District, text: str, actor: Actor) -> CalendarImport:
    """Import calendars from CSV rows `school_year,date,type,note`, validated whole.

    `type` is first_day, last_day or non_instructional. Raises ValidationError with every
    line-numbered problem; writes nothing unless the whole file is valid."""
    source = read_csv(
        text, columns={name: name for name in CALENDAR_COLUMNS}, clean=lambda _f, v: v.strip()
    )
    if not {"school_year", "date", "type"} <= set(source.fields):
        raise ValidationError(gettext(CSV_MISSING_COLUMNS))

    def write(rows: list[_CalendarRow]) -> CalendarImport:
        saved = []
        for name, first, last, days in _calendar_years(rows):
            saved.append(
                school_year_save(
                    district=district,
                    name=name,
                    first_day=first,
                    last_day=last,
                    non_instructional=days,
                    actor=actor,
                )
            )
        return CalendarImport(years=saved)

    try:
        return run_import(
            source=source,
            validate=each_row(_calendar_row, across=_calendar_issues),
            write=write,
        ).result
    except Rejected as rejected:
        raise ValidationError([_calendar_text(issue) for issue in rejected.issues]) from None


def _calendar_text(issue: ImportIssue) -> str:
    """This importer's messages name their line already; the reader's get it added."""
    return issue.message if issue.field == "calendar" else f"{issue.where}: {issue.message}"


def _calendar_row(source: SourceRow, issues: list[ImportIssue]) -> _CalendarRow | None:
    line, row = source.line, source.values
    raw = row.get("date", "")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        issues.append(
            ImportIssue(line, "calendar", gettext(CSV_BAD_DATE).format(line=line, value=raw))
        )
        return None
    kind = row.get("type", "")
    if kind not in CALENDAR_KINDS:
        issues.append(
            ImportIssue(line, "calendar", gettext(CSV_BAD_TYPE).format(line=line, value=kind))
        )
        return None
    return _CalendarRow(line, row.get("school_year", ""), kind, day, row.get("note", ""))


def _calendar_issues(rows: list[_CalendarRow]) -> list[ImportIssue]:
    """Each year has one first and one last day, and its other days fall between them.

    A year's problem is placed at the year's first line, so it is listed in file order."""
    issues = []
    for name, kinds in _by_year(rows).items():
        firsts, lasts = kinds.get("first_day", []), kinds.get("last_day", [])
        if len(firsts) != 1 or len(lasts) != 1:
            line = min(row.line for rows_of_kind in kinds.values() for row in rows_of_kind)
            issues.append(ImportIssue(line, "calendar", gettext(CSV_FIRST_LAST).format(year=name)))
            continue
        for row in kinds.get("non_instructional", []):
            if not firsts[0].day <= row.day <= lasts[0].day:
                message = gettext(CSV_DAY_OUTSIDE).format(line=row.line, day=row.day, year=name)
                issues.append(ImportIssue(row.line, "calendar", message))
    return issues


def _by_year(rows: list[_CalendarRow]) -> dict[str, dict[str, list[_CalendarRow]]]:
    years: dict[str, dict[str, list[_CalendarRow]]] = {}
    for row in rows:
        years.setdefault(row.year, {}).setdefault(row.kind, []).append(row)
    return years


def _calendar_years(
    rows: list[_CalendarRow],
) -> list[tuple[str, dt.date, dt.date, list[tuple[dt.date, str]]]]:
    """(year, first day, last day, [(day, note)]) per school year of a valid file."""
    return [
        (
            name,
            kinds["first_day"][0].day,
            kinds["last_day"][0].day,
            [(row.day, row.note) for row in kinds.get("non_instructional", [])],
        )
        for name, kinds in _by_year(rows).items()
    ]


@dataclass(frozen=True)
class CorrectiveActionInput:
    description: str
    owner: Person
    due_on: dt.date


def drill_log(
    *,
    school: School,
    drill_type: DrillType,
    started_at: dt.datetime,
    duration_minutes: int,
    participants: int,
    actor: User | str,
    time_to_clear_seconds: int | None = None,
    observers: str = "",
    issues: str = "",
    corrective_actions: Sequence[CorrectiveActionInput] = (),
    now: dt.datetime | None = None,
) -> Drill:
    """Record a drill that took place, with its corrective actions."""
    if started_at > (now or timezone.now()):
        raise ValidationError({"started_at": DRILL_IN_FUTURE})
    if drill_type.district_id != school.district_id:
        raise ValidationError({"drill_type": DRILL_TYPE_OTHER_DISTRICT})
    for action in corrective_actions:
        if action.owner.district_id != school.district_id:
            raise ValidationError({"owner": OWNER_OTHER_DISTRICT})
    with transaction.atomic():
        drill = model_create(
            model=Drill,
            actor=actor,
            school=school,
            drill_type=drill_type,
            started_at=started_at,
            duration_minutes=duration_minutes,
            time_to_clear_seconds=time_to_clear_seconds,
            participants=participants,
            observers=observers.strip(),
            issues=issues.strip(),
            recorded_by=actor if not isinstance(actor, str) else None,
        )
        for action in corrective_actions:
            model_create(
                model=CorrectiveAction,
                actor=actor,
                drill=drill,
                description=action.description.strip(),
                owner=action.owner,
                due_on=action.due_on,
            )
    return drill


def corrective_action_complete(
    *, action: CorrectiveAction, done_on: dt.date, actor: Actor
) -> CorrectiveAction:
    if action.done_on is not None:
        raise ValidationError(ACTION_ALREADY_DONE)
    return model_update(instance=action, actor=actor, data={"done_on": done_on})


def drill_reminders_send(*, on: dt.date, base_url: str = "") -> int:
    """E-mail each school's SAs and principal about windows that close within a week, once per
    language they read their alerts in (My alerts).

    Each window is reminded once (DrillReminder). Returns how many e-mails were sent."""
    from safeops.drills.selectors import reminder_targets

    sent = 0
    for target in reminder_targets(on=on, within_days=REMINDER_DAYS):
        if DrillReminder.objects.filter(
            school=target.school, window_key=target.result.window.key
        ).exists():
            continue
        window = target.result.window
        url = f"{base_url}/drills/schools/{target.school.pk}/log/"
        for language, addresses in addresses_by_alert_language(target.recipients).items():
            with translation.override(language):
                send_mail(
                    subject=str(REMINDER_SUBJECT).format(
                        end=window.end.isoformat(), school=target.school
                    ),
                    message=str(REMINDER_BODY).format(
                        school=target.school,
                        reason=window_reason(target.result),
                        source=seeded(window.legal_source),
                        url=url,
                        days=(window.end - on).days,
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=addresses,
                )
            sent += 1
        DrillReminder.objects.create(
            school=target.school,
            window_key=window.key,
            sent_on=on,
            recipients=len(target.recipients),
        )
    return sent
