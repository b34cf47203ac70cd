"""The facility scores page's filter, chart, map and the district score in words (no queries)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safeops.core.charts import Bar, bars, filtered_url, point, point_map_config
from safeops.core.listing import Filter, Listing, Sort, listing_from
from safeops.facilities.selectors import DistrictScores, SchoolScore
from safeops.zones.selectors import school_filters

BANDS = ("never", "low", "mid", "high")
COLOURS = {"never": "#a61b1b", "low": "#b25e00", "mid": "#6b5b00", "high": "#1e6b34"}
LOW, HIGH = 70.0, 90.0


def band_of(row: SchoolScore) -> str:
    if row.latest is None:
        return "never"
    if row.latest.score < LOW:
        return "low"
    return "mid" if row.latest.score < HIGH else "high"


def band_label(band: str) -> str:
    return {
        "never": _("Never audited"),
        "low": _("Below 70"),
        "mid": _("70 to 89"),
        "high": _("90 or above"),
    }[band]


def _score_order(row: SchoolScore) -> tuple[int, float, str]:
    return (BANDS.index(band_of(row)), row.latest.score if row.latest else 0, row.school.name)


def score_listing(params: QueryDict, scores: DistrictScores) -> Listing[SchoolScore]:
    zones = scores.zones
    return listing_from(
        params,
        scores.rows,
        filters=[
            *school_filters(scores.rows, zones=zones),
            Filter(
                "band",
                _("Score"),
                [(b, band_label(b)) for b in BANDS],
                lambda r, v: band_of(r) == v,
                _("All scores"),
            ),
        ],
        sorts=[
            Sort("score", _("Lowest score first"), _score_order),
            Sort("name", _("School name"), lambda r: r.school.name),
            Sort("findings", _("Most open findings"), lambda r: -r.open_findings),
        ],
        per_page=30,
    )


def band_bars(listing: Listing[SchoolScore]) -> list[Bar]:
    """Schools per score band among those the filters let through; "Never audited" counts
    on its own bar, so an average of few schools cannot hide the many never checked."""
    counts = dict.fromkeys(BANDS, 0)
    for row in listing.matched:
        counts[band_of(row)] += 1
    keep = {k: v for k, v in listing.extra.items() if k != "band"}
    base = reverse("facility-scores")
    return bars(
        [(b, band_label(b), counts[b], f"k-{b}") for b in BANDS],
        link=lambda key: filtered_url(base, keep, band=key),
    )


def district_score_in_words(scores: DistrictScores) -> str:
    schools = len(scores.rows)
    if scores.average is None:
        return ngettext(
            "No school has been audited yet, so there is no district score: %(count)s school "
            "is waiting for its first audit.",
            "No school has been audited yet, so there is no district score: %(count)s schools "
            "are waiting for their first audit.",
            schools,
        ) % {"count": schools}
    text = ngettext(
        "The district score, %(score)s, is the average of the latest audit of %(audited)s "
        "school out of %(schools)s.",
        "The district score, %(score)s, is the average of the latest audits of %(audited)s "
        "schools out of %(schools)s.",
        scores.audited,
    ) % {"score": scores.average, "audited": scores.audited, "schools": schools}
    if scores.never_audited:
        text += " " + ngettext(
            "%(count)s school has never been audited and is not in it.",
            "%(count)s schools have never been audited and are not in it.",
            scores.never_audited,
        ) % {"count": scores.never_audited}
    if scores.audited * 2 < schools:
        text += " " + _("Fewer than half the schools are counted: read it with care.")
    return text


def score_map(listing: Listing[SchoolScore]) -> dict[str, Any]:
    points = [
        point(
            name=r.school.name,
            lat=r.school.latitude,
            lon=r.school.longitude,
            url=reverse("facility-school", args=[r.school.pk]),
            kind=band_of(r),
            text=band_label(band_of(r))
            if r.latest is None
            else _("Score %(score)s") % {"score": r.latest.score},
        )
        for r in listing.matched
    ]
    return point_map_config(points, colours=COLOURS)
