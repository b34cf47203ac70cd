"""Writes of the roster: shifts, relief and swaps, leave, event coverage, the CSV import.

Every write locks the officer's `Person` row first, so two supervisors cannot give one
officer overlapping shifts, and is validated and audited through `core.services`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeops.core.audit import Actor
from safeops.core.importing import Outcome, decode, each_row, read_csv, run_import
from safeops.core.services import model_create, model_delete, model_update
from safeops.roster.importing import COLUMNS, REQUIRED, ShiftCheck, ShiftRow
from safeops.roster.models import CoverageEvent, EventKind, Leave, LeaveKind, Shift, ShiftKind
from safeops.schools.models import District, School
from safeops.staff.models import Person

SHIFT_OVERLAPS = _("{name} already has a shift from {start} to {end}.")
SHIFT_ON_LEAVE = _("{name} is on leave ({kind}) from {first} to {last}.")
LEAVE_HAS_SHIFTS = _(
    "{name} has {count} shift(s) in those days (first {start}); swap or cancel them first."
)
RELIEF_OUTSIDE = _("The relief must start after the shift starts and before it ends.")
RELIEF_SAME_OFFICER = _("The relief officer must be another officer.")
SWAP_SAME_OFFICER = _("The shift already belongs to this officer.")
EVENT_FULL = _("The event already has its {count} officer(s).")
ALREADY_COVERING = _("{name} already covers this event.")


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local day [00:00, next day 00:00) as aware datetimes."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return start, end


def _when(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def _lock(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def shift_conflicts(
    *, person: Person, starts_at: dt.datetime, ends_at: dt.datetime, ignore: int | None = None
) -> list[str]:
    """Why `person` cannot work [starts_at, ends_at): overlapping shifts and leave."""
    problems: list[str] = []
    overlapping = Shift.objects.filter(person=person, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if ignore is not None:
        overlapping = overlapping.exclude(pk=ignore)
    for other in overlapping[:1]:
        problems.append(
            str(SHIFT_OVERLAPS).format(
                name=person.full_name, start=_when(other.starts_at), end=_when(other.ends_at)
            )
        )
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(ends_at - dt.timedelta(microseconds=1)).date()
    for leave in Leave.objects.filter(person=person, first_day__lte=last, last_day__gte=first)[:1]:
        problems.append(
            str(SHIFT_ON_LEAVE).format(
                name=person.full_name,
                kind=leave.get_kind_display(),
                first=leave.first_day,
                last=leave.last_day,
            )
        )
    return problems


def shift_create(
    *,
    person: Person,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: Actor,
    kind: ShiftKind = ShiftKind.REGULAR,
    comment: str = "",
    relieves: Shift | None = None,
    coverage_event: CoverageEvent | None = None,
) -> Shift:
    """Put `person` on the roster from `starts_at` to `ends_at`. Refuses an overlap with their
    other shifts and a shift on a day of leave."""
    with transaction.atomic():
        person = _lock(person)
        problems = shift_conflicts(person=person, starts_at=starts_at, ends_at=ends_at)
        if problems:
            raise ValidationError({"person": problems})
        return model_create(
            model=Shift,
            actor=actor,
            district_id=person.district_id,
            person=person,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=kind,
            comment=comment.strip(),
            relieves=relieves,
            coverage_event=coverage_event,
        )


def shift_cancel(*, shift: Shift, actor: Actor) -> None:
    model_delete(instance=shift, actor=actor, note="shift cancelled")


def shift_swap(*, shift: Shift, person: Person, actor: Actor) -> Shift:
    """Give the whole shift to another officer (a swap between officers)."""
    if person.pk == shift.person_id:
        raise ValidationError({"person": SWAP_SAME_OFFICER})
    with transaction.atomic():
        person = _lock(person)
        shift = Shift.objects.select_for_update().get(pk=shift.pk)
        problems = shift_conflicts(
            person=person, starts_at=shift.starts_at, ends_at=shift.ends_at, ignore=shift.pk
        )
        if problems:
            raise ValidationError({"person": problems})
        previous = shift.person.full_name
        return model_update(
            instance=shift, actor=actor, data={"person": person}, note=f"swapped from {previous}"
        )


def shift_relieve(*, shift: Shift, relief: Person, at: dt.datetime, actor: Actor) -> Shift:
    """`relief` takes over the rest of `shift` from `at`: the shift ends at `at` and a relief
    shift runs from `at` to its old end. Returns the relief shift."""
    if relief.pk == shift.person_id:
        raise ValidationError({"person": RELIEF_SAME_OFFICER})
    if not shift.starts_at < at < shift.ends_at:
        raise ValidationError({"at": RELIEF_OUTSIDE})
    with transaction.atomic():
        shift = Shift.objects.select_for_update().get(pk=shift.pk)
        old_end = shift.ends_at
        model_update(instance=shift, actor=actor, data={"ends_at": at}, note="relieved")
        return shift_create(
            person=relief,
            starts_at=at,
            ends_at=old_end,
            actor=actor,
            kind=ShiftKind.RELIEF,
            comment=str(_("Relieves {name}")).format(name=shift.person.full_name),
            relieves=shift,
            coverage_event=shift.coverage_event,
        )


def leave_record(
    *,
    person: Person,
    first_day: dt.date,
    last_day: dt.date,
    kind: LeaveKind,
    actor: Actor,
    comment: str = "",
) -> Leave:
    """Days off or leave. Refuses days that already hold shifts of the officer."""
    with transaction.atomic():
        person = _lock(person)
        start, _end = local_day_bounds(first_day)
        _start, end = local_day_bounds(max(first_day, last_day))
        shifts = Shift.objects.filter(person=person, starts_at__lt=end, ends_at__gt=start)
        first = shifts.order_by("starts_at").first()
        if first is not None:
            message = str(LEAVE_HAS_SHIFTS).format(
                name=person.full_name, count=shifts.count(), start=_when(first.starts_at)
            )
            raise ValidationError({"first_day": message})
        return model_create(
            model=Leave,
            actor=actor,
            district_id=person.district_id,
            person=person,
            first_day=first_day,
            last_day=last_day,
            kind=kind,
            comment=comment.strip(),
        )


def leave_cancel(*, leave: Leave, actor: Actor) -> None:
    model_delete(instance=leave, actor=actor, note="leave cancelled")


def coverage_event_create(
    *,
    district: District,
    title: str,
    kind: EventKind,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    officers_needed: int,
    actor: Actor,
    school: School | None = None,
    comment: str = "",
) -> CoverageEvent:
    return model_create(
        model=CoverageEvent,
        actor=actor,
        district=district,
        school=school,
        title=title.strip(),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        officers_needed=officers_needed,
        comment=comment.strip(),
    )


def coverage_assign(*, event: CoverageEvent, person: Person, actor: Actor) -> Shift:
    """Assign an officer to an event: an event shift over the event's hours."""
    with transaction.atomic():
        event = CoverageEvent.objects.select_for_update().get(pk=event.pk)
        covering = Shift.objects.filter(coverage_event=event, relieves__isnull=True)
        if covering.filter(person=person).exists():
            raise ValidationError({"person": str(ALREADY_COVERING).format(name=person.full_name)})
        if covering.count() >= event.officers_needed:
            raise ValidationError({"person": str(EVENT_FULL).format(count=event.officers_needed)})
        return shift_create(
            person=person,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            actor=actor,
            kind=ShiftKind.EVENT,
            comment=event.title,
            coverage_event=event,
        )


def shifts_import_csv(
    *, district: District, data: bytes, actor: Actor, dry_run: bool = False
) -> Outcome[int]:
    """Import shifts (one per row) through the shared pipeline: every problem of the file with
    its line, then every shift in one transaction. Raises core.importing.Rejected."""
    source = read_csv(
        decode(data), columns=COLUMNS, required=REQUIRED, clean=lambda f, v: v.strip()
    )
    check = ShiftCheck(district=district)

    def write(rows: list[ShiftRow]) -> int:
        for row in rows:
            model_create(
                model=Shift,
                actor=actor,
                note=f"import line {row.line}",
                district=district,
                person=row.person,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                kind=ShiftKind.REGULAR,
                comment=row.comment,
            )
        return len(rows)

    return run_import(
        source=source,
        validate=each_row(check.row, across=check.across),
        write=write,
        dry_run=dry_run,
    )
