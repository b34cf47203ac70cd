"""Charts and maps beside a list, for people who look rather than read: bar charts that are
their own accessible tables (`core/_bar_chart.html`) and the school map's points
(`static/safeops/pointmap.js`, which works without map tiles)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.http import urlencode


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    css: str = ""
    url: str = ""
    width: int = 0  # the bar's length, a share of the longest in steps of 5 (CSS classes)


def bars(
    rows: Sequence[tuple[str, str, int, str]], *, link: Callable[[str], str] | None = None
) -> list[Bar]:
    """Bars for `core/_bar_chart.html` from (key, label, count, css class) rows. With `link`,
    each bar's label links to `link(key)` (the list filtered to that bar)."""
    longest = max((count for _, _, count, _ in rows), default=0) or 1
    return [
        Bar(
            key=key,
            label=label,
            count=count,
            css=css,
            url=link(key) if link else "",
            width=round(count * 20 / longest) * 5,
        )
        for key, label, count, css in rows
    ]


def point(*, name: str, lat: float, lon: float, url: str, kind: str, text: str) -> dict[str, Any]:
    return {"name": name, "lat": lat, "lon": lon, "url": url, "kind": kind, "text": text}


def point_map_config(points: list[dict[str, Any]], *, colours: dict[str, str]) -> dict[str, Any]:
    """The #point-map-config JSON of `pointmap.js`."""
    return {
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
        "colours": colours,
        "points": points,
    }


def filtered_url(base: str, keep: dict[str, str], **chosen: str) -> str:
    """`base` with the page's chosen filters (`keep`) and `chosen` replacing some of them."""
    return f"{base}?{urlencode({**keep, **chosen})}"
