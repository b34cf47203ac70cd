"""The compliance engine (acceptance 2), each case with its expected result worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from safeops.training import engine
from safeops.training.engine import (
    CarryRule,
    CertRule,
    CertState,
    Credit,
    Done,
    Held,
    HourRule,
    HourState,
    TopicRule,
    TopicState,
    YearRules,
)

D = Decimal
JULY = 7
DISTRICT_60 = HourRule(Credit.DISTRICT, "District training", D(60))
SRO_40 = HourRule(Credit.STATE, "SRO in-service", D(40), lapse=True)
POPS = CertRule("pops", "POPS", lapse=True)
ACTIVE_SHOOTER = TopicRule("active-shooter", "Active-shooter training", D(1), 11, 1)
IMPLICIT_BIAS = TopicRule("implicit-bias", "Implicit bias")


def district(day: str, hours: int | str, topic: str = "de-escalation", **kw: int) -> Done:
    return Done(dt.date.fromisoformat(day), D(hours), Credit.DISTRICT, topic, **kw)


def state(day: str, hours: int | str, **kw: int) -> Done:
    return Done(dt.date.fromisoformat(day), D(hours), Credit.STATE, "pops-in-service", **kw)


def assess(
    on: str,
    done: list[Done],
    *,
    rules: dict[int, YearRules] | None = None,
    carry: tuple[CarryRule, ...] = (),
    held: tuple[Held, ...] = (),
    certs: tuple[CertRule, ...] = (),
    month: int = JULY,
    grace: int = 0,
) -> engine.Assessment:
    every_year = YearRules(hours=(DISTRICT_60,))
    return engine.assess(
        on=dt.date.fromisoformat(on),
        start_month=month,
        rules_by_year=rules or {2025: every_year, 2026: every_year},
        cert_rules=certs,
        carry=carry,
        done=done,
        held=held,
        grace_days=grace,
    )


def test_training_years_run_july_to_june_by_default_and_are_configurable() -> None:
    year = engine.year_of(dt.date(2026, 6, 30), JULY)
    assert (year.key, year.start, year.end, year.label) == (
        2025,
        dt.date(2025, 7, 1),
        dt.date(2026, 6, 30),
        "2025-26",
    )
    assert engine.year_of(dt.date(2026, 7, 1), JULY).label == "2026-27"
    calendar = engine.year_of(dt.date(2026, 7, 1), 1)
    assert (calendar.start, calendar.end, calendar.label) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        "2026",
    )
    assert engine.year_of(dt.date(2027, 2, 28), 9).end == dt.date(2027, 8, 31)


def test_hours_count_in_the_training_year_they_were_earned_in() -> None:
    done = [district("2026-06-30", 10), district("2026-07-01", 8)]
    # July–June: 06-30 belongs to 2025-26, 07-01 to 2026-27. On 09-30, 92 of 365 days have
    # passed: 8 h × 365 / 92 = 31.74 → 31.7 h projected, short of 60: behind.
    status = assess("2026-09-30", done).hours[0]
    assert (status.earned, status.carried_in, status.projected) == (D(8), D(0), D("31.7"))
    assert status.state == HourState.BEHIND
    assert status.shortfall == D(52)
    # Calendar years: both completions are in 2026 (18 h); on 09-30, 273 of 365 days:
    # 18 × 365 / 273 = 24.07 → 24.1.
    calendar = assess("2026-09-30", done, month=1).hours[0]
    assert (calendar.earned, calendar.projected) == (D(18), D("24.1"))


def test_hours_carry_over_only_as_a_rule_allows() -> None:
    done = [district("2026-03-01", 55), district("2026-06-30", 10), district("2026-07-01", 8)]
    # 2025-26 earned 65 of 60: 5 h excess. Without a rule nothing carries.
    assert assess("2026-09-30", done).hours[0].carried_in == D(0)
    # Up to 10 h may carry: 5 do. 13 h in all; projection 5 + 31.74 = 36.7.
    status = assess("2026-09-30", done, carry=(CarryRule(Credit.DISTRICT, D(10)),)).hours[0]
    assert (status.carried_in, status.total, status.projected) == (D(5), D(13), D("36.7"))
    # Up to 3 h: capped at 3.
    capped = assess("2026-09-30", done, carry=(CarryRule(Credit.DISTRICT, D(3)),)).hours[0]
    assert capped.carried_in == D(3)
    # State hours never carry into district hours.
    other = assess("2026-09-30", done, carry=(CarryRule(Credit.STATE, D(10)),)).hours[0]
    assert other.carried_in == D(0)


def test_make_up_hours_count_for_the_year_they_are_booked_to() -> None:
    done = [district("2026-08-15", 20, counts_for=2025)]
    status = assess("2026-09-30", done).hours[0]
    assert status.earned == D(0)
    rules = {2025: YearRules(hours=(SRO_40,)), 2026: YearRules(hours=(SRO_40,))}
    booked = [state("2026-01-10", 12), state("2026-08-10", 28, counts_for=2025)]
    assert assess("2026-08-11", booked, rules=rules).lapses == ()


def test_a_required_topic_is_missing_while_the_hours_are_met() -> None:
    rules = {2026: YearRules(hours=(DISTRICT_60,), topics=(IMPLICIT_BIAS, ACTIVE_SHOOTER))}
    done = [
        district("2026-08-01", 40),
        district("2026-09-01", 20),
        district("2026-09-02", "0.5", topic="active-shooter"),
    ]
    # 60.5 h ≥ 60: met. Implicit bias: none. Active shooter: 0.5 h < 1 h minimum, due 11-01.
    before = assess("2026-10-31", done, rules=rules)
    assert before.hours[0].state == HourState.MET
    assert [(t.rule.topic, t.state, t.due) for t in before.missing_topics] == [
        ("implicit-bias", TopicState.MISSING, None),
        ("active-shooter", TopicState.MISSING, dt.date(2026, 11, 1)),
    ]
    after = assess("2026-11-02", done, rules=rules)
    assert [t.state for t in after.missing_topics] == [TopicState.MISSING, TopicState.OVERDUE]
    # Risk: 20 (missing) + 100 (overdue); hours met add nothing.
    assert after.risk == 120
    done.append(district("2026-11-03", "0.5", topic="active-shooter"))
    assert [t.rule.topic for t in assess("2026-11-04", done, rules=rules).missing_topics] == [
        "implicit-bias"
    ]


def test_certification_expiry_windows_and_lapse() -> None:
    held = (Held("pops", dt.date(2025, 12, 15)), Held("pops", dt.date(2026, 12, 15)))
    rules = {2026: YearRules()}

    def cert(on: str) -> engine.CertStatus:
        return assess(on, [], rules=rules, held=held, certs=(POPS,)).certs[0]

    # The newest certification counts. 2026-10-01 → 75 days left: the 90-day window.
    assert (cert("2026-10-01").state, cert("2026-10-01").window) == (CertState.EXPIRING, 90)
    assert cert("2026-10-16").window == 60  # 60 days left
    assert cert("2026-11-28").days_left == 17
    assert cert("2026-11-28").window == 30
    assert cert("2026-09-15").state == CertState.VALID  # 91 days left
    # Valid through the expiry date, expired the day after: the officer lapses.
    assert cert("2026-12-15").state == CertState.EXPIRING
    expired = assess("2026-12-16", [], rules=rules, held=held, certs=(POPS,))
    assert expired.certs[0].state == CertState.EXPIRED
    assert expired.lapses == ("POPS certification expired 2026-12-15",)
    missing = assess("2026-12-16", [], rules=rules, certs=(POPS,))
    assert missing.lapses == ("No POPS certification on file",)
    # Lapsed (1000) + missing certification (300).
    assert missing.risk == 1300


def test_unmet_sro_hours_lapse_after_the_year_and_its_grace_period() -> None:
    rules = {2025: YearRules(hours=(SRO_40,)), 2026: YearRules(hours=(SRO_40,))}
    done = [state("2025-09-01", 8), state("2026-05-01", 4)]
    # During 2025-26 the officer is behind, not lapsed.
    assert assess("2026-06-30", done, rules=rules).lapses == ()
    assert assess("2026-07-01", done, rules=rules).lapses == (
        "SRO in-service: 12 of 40 h for 2025-26",
    )
    # A 30-day grace period: 06-30 + 30 = 07-30 is the last day of grace.
    assert assess("2026-07-30", done, rules=rules, grace=30).lapses == ()
    assert assess("2026-07-31", done, rules=rules, grace=30).lapsed
    # District hours never lapse anyone.
    district_only = {2025: YearRules(hours=(DISTRICT_60,)), 2026: YearRules(hours=(DISTRICT_60,))}
    assert assess("2026-07-01", [], rules=district_only).lapses == ()


def test_risk_orders_lapsed_before_behind_before_compliant() -> None:
    rules = {2026: YearRules(hours=(DISTRICT_60,))}
    compliant = assess("2027-01-01", [district("2026-08-01", 60)], rules=rules)
    behind = assess("2027-01-01", [district("2026-08-01", 10)], rules=rules)
    # 10 h after 185 of 365 days: 10 × 365 / 185 = 19.7 h projected: 40.3 → 40 points short.
    assert (compliant.risk, behind.risk) == (0, 40)
    assert behind.hours[0].projected == D("19.7")
