"""What the board report's templates show for a term: the tables and the charts."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

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

logger = logging.getLogger(__name__)
# A chart is drawn once per content and language: the key is a digest of what it draws, so a
# new refresh (new published cells) or a renamed zone makes a new key, and nothing goes stale.
CHART_CACHE_SECONDS = 24 * 3600


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)  # a lazy translation, a date


def chart_uri(kind: str, draw: Callable[[], str], *inputs: Any) -> str:
    """The chart's SVG as a data URI, from Django's cache when the same chart was drawn before
    (matplotlib takes most of a board report's render); drawn anyway if the cache is down."""
    content = json.dumps([get_language(), *inputs], default=_plain, sort_keys=True)
    key = f"board-chart:{kind}:{hashlib.sha256(content.encode()).hexdigest()}"
    try:
        kept = cache.get(key)
    except Exception:  # a cache outage costs a redraw, never the page
        logger.warning("board chart cache unavailable", exc_info=True)
        return charts.data_uri(draw())
    if isinstance(kept, str):
        return kept
    uri = charts.data_uri(draw())
    try:
        cache.set(key, uri, CHART_CACHE_SECONDS)
    except Exception:  # as above
        logger.warning("board chart cache unavailable", exc_info=True)
    return uri


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
        totals = list(category_totals(figures))
        by_zone = zone_totals(figures)
        context["charts"] = {
            "runs": chart_uri("runs", lambda: charts.runs_chart(totals), totals),
            "response": chart_uri("response", lambda: charts.response_chart(response), response),
            "map": chart_uri(
                "map", lambda: charts.zone_map(figures.zones, by_zone), figures.zones, by_zone
            ),
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
