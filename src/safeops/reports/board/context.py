"""What the board report's templates show for a term: the tables and the charts."""

from __future__ import annotations

from typing import Any

from safeops.reports.board import charts
from safeops.reports.board.figures import (
    TermFigures,
    category_totals,
    response_table,
    runs_table,
    zone_totals,
)
from safeops.reports.disclosure import MINIMUM_CELL
from safeops.reports.measures import MEASURES


def board_context(figures: TermFigures, *, with_charts: bool = True) -> dict[str, Any]:
    """The disclosure-controlled tables (and charts) of the board report and monitors' view."""
    response = response_table(figures)
    context: dict[str, Any] = {
        "figures": figures,
        "term": figures.term,
        "measures": MEASURES,
        "minimum_cell": MINIMUM_CELL,
        "runs_by_category": runs_table(figures, "runs_by_category"),
        "runs_by_priority": runs_table(figures, "runs_by_priority"),
        "response": response,
        "staffing": figures.staffing,
    }
    if with_charts:
        context["charts"] = {
            "runs": charts.data_uri(charts.runs_chart(category_totals(figures))),
            "response": charts.data_uri(charts.response_chart(response)),
            "map": charts.data_uri(charts.zone_map(figures.zones, zone_totals(figures))),
        }
    return context


def unsuppressed_context(figures: TermFigures) -> dict[str, Any]:
    """The chief's view: every count, each flagged with why the published tables hide it."""
    return {
        "figures": figures,
        "term": figures.term,
        "measures": MEASURES,
        "minimum_cell": MINIMUM_CELL,
        "runs_by_category": runs_table(figures, "runs_by_category", unsuppressed=True),
        "runs_by_priority": runs_table(figures, "runs_by_priority", unsuppressed=True),
        "response": response_table(figures, unsuppressed=True),
        "staffing": figures.staffing,
    }
