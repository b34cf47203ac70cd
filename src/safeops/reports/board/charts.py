"""The board report's charts and zone map, drawn with matplotlib as SVG (no tiles: the map is
the zones' outlines from their schools' coordinates, so the page and the PDF work offline).
Only published figures are drawn: a withheld one is drawn as such, never as its value."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence

import shapely
from django.utils.translation import gettext as _
from matplotlib import colormaps, rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch

from safeops.reports.board.figures import Table, ZoneShape

WITHHELD_COLOUR = "#d4d4d8"
BAR_COLOUR = "#1d4ed8"
P90_COLOUR = "#93c5fd"
TARGET_COLOUR = "#b91c1c"


def _svg(figure: Figure) -> str:
    """The figure as SVG, its text kept as text (searchable, and smaller than outlines)."""
    out = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "safeops"}):
        figure.savefig(out, format="svg", bbox_inches="tight")
    return out.getvalue()


def data_uri(svg: str) -> str:
    """An SVG as a data: URI, for an <img> that the page and WeasyPrint both show."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def runs_chart(totals: Sequence[tuple[str, int | None]]) -> str:
    """District runs per category; a withheld count shows as a grey stub marked 'suppressed'."""
    figure = Figure(figsize=(7, 0.35 * len(totals) + 0.8))
    axes = figure.subplots()
    labels = [label for label, _count in totals][::-1]
    values = [count for _label, count in totals][::-1]
    top = max((v for v in values if v is not None), default=0) or 1
    for y, value in enumerate(values):
        if value is None:
            axes.barh(y, top * 0.02, color=WITHHELD_COLOUR)
            axes.text(top * 0.03, y, _("suppressed"), va="center", fontsize=8)
        else:
            axes.barh(y, value, color=BAR_COLOUR)
            axes.text(value + top * 0.01, y, str(value), va="center", fontsize=8)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.set_xlabel(_("Runs"))
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def response_chart(table: Table) -> str:
    """p50 and p90 minutes per priority against the target; withheld figures are not drawn."""
    figure = Figure(figsize=(7, 2.6))
    axes = figure.subplots()
    for y, row in enumerate(table.rows):
        target, _on_scene, p50, p90, _within = row.cells
        if p90.value is not None:
            axes.barh(y, p90.value, color=P90_COLOUR, label=_("p90") if y == 0 else None)
        if p50.value is not None:
            axes.barh(
                y, p50.value, height=0.4, color=BAR_COLOUR, label=_("p50") if y == 0 else None
            )
        if p50.value is None and p90.value is None:
            axes.text(0.5, y, _("suppressed or no data"), va="center", fontsize=8)
        goal = float(target.value or 0)
        axes.plot([goal, goal], [y - 0.4, y + 0.4], color=TARGET_COLOUR, lw=2)
    axes.set_yticks(range(len(table.rows)), [row.label for row in table.rows], fontsize=8)
    axes.set_xlabel(_("Minutes from request to on scene (red: target)"))
    axes.spines[["top", "right"]].set_visible(False)
    handles, _labels = axes.get_legend_handles_labels()
    if handles:
        axes.legend(fontsize=8, loc="lower right")
    return _svg(figure)


def zone_map(zones: Sequence[ZoneShape], totals: dict[str, int | None]) -> str:
    """The zones, shaded by their published runs (grey and hatched: withheld), labelled."""
    figure = Figure(figsize=(7, 6))
    axes = figure.subplots()
    drawn = [zone for zone in zones if zone.geometry is not None]
    top = max((v for v in totals.values() if v), default=0) or 1
    blues = colormaps["Blues"]
    latitudes: list[float] = []
    for zone in drawn:
        shape = shapely.geometry.shape(zone.geometry)
        polygons = list(shape.geoms) if hasattr(shape, "geoms") else [shape]
        value = totals.get(zone.key)
        for polygon in polygons:
            coords = list(polygon.exterior.coords)
            latitudes.extend(lat for _lon, lat in coords)
            patch = PolygonPatch(
                coords,
                closed=True,
                facecolor=WITHHELD_COLOUR if value is None else blues(0.15 + 0.75 * value / top),
                edgecolor="#1f2937",
                linewidth=0.6,
                hatch="//" if value is None else None,
                alpha=0.9,
            )
            axes.add_patch(patch)
        point = shape.representative_point()
        label = zone.name if value is None else f"{zone.name}\n{value}"
        axes.text(point.x, point.y, label, ha="center", va="center", fontsize=6)
    axes.autoscale_view()
    if latitudes:
        middle = (min(latitudes) + max(latitudes)) / 2
        axes.set_aspect(1 / math.cos(math.radians(middle)))
    axes.set_axis_off()
    return _svg(figure)
