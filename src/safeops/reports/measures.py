"""The report measures, each defined once (here and in docs/reports.md), computed from the
database through the feature apps' selectors and published through disclosure control.

Built so far: SSO runs by category and priority, by zone; response time (created to on scene)
p50/p90 per priority against its target.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from safeops.dispatch.choices import Category, Priority
from safeops.dispatch.selectors import request_facts_for_reports, response_targets_for_reports
from safeops.reports.disclosure import (
    Figure,
    Protection,
    TableSet,
    count_figure,
    figure,
    protect,
)
from safeops.reports.statistics import percentile

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NO_ZONE = "none"  # a request outside every zone


@dataclass(frozen=True)
class Measure:
    key: str
    title: StrOrPromise
    definition: StrOrPromise


MEASURES = {
    measure.key: measure
    for measure in (
        Measure(
            "sso_runs",
            _("SSO runs"),
            _(
                "Support requests created in the period, by the zone serving the place and by "
                "category or priority; cancelled requests count."
            ),
        ),
        Measure(
            "response_time",
            _("Response time"),
            _(
                "Minutes from a request's creation to the officer on scene, for the requests "
                "that reached the scene: median (p50) and 90th percentile (p90, nearest rank) "
                "per priority, and how many were within the priority's target."
            ),
        ),
        Measure(
            "enforcement",
            _("Citations, arrests and uses of force"),
            _(
                "Requests cleared with a citation, an arrest or a use of force in the period: "
                "counts, rates per 1,000 students enrolled, and the relative rate index of "
                "each group (race/ethnicity, sex, disability/504, English learner) against a "
                "reference group (White; female; no disability status; not an English "
                "learner), with its confidence interval at 95% (log method)."
            ),
        ),
        Measure(
            "refusals",
            _("Discipline matters refused"),
            _(
                "Discipline matters an intake refused and sent back to school administration "
                "(nothing about the matter is kept), by the intake (dispatch, tip line…), and "
                "calls an officer found to be a discipline matter and returned to school "
                "administration (cleared as such)."
            ),
        ),
        Measure(
            "tips",
            _("Tips"),
            _(
                "Tips received in the period; the share marked imminent (by the reporter or at "
                "triage); the hours from receipt to triage (median and p90 of the tips triaged)."
            ),
        ),
        Measure(
            "threat_cases",
            _("Threat assessment cases"),
            _("Threat assessment cases opened in the period, and closed in it (counts only)."),
        ),
        Measure(
            "referrals",
            _("Referrals to services"),
            _(
                "Referrals to community services made in the period; the share that reached "
                "services (completion) and the days from the referral to services started."
            ),
        ),
        Measure(
            "staffing",
            _("Staffing"),
            _(
                "On the period's last day (a year or a term): middle schools and high schools "
                "(with combined schools) with a Safety Administrator assigned, zones with an "
                "SSO assigned, SSOs on the roster."
            ),
        ),
        Measure(
            "training",
            _("Training compliance"),
            _(
                "On the period's last day: Safety Administrators and SSOs meeting each hour "
                "requirement (district 60 h, state 40 h) and holding each certification (POPS)."
            ),
        ),
        Measure(
            "drills",
            _("Drill compliance"),
            _("Schools compliant with the drill rules on November 1 of the school year."),
        ),
        Measure(
            "facilities",
            _("Facility audits"),
            _(
                "The mean score (0-100) of each school's latest facility audit before the end "
                "of the period."
            ),
        ),
    )
}


@dataclass(frozen=True)
class ResponseFigures:
    priority: str
    target_minutes: int
    count: Figure  # requests that reached the scene
    p50_minutes: Figure
    p90_minutes: Figure
    within_target: Figure


@dataclass(frozen=True)
class DispatchReport:
    protection: Protection
    zones: list[str]
    response: list[ResponseFigures]


def dispatch_report(*, district_id: int, start: dt.datetime, end: dt.datetime) -> DispatchReport:
    """SSO runs and response times of the requests created in [start, end), protected."""
    facts = request_facts_for_reports(district_id=district_id, start=start, end=end)
    zone = {id(f): str(f["zone_id"]) if f["zone_id"] else NO_ZONE for f in facts}
    zones = sorted(set(zone.values()))
    by_category = Counter((zone[id(f)], f["category"]) for f in facts)
    by_priority = Counter((zone[id(f)], f["priority"]) for f in facts)
    table_set = TableSet()
    table_set.add_two_way(
        "runs_by_category",
        {(z, c.value): by_category[(z, c.value)] for z in zones for c in Category},
    )
    table_set.add_two_way(
        "runs_by_priority",
        {(z, p.value): by_priority[(z, p.value)] for z in zones for p in Priority},
    )
    # The two tables share each zone's total and the grand total.
    for z in [*zones, "total"]:
        table_set.relate(("runs_by_category", z, "total"), [("runs_by_priority", z, "total")])
    minutes: dict[str, list[float]] = {p.value: [] for p in Priority}
    for fact in facts:
        if fact["response_seconds"] is not None:
            minutes[fact["priority"]].append(fact["response_seconds"] / 60)
    targets = response_targets_for_reports(district_id=district_id)
    within = {p: sum(1 for m in minutes[p] if m <= targets[p]) for p in minutes}
    for p, values in minutes.items():
        table_set.add(("on_scene", p), len(values))
        table_set.add(("within_target", p), within[p])
        table_set.add(("over_target", p), len(values) - within[p])
        table_set.relate(("on_scene", p), [("within_target", p), ("over_target", p)])
    protection = protect(table_set)
    response = [
        ResponseFigures(
            priority=p,
            target_minutes=targets[p],
            count=count_figure(protection, ("on_scene", p)),
            p50_minutes=figure(protection, percentile(values, 50), built_on=[("on_scene", p)]),
            p90_minutes=figure(protection, percentile(values, 90), built_on=[("on_scene", p)]),
            within_target=count_figure(protection, ("within_target", p)),
        )
        for p, values in minutes.items()
    ]
    return DispatchReport(protection=protection, zones=zones, response=response)
