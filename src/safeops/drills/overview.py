"""The drill dashboard's filter, chart and map, built from the compliance rows (no queries)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from safeops.core.charts import Bar, bars, filtered_url, point, point_map_config
from safeops.core.listing import Filter, Listing, Sort, listing_from
from safeops.drills import engine
from safeops.drills.selectors import DrillOverview, SchoolCompliance
from safeops.zones.selectors import school_filters

COLOURS = {"overdue": "#a61b1b", "due_soon": "#b25e00", "compliant": "#1e6b34"}
ORDER = (engine.Status.OVERDUE, engine.Status.DUE_SOON, engine.Status.COMPLIANT)


def status_label(status: str) -> str:
    return {
        engine.Status.OVERDUE: _("Overdue"),
        engine.Status.DUE_SOON: _("Due soon"),
        engine.Status.COMPLIANT: _("Compliant"),
    }[engine.Status(status)]


def drill_listing(params: QueryDict, overview: DrillOverview) -> Listing[SchoolCompliance]:
    zones = overview.zones
    risk = {s: n for n, s in enumerate(ORDER)}
    return listing_from(
        params,
        overview.rows,
        filters=[
            *school_filters(overview.rows, zones=zones),
            Filter(
                "status",
                _("Status"),
                [(s.value, status_label(s)) for s in ORDER],
                lambda r, v: r.compliance.status == v,
                _("All statuses"),
            ),
        ],
        sorts=[
            Sort("risk", _("Most at risk first"), lambda r: risk[r.compliance.status]),
            Sort("name", _("School name"), lambda r: r.school.name),
            Sort("zone", _("Zone"), lambda r: (zones.get(r.school.pk, "~"), r.school.name)),
        ],
        per_page=30,
        keep=("on",),
    )


def status_bars(listing: Listing[SchoolCompliance]) -> list[Bar]:
    """Schools per status among those the filters let through (each bar links to its list)."""
    counts = {s: 0 for s in ORDER}
    for row in listing.matched:
        counts[engine.Status(row.compliance.status)] += 1
    keep = {k: v for k, v in listing.extra.items() if k != "status"}
    base = reverse("drill-dashboard")
    return bars(
        [(s.value, status_label(s), counts[s], f"k-{s.value}") for s in ORDER],
        link=lambda key: filtered_url(base, keep, status=key),
    )


def drill_map(listing: Listing[SchoolCompliance]) -> dict[str, Any]:
    points = [
        point(
            name=r.school.name,
            lat=r.school.latitude,
            lon=r.school.longitude,
            url=reverse("drill-school", args=[r.school.pk]),
            kind=r.compliance.status,
            text=status_label(r.compliance.status),
        )
        for r in listing.matched
    ]
    return point_map_config(points, colours=COLOURS)
