"""The data dictionary of the dashboard's downloads: every column, every measure, dimension and
statistic, with their definitions (translated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from safeops.reports.families import FAMILIES
from safeops.reports.labels import STATS, label
from safeops.reports.measures import MEASURES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COLUMNS: list[tuple[str, StrOrPromise]] = [
    (
        "period",
        _(
            "The school year (2025-26: July to June), a term (2025-26-fall, "
            "2025-26-spring) or a month (2025-09)."
        ),
    ),
    (
        "scope",
        _(
            "district; zone:<id>; level:<school level>; school:<id> (the first dimension's "
            "total by school); none: outside every zone or school."
        ),
    ),
    ("measure", _("The measure (see the measures below).")),
    ("dimension", _("What the measure is broken down by (category, priority, outcome…).")),
    ("category", _("The row within the dimension; total: the sum of its categories.")),
    ("stat", _("What the value is (see the statistics below).")),
    ("value", _("The figure; empty when withheld.")),
    (
        "withheld",
        _(
            "Why the value is empty: suppressed (a count under 10, or a count that would "
            "reveal one), built_on_suppressed (a rate, index, share or percentile computed "
            "from a suppressed count)."
        ),
    ),
]


def dictionary() -> dict[str, Any]:
    """Columns, measures (with their dimensions and categories) and statistics, as text."""
    measures: dict[str, dict[str, Any]] = {
        key: {"title": str(m.title), "definition": str(m.definition)} for key, m in MEASURES.items()
    }
    for family in FAMILIES:
        measures.setdefault(family.measure, {"title": family.measure, "definition": ""})
        measures[family.measure]["dimensions"] = {
            d.name: [f"{c} ({label(c)})" for c in d.categories] for d in family.dimensions
        }
    return {
        "columns": {name: str(text) for name, text in COLUMNS},
        "measures": measures,
        "stats": {key: str(text) for key, text in STATS.items()},
    }
