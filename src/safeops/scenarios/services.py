"""Writes for planning scenarios: create (and queue the run), record the result, adopt."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from safeops.access import current_filter
from safeops.core.audit import Actor
from safeops.core.jobs import job_enqueue
from safeops.core.services import model_create, model_delete, model_update
from safeops.scenarios.models import PlanningCosts, Scenario, ScenarioStatus
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import District, School
from safeops.staff.models import Assignment
from safeops.staff.services import assignment_create, assignment_end
from safeops.zones.models import Zone, ZoneKind, ZoneMembership
from safeops.zones.services import zone_create, zone_set_schools

RUN_JOB = "scenarios.run"
NEED_OFFICERS_OR_TARGET = _("Give an officer count or a response target, not both and not neither.")
SIZES_INVERTED = _("The smallest zone size must not exceed the largest.")
EQUITY_RANGE = _("The weight of schools against calls must lie between 0 and 1.")
NOT_DONE = _("Only a finished scenario can be adopted.")
ALREADY_ADOPTED = _("This scenario was already adopted on {day}.")
COST_NEGATIVE = _("A cost must be 0 or more.")
EFFECTIVE_IN_PAST = _("The effective date cannot be before today.")
UNKNOWN_LEVELS = _("Unknown school level(s): {levels}.")
STALE_SCHOOLS = _(
    "The district's schools changed since this scenario ran ({detail}); run it again."
)


def scenario_create(
    *,
    district: District,
    name: str,
    actor: Actor,
    officers: int | None = None,
    target_minutes: float | None = None,
    percentile: float = 90.0,
    min_size: int = 3,
    max_size: int = 7,
    dedicated_levels: list[str] | None = None,
    aligned: bool = True,
    equity: float = 0.0,
    equity_curve: bool = False,
    seed: int = 0,
) -> Scenario:
    """Store a scenario and queue its run in the background."""
    if (officers is None) == (target_minutes is None):
        raise ValidationError({"officers": NEED_OFFICERS_OR_TARGET})
    if not 0.0 <= equity <= 1.0:
        raise ValidationError({"equity": EQUITY_RANGE})
    if min_size > max_size:
        raise ValidationError({"min_size": SIZES_INVERTED})
    levels = sorted(
        set(dedicated_levels if dedicated_levels is not None else [SchoolLevel.ALTERNATIVE])
    )
    unknown = [level for level in levels if level not in SchoolLevel.values]
    if unknown:
        raise ValidationError(
            {"dedicated_levels": UNKNOWN_LEVELS.format(levels=", ".join(unknown))}
        )
    with transaction.atomic():
        scenario = model_create(
            model=Scenario,
            actor=actor,
            district=district,
            name=name,
            officers=officers,
            target_minutes=target_minutes,
            percentile=percentile,
            min_size=min_size,
            max_size=max_size,
            dedicated_levels=levels,
            aligned=aligned,
            equity=equity,
            equity_curve=equity_curve,
            seed=seed,
            created_by=actor if not isinstance(actor, str) and actor.is_authenticated else None,
        )
        scenario.job = job_enqueue(
            kind=RUN_JOB, payload={"scenario_id": scenario.pk}, max_attempts=1
        )
        scenario.save(update_fields=["job"])
    return scenario


@dataclass
class AdoptionReport:
    zones_created: list[str] = field(default_factory=list)
    zones_updated: list[str] = field(default_factory=list)
    zones_retired: list[str] = field(default_factory=list)
    officers_kept: list[str] = field(default_factory=list)
    officers_moved: list[str] = field(default_factory=list)
    officers_unassigned: list[str] = field(default_factory=list)
    zones_uncovered: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return gettext(
            "Zones: %(created)s created, %(updated)s updated, %(retired)s retired. Officers: "
            "%(kept)s kept, %(moved)s moved, %(unassigned)s unassigned. Zones without an officer: "
            "%(uncovered)s."
        ) % {
            "created": len(self.zones_created),
            "updated": len(self.zones_updated),
            "retired": len(self.zones_retired),
            "kept": len(self.officers_kept),
            "moved": len(self.officers_moved),
            "unassigned": len(self.officers_unassigned),
            "uncovered": len(self.zones_uncovered),
        }


def _zone_names(zones: list[dict[str, Any]], schools: dict[int, School]) -> list[str]:
    """Stable names: "<high school> <n>" for patrol zones, "<school> (dedicated)" otherwise."""
    counters: dict[str, int] = defaultdict(int)
    names = []
    for zone in zones:
        if zone.get("dedicated"):
            names.append(f"{schools[int(zone['school_ids'][0])].name} (dedicated)")
            continue
        area = zone.get("high_school") or "Zone"
        counters[area] += 1
        names.append(f"{area} {counters[area]}")
    return names


def scenario_adopt(*, scenario: Scenario, effective_on: dt.date, actor: Actor) -> AdoptionReport:
    """Make the scenario's zones the district's zones from `effective_on`.

    Zones keep their identity by name, memberships and officer assignments change with
    dated rows (the previous ones end on `effective_on` and stay in the history). Each
    officer keeps the new zone that overlaps their old one most; officers left over are
    unassigned, zones left over are reported as uncovered.
    """
    if scenario.status != ScenarioStatus.DONE or not scenario.summary:
        raise ValidationError(NOT_DONE)
    if scenario.adopted_at is not None:
        raise ValidationError(ALREADY_ADOPTED.format(day=scenario.adopted_effective_on))
    if effective_on < timezone.localdate():
        raise ValidationError({"effective_on": EFFECTIVE_IN_PAST})
    district = scenario.district
    planned = scenario.summary["zones"]
    schools = {s.pk: s for s in School.objects.filter(district=district)}
    missing = sorted({int(i) for z in planned for i in z["school_ids"]} - set(schools))
    if missing:
        raise ValidationError(
            STALE_SCHOOLS.format(
                detail=ngettext(
                    "%(count)s school no longer exists",
                    "%(count)s schools no longer exist",
                    len(missing),
                )
                % {"count": len(missing)}
            )
        )
    report = AdoptionReport()
    with transaction.atomic():
        # Re-check under a row lock so two concurrent adoptions cannot both proceed.
        locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if locked.adopted_at is not None:
            raise ValidationError(ALREADY_ADOPTED.format(day=locked.adopted_effective_on))
        memberships = ZoneMembership.objects.filter(
            current_filter(effective_on), zone__district=district
        )
        old_zone_of_school = dict(memberships.values_list("school_id", "zone_id"))
        officer_of_zone: dict[int, Assignment] = {
            a.zone_id: a
            for a in Assignment.objects.filter(
                current_filter(effective_on), zone__district=district
            )
            .select_related("person", "zone")
            .order_by("starts_on", "pk")
            if a.zone_id is not None
        }
        names = _zone_names(planned, schools)
        existing = {zone.name: zone for zone in Zone.objects.filter(district=district)}
        new_zones: list[tuple[Zone, list[School]]] = []
        for name, spec in zip(names, planned, strict=True):
            members = [schools[int(i)] for i in spec["school_ids"]]
            post = schools[int(spec["post"])]
            high = next((s for s in members if s.name == spec.get("high_school")), None) or (
                School.objects.filter(district=district, name=spec.get("high_school")).first()
            )
            kind = ZoneKind.DEDICATED if spec.get("dedicated") else ZoneKind.PATROL
            zone = existing.get(name)
            if zone is None:
                zone = zone_create(
                    district=district,
                    name=name,
                    actor=actor,
                    kind=kind,
                    high_school=high,
                    post_school=post,
                )
                report.zones_created.append(name)
            else:
                model_update(
                    instance=zone,
                    actor=actor,
                    data={"kind": kind, "high_school": high, "post_school": post, "active": True},
                )
                report.zones_updated.append(name)
            new_zones.append((zone, members))
        kept_ids = {zone.pk for zone, _ in new_zones}
        for zone in existing.values():
            if zone.pk not in kept_ids and zone.active:
                zone_set_schools(zone=zone, schools=[], starts_on=effective_on, actor=actor)
                model_update(instance=zone, actor=actor, data={"active": False})
                report.zones_retired.append(zone.name)
        # Clear every changing zone first, so a school can move between two adopted zones.
        for zone, members in new_zones:
            keep = [s for s in members if old_zone_of_school.get(s.pk) == zone.pk]
            zone_set_schools(zone=zone, schools=keep, starts_on=effective_on, actor=actor)
        for zone, members in new_zones:
            zone_set_schools(zone=zone, schools=members, starts_on=effective_on, actor=actor)
        _reassign_officers(
            new_zones=new_zones,
            old_zone_of_school=old_zone_of_school,
            officer_of_zone=officer_of_zone,
            effective_on=effective_on,
            actor=actor,
            report=report,
        )
        model_update(
            instance=scenario,
            actor=actor,
            data={
                "adopted_at": timezone.now(),
                "adopted_by": actor
                if not isinstance(actor, str) and actor.is_authenticated
                else None,
                "adopted_effective_on": effective_on,
            },
            note="adopted",
        )
    return report


def _reassign_officers(
    *,
    new_zones: list[tuple[Zone, list[School]]],
    old_zone_of_school: dict[int, int],
    officer_of_zone: dict[int, Assignment],
    effective_on: dt.date,
    actor: Actor,
    report: AdoptionReport,
) -> None:
    """Greedy by overlap: the new zone sharing most schools with an officer's old zone gets them."""
    overlaps = []
    for index, (_zone, members) in enumerate(new_zones):
        counts: dict[int, int] = defaultdict(int)
        for school in members:
            old = old_zone_of_school.get(school.pk)
            if old is not None and old in officer_of_zone:
                counts[old] += 1
        overlaps += [(-n, index, old) for old, n in counts.items()]
    placed: dict[int, Assignment] = {}
    used: set[int] = set()
    for _n, index, old in sorted(overlaps):
        if index in placed or old in used:
            continue
        placed[index] = officer_of_zone[old]
        used.add(old)
    for index, (zone, _members) in enumerate(new_zones):
        assignment = placed.get(index)
        if assignment is None:
            report.zones_uncovered.append(zone.name)
            continue
        name = assignment.person.full_name
        if assignment.zone_id == zone.pk:
            report.officers_kept.append(name)
            continue
        _end_or_drop(assignment=assignment, effective_on=effective_on, actor=actor)
        assignment_create(person=assignment.person, zone=zone, starts_on=effective_on, actor=actor)
        report.officers_moved.append(f"{name} → {zone.name}")
    for old, assignment in officer_of_zone.items():
        if old not in used:
            _end_or_drop(assignment=assignment, effective_on=effective_on, actor=actor)
            report.officers_unassigned.append(assignment.person.full_name)


def _end_or_drop(*, assignment: Assignment, effective_on: dt.date, actor: Actor) -> None:
    if assignment.starts_on >= effective_on:
        model_delete(instance=assignment, actor=actor, note="superseded by an adopted plan")
    else:
        assignment_end(assignment=assignment, ends_on=effective_on, actor=actor)


def planning_costs_set(
    *, district: District, actor: Actor, officer: int, vehicle: int, safety_administrator: int
) -> PlanningCosts:
    """Set the district's unit costs a year (dollars); every scenario's cost follows them."""
    values: dict[str, Any] = {
        "officer": officer,
        "vehicle": vehicle,
        "safety_administrator": safety_administrator,
    }
    for name, value in values.items():
        if value < 0:
            raise ValidationError({name: COST_NEGATIVE})
    existing = PlanningCosts.objects.filter(district=district).first()
    if existing is None:
        return model_create(model=PlanningCosts, actor=actor, district=district, **values)
    return model_update(instance=existing, actor=actor, data=values)
