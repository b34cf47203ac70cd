"""Every precomputed measure on the small district of `fixture.py`, against hand-counted
figures, through disclosure control (school year 2025-26, district scope unless said)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from safeops.core.jobs import SCHEDULES
from safeops.reports.disclosure import derived_cells
from safeops.reports.families import FAMILIES
from safeops.reports.jobs import REFRESH_JOB
from safeops.reports.models import PublishedCell, Refresh
from safeops.reports.precompute import READERS, refresh, year_window
from safeops.reports.selectors import Places, refusal_facts
from safeops.reports.tables import Place, build_year
from tests.safeops.reports.fixture import TODAY, Small, build, remove

YEAR = "2025-26"


@pytest.fixture(scope="module")
def small(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Small]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        district = build()
        refresh(district_id=district.district.pk, today=TODAY)
        yield district
        remove(district)


def cell(
    small: Small,
    measure: str,
    dimension: str,
    category: str,
    stat: str = "count",
    *,
    period: str = YEAR,
    scope: str = "district",
) -> tuple[float | None, str]:
    row = PublishedCell.objects.get(
        district=small.district,
        period=period,
        scope=scope,
        measure=measure,
        dimension=dimension,
        category=category,
        stat=stat,
    )
    return row.value, row.withheld


pytestmark = pytest.mark.django_db


def test_sso_runs_by_category_and_priority_year_term_month_zone_and_school(small: Small) -> None:
    # 12 P1 fights + 36 P2 fights (the citations' runs) + 15 P3 patrol checks = 63
    assert cell(small, "sso_runs", "category", "fight_assault") == (48, "")
    assert cell(small, "sso_runs", "category", "patrol_check") == (15, "")
    assert cell(small, "sso_runs", "category", "total") == (63, "")
    assert cell(small, "sso_runs", "priority", "p2") == (36, "")
    # all in September, so the fall term and the month hold the same counts
    assert cell(small, "sso_runs", "priority", "p1", period="2025-26-fall") == (12, "")
    assert cell(small, "sso_runs", "priority", "p1", period="2025-09") == (12, "")
    assert cell(small, "sso_runs", "priority", "p1", period="2025-10") == (0, "")
    # zone B: 36 + 15 runs; the high school's total
    zone_b = f"zone:{small.zone_b.pk}"
    assert cell(small, "sso_runs", "category", "total", scope=zone_b) == (51, "")
    assert cell(small, "sso_runs", "category", "total", scope="level:middle") == (12, "")
    assert cell(small, "sso_runs", "category", "total", scope=f"school:{small.high.pk}") == (51, "")


def test_response_time_percentiles_and_targets(small: Small) -> None:
    # P1 on scene after 1..12 minutes: p50 = rank ceil(6) = 6, p90 = rank ceil(10.8) = 11;
    # 5 within the 5-minute target and 7 over: both under 10, suppressed, and their share too
    assert cell(small, "sso_runs", "response_p1", "total") == (12, "")
    assert cell(small, "sso_runs", "response_p1", "total", "p50") == (6, "")
    assert cell(small, "sso_runs", "response_p1", "total", "p90") == (11, "")
    assert cell(small, "sso_runs", "response_p1", "within") == (None, "suppressed")
    assert cell(small, "sso_runs", "response_p1", "over") == (None, "suppressed")
    assert cell(small, "sso_runs", "response_p1", "within", "share") == (
        None,
        "built_on_suppressed",
    )
    # P3: 10 within 30 minutes, 5 over (suppressed): the within count stays, a complement hides
    assert cell(small, "sso_runs", "response_p3", "over") == (None, "suppressed")


def test_enforcement_counts_rates_and_relative_rate_index(small: Small) -> None:
    # 36 citations of 1,000 enrolled: 36.0 per 1,000
    assert cell(small, "enforcement", "outcome", "citation") == (36, "")
    assert cell(small, "enforcement", "outcome", "citation", "rate") == (36.0, "")
    assert cell(small, "enforcement", "outcome", "arrest", "rate") == (0.0, "")
    # Black students: 24 of 400 (60 per 1,000); White (the reference): 12 of 600 (20 per 1,000)
    race = "citation.race_ethnicity"
    assert cell(small, "enforcement", race, "black_african_american", "rate") == (60.0, "")
    assert cell(small, "enforcement", race, "white", "rate") == (20.0, "")
    # RRI = 60 / 20 = 3; SE(ln) = sqrt(1/24 - 1/400 + 1/12 - 1/600) = 0.347611;
    # 95% CI = 3 exp(-/+ 1.959964 x 0.347611) = 1.51788 .. 5.92935
    rri = cell(small, "enforcement", race, "black_african_american", "rri")[0]
    low = cell(small, "enforcement", race, "black_african_american", "rri_low")[0]
    high = cell(small, "enforcement", race, "black_african_american", "rri_high")[0]
    assert rri == pytest.approx(3.0)
    assert low == pytest.approx(1.51788, rel=1e-5)
    assert high == pytest.approx(5.92935, rel=1e-5)
    # Zone B (the high school only): 24 of 300 against 12 of 300: RRI 2
    zone_b = f"zone:{small.zone_b.pk}"
    assert cell(small, "enforcement", race, "black_african_american", "rri", scope=zone_b)[
        0
    ] == pytest.approx(2.0)
    # No enrollment by sex was imported: no rate
    assert cell(small, "enforcement", "citation.sex", "male", "rate") == (None, "")


def test_refusals_tips_cases_and_referrals(small: Small) -> None:
    # refusals: 10 by dispatch, 2 by the tip line; the total 12 is published, so the 10 hides too
    assert cell(small, "refusals", "source", "total") == (12, "")
    assert cell(small, "refusals", "source", "tips") == (None, "suppressed")
    assert cell(small, "refusals", "source", "dispatch") == (None, "suppressed")
    # tips: 25 received, 10 imminent, 20 triaged after 1..20 hours, 5 never (suppressed); the
    # received total or the triaged count must hide with it: the part, not the total (a margin
    # is hidden only when no part can protect the cell), so the 25 received and the 10
    # imminent with their share stay, and the 20 triaged hide with their hours (median rank
    # 10 -> 10, p90 rank 18 -> 18)
    assert cell(small, "tips", "triage", "untriaged") == (None, "suppressed")
    assert cell(small, "tips", "urgency", "total") == (25, "")
    assert cell(small, "tips", "triage", "total") == (25, "")
    assert cell(small, "tips", "triage", "triaged") == (None, "suppressed")
    assert cell(small, "tips", "triage", "triaged", "p50") == (None, "built_on_suppressed")
    assert cell(small, "tips", "triage", "triaged", "p90") == (None, "built_on_suppressed")
    assert cell(small, "tips", "urgency", "imminent", "share") == (0.4, "")
    # threat cases: 11 opened, 4 closed (suppressed)
    assert cell(small, "threat_cases", "cases", "opened") == (11, "")
    assert cell(small, "threat_cases", "cases", "closed") == (None, "suppressed")
    # referrals: 12 made, 2 never reached services: the 10 that did hide too, and so do their
    # completion share and median days (built on a suppressed count)
    assert cell(small, "referrals", "services", "total") == (12, "")
    assert cell(small, "referrals", "services", "started", "share") == (
        None,
        "built_on_suppressed",
    )
    assert cell(small, "referrals", "services", "started", "p50") == (
        None,
        "built_on_suppressed",
    )


def test_staffing_drills_and_the_refresh_record(small: Small) -> None:
    assert cell(small, "staffing", "middle", "schools") == (1, "")
    assert cell(small, "staffing", "zones", "zones") == (2, "")
    assert cell(small, "staffing", "zones", "with_sso") == (0, "")
    # no drill calendar: both schools compliant on November 1
    assert cell(small, "drills", "schools", "total") == (2, "")
    refreshed = Refresh.objects.get(district=small.district)
    assert refreshed.periods[:3] == [YEAR, "2025-26-fall", "2025-26-spring"]
    assert refreshed.cells == PublishedCell.objects.filter(district=small.district).count()


def test_no_published_set_lets_a_hidden_cell_be_derived(small: Small) -> None:
    """The whole year of every family, all parts together, checked by the solver."""
    places = Places(district_id=small.district.pk)
    start, end = year_window(2025)
    for family in FAMILIES:
        if family.measure == "refusals":
            facts = refusal_facts(
                district_id=small.district.pk, start=start.date(), end=end.date(), places=places
            )
        else:
            facts = READERS[family.measure](
                district_id=small.district.pk, start=start, end=end, places=places
            )
        tables = build_year(
            family,
            first=2025,
            facts=((Place(f.zone, f.level, f.school), f.on, f.cells, f.value) for f in facts),
            zones=[str(small.zone_a.pk), str(small.zone_b.pk)],
            levels=["middle", "high"],
            schools=[str(small.middle.pk), str(small.high.pk)],
        )
        protection = tables.protection
        assert derived_cells(protection.table_set, protection.suppressed) == set(), family.measure


def test_the_refresh_is_a_daily_scheduled_job() -> None:
    assert REFRESH_JOB in {schedule.kind for schedule in SCHEDULES}
