"""Reads of planning scenarios and their side-by-side comparison."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop, ngettext
from django.utils.translation import gettext as _

from planning.cost import AnnualCost, UnitCosts, annual_cost, cost_per_minute_saved
from planning.io.report import staffing_chart
from safeops.access import AnyUser, current_filter, restrict
from safeops.core.geo import outline
from safeops.scenarios.models import PlanningCosts, Scenario, ScenarioStatus
from safeops.schools.choices import SchoolLevel
from safeops.schools.models import School
from safeops.zones.models import ZoneMembership

SA_LEVELS = (SchoolLevel.MIDDLE, SchoolLevel.HIGH, SchoolLevel.COMBINED)


# The planner (plain Python, no Django) writes its progress and why an area merged in English;
# these are the words shown for them, in the page's language.
MERGE_REASONS = {
    "resides zone": gettext_noop("resides zone"),
    "nearest area": gettext_noop("nearest area"),
}
PROGRESS_STEPS = {
    "Building high-school areas": gettext_noop("Building high-school areas"),
    "Predicting response times": gettext_noop("Predicting response times"),
    "Computing the staffing curve": gettext_noop("Computing the staffing curve"),
    "Confirming the answer by simulation": gettext_noop("Confirming the answer by simulation"),
    "Planning the equity curve": gettext_noop("Planning the equity curve"),
    "Writing the results": gettext_noop("Writing the results"),
}
DESIGNING = re.compile(r"Designing zones for (?P<officers>\d+) officers")
SEARCHING = re.compile(
    r"Searching the fewest officers for (?P<percentile>[\d.]+)% within (?P<minutes>[\d.]+) min"
)


def progress_words(message: str) -> str:
    """A running scenario's progress message in the active language; a message the planner
    added later is shown as it is."""
    if message in PROGRESS_STEPS:
        return _(PROGRESS_STEPS[message])
    if match := DESIGNING.fullmatch(message):
        officers = int(match["officers"])
        return ngettext(
            "Designing zones for %(officers)s officer",
            "Designing zones for %(officers)s officers",
            officers,
        ) % {"officers": officers}
    if match := SEARCHING.fullmatch(message):
        return _("Searching the fewest officers for %(percentile)s%% within %(minutes)s min") % (
            match.groupdict()
        )
    return message


def _merge_in_words(merge: dict[str, Any]) -> dict[str, Any]:
    reason = merge.get("reason", "")
    return {**merge, "reason": _(MERGE_REASONS[reason]) if reason in MERGE_REASONS else reason}


def scenario_list_for_user(*, user: AnyUser) -> QuerySet[Scenario]:
    return restrict(Scenario.objects.all(), user).select_related("created_by", "adopted_by")


def scenario_get_for_user(*, user: AnyUser, scenario_id: int) -> Scenario:
    scenario = scenario_list_for_user(user=user).filter(pk=scenario_id).first()
    if scenario is None:
        raise Http404(_("No such scenario."))
    return scenario


@dataclass(frozen=True)
class ScenarioFigures:
    """The figures a board compares: officers, response, worst school, workload spread."""

    scenario: Scenario
    officers: int
    zones: int
    mean_minutes: float | None
    p90_minutes: float | None
    worst_school: str
    worst_school_p90: float | None
    calls_per_officer_min: float
    calls_per_officer_max: float
    gap_percent: float | None
    merges: list[dict[str, Any]]
    cost: AnnualCost
    cost_per_minute_saved: float | None = None  # against the first scenario compared


def planning_costs_for(*, district_id: int) -> UnitCosts:
    """The district's unit costs, or the defaults (JCPS's 2022 plan, planning.cost)."""
    row = PlanningCosts.objects.filter(district_id=district_id).first()
    if row is None:
        return UnitCosts()
    return UnitCosts(
        officer=row.officer, vehicle=row.vehicle, safety_administrator=row.safety_administrator
    )


def safety_administrator_posts(*, district_id: int) -> int:
    """One Safety Administrator in every middle and high school (the district's plan)."""
    return School.objects.filter(district_id=district_id, active=True, level__in=SA_LEVELS).count()


def scenario_figures(
    *, scenario: Scenario, school_names: dict[int, str], costs: UnitCosts | None = None
) -> ScenarioFigures | None:
    summary = scenario.summary
    if scenario.status != ScenarioStatus.DONE or not summary:
        return None
    response = summary.get("response") or {}
    by_school = response.get("by_school") or []
    worst = max(by_school, key=lambda row: row["p90"] or 0, default=None)
    loads = [zone["calls_per_day"] or 0 for zone in summary["zones"]] or [0]
    return ScenarioFigures(
        scenario=scenario,
        officers=summary["officers"],
        zones=len(summary["zones"]),
        mean_minutes=response.get("mean"),
        p90_minutes=response.get("p90"),
        worst_school=school_names.get(int(worst["id"]), worst["id"]) if worst else "",
        worst_school_p90=worst["p90"] if worst else None,
        calls_per_officer_min=min(loads),
        calls_per_officer_max=max(loads),
        gap_percent=100 * summary["gap"] if summary.get("gap") is not None else None,
        merges=[_merge_in_words(m) for m in summary.get("merges", [])],
        cost=annual_cost(
            officers=summary["officers"],
            safety_administrators=safety_administrator_posts(district_id=scenario.district_id),
            costs=costs or planning_costs_for(district_id=scenario.district_id),
        ),
    )


def scenario_comparison_for_user(
    *, user: AnyUser, scenario_ids: list[int]
) -> list[ScenarioFigures]:
    scenarios = list(scenario_list_for_user(user=user).filter(pk__in=scenario_ids).order_by("pk"))
    names = dict(
        School.objects.filter(district_id__in={s.district_id for s in scenarios}).values_list(
            "pk", "name"
        )
    )
    figures = [
        f
        for f in (scenario_figures(scenario=s, school_names=names) for s in scenarios)
        if f is not None
    ]
    baseline_p90 = figures[0].p90_minutes if figures else None
    if len(figures) < 2 or baseline_p90 is None:
        return figures
    first = figures[0]
    return [first] + [
        replace(
            f,
            cost_per_minute_saved=cost_per_minute_saved(
                cost=f.cost.total,
                p90_minutes=f.p90_minutes,
                baseline_cost=first.cost.total,
                baseline_p90_minutes=baseline_p90,
            )
            if f.p90_minutes is not None
            else None,
        )
        for f in figures[1:]
    ]


_CHARTS: dict[tuple[int, str, str], str] = {}
"""Drawn charts by (scenario, finish time, language): a finished run never changes, and
matplotlib takes a noticeable fraction of a second per chart."""


def staffing_chart_uri(*, scenario: Scenario) -> str | None:
    """The staffing curve as an SVG data URI (the page's table is its text equivalent)."""
    rows = scenario.staffing or []
    if scenario.status != ScenarioStatus.DONE or len(rows) < 2:
        return None
    key = (scenario.pk, str(scenario.finished_at), get_language() or "")
    if key not in _CHARTS:
        if len(_CHARTS) >= 64:
            _CHARTS.clear()
        _CHARTS[key] = _staffing_chart(scenario=scenario, rows=rows)
    return _CHARTS[key]


def _staffing_chart(*, scenario: Scenario, rows: list[dict[str, Any]]) -> str:
    percentile = scenario.percentile or 90.0
    svg = staffing_chart(
        officers=[r["officers"] for r in rows],
        mean_minutes=[r["mean"] for r in rows],
        percentile_minutes=[r.get("percentile_minutes", r["p90"]) for r in rows],
        utilisation=[r["utilisation"] for r in rows],
        target_minutes=scenario.target_minutes,
        percentile=percentile,
        fmt="svg",
        labels={
            "mean": str(_("mean response")),
            "percentile": str(_("%(p)s%% of calls reached within") % {"p": f"{percentile:g}"}),
            "target": str(_("target")),
            "officers": str(_("officers")),
            "minutes": str(_("minutes")),
            "utilisation": str(_("officer utilisation")),
        },
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _current_zone_features(
    *, district_ids: set[int], points: dict[int, tuple[float, float, str, str]]
) -> list[dict[str, Any]]:
    """Today's zones (active memberships) as outlines of their schools."""
    members: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    rows = ZoneMembership.objects.filter(
        current_filter(timezone.localdate()),
        zone__district_id__in=district_ids,
        zone__active=True,
    ).values_list("zone_id", "zone__name", "school_id")
    for zone_id, name, school_id in rows:
        members.setdefault(zone_id, []).append(school_id)
        names[zone_id] = name
    features = []
    for zone_id, school_ids in sorted(members.items()):
        coords = [points[i][:2] for i in school_ids if i in points]
        if coords:
            features.append(
                {
                    "type": "Feature",
                    "geometry": outline(coords),
                    "properties": {"zone": names[zone_id], "schools": len(coords)},
                }
            )
    return features


def scenario_layers_for_user(*, user: AnyUser, scenario_ids: list[int]) -> dict[str, Any]:
    """GeoJSON zone outlines per scenario, today's zones, and the schools, for the
    comparison map."""
    scenarios = [
        s for s in scenario_list_for_user(user=user).filter(pk__in=scenario_ids) if s.summary
    ]
    district_ids = {s.district_id for s in scenarios}
    points = {
        school.pk: (school.longitude, school.latitude, school.name, school.level)
        for school in School.objects.filter(district_id__in=district_ids).only(
            "id", "longitude", "latitude", "name", "level"
        )
    }
    layers = []
    for scenario in sorted(scenarios, key=lambda s: s.pk):
        features = []
        for zone in (scenario.summary or {}).get("zones", []):
            coords = [points[int(i)][:2] for i in zone["school_ids"] if int(i) in points]
            if not coords:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": outline(coords),
                    "properties": {
                        "zone": zone["id"],
                        "high_school": zone.get("high_school"),
                        "schools": len(zone["school_ids"]),
                        "calls_per_day": zone.get("calls_per_day"),
                        "mean_response_minutes": zone.get("mean_response_minutes"),
                    },
                }
            )
        layers.append(
            {
                "id": scenario.pk,
                "name": scenario.name,
                "zones": {"type": "FeatureCollection", "features": features},
            }
        )
    schools = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": name, "level": level},
            }
            for lon, lat, name, level in points.values()
        ],
    }
    current = {
        "type": "FeatureCollection",
        "features": _current_zone_features(district_ids=district_ids, points=points),
    }
    return {"scenarios": layers, "current": current, "schools": schools}
