"""The training compliance engine: plain Python over dates, hours and rules (no database; its
lapse reasons are worded with gettext, in the active language).

Given a person's rules per training year, their confirmed completions and certifications, it
answers for a day `on`: hours against each requirement (with carry-over and a projection to
the year end), the required topics still missing, certifications expiring within 30/60/90
days, whether the person has *lapsed* (see docs/training.md), and a risk score to sort by.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

ZERO = Decimal(0)
EXPIRY_WINDOWS = (30, 60, 90)


class Credit(enum.StrEnum):
    """What kind of hours a topic gives."""

    DISTRICT = "district"  # the district's yearly training (60 h for SAs and SSOs)
    STATE = "state"  # state SRO / POPS in-service (40 h for SSOs, KRS 15.404, 158.4414)


class HourState(enum.StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"


class TopicState(enum.StrEnum):
    DONE = "done"
    MISSING = "missing"
    OVERDUE = "overdue"


class CertState(enum.StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"


@dataclass(frozen=True)
class TrainingYear:
    key: int  # the calendar year the training year starts in
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if self.start.month == 1:
            return str(self.key)
        return f"{self.key}-{(self.key + 1) % 100:02d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def year_key(on: dt.date, start_month: int) -> int:
    return on.year if on.month >= start_month else on.year - 1


def training_year(key: int, start_month: int) -> TrainingYear:
    start = dt.date(key, start_month, 1)
    following = dt.date(key + 1, start_month, 1)
    return TrainingYear(key=key, start=start, end=following - dt.timedelta(days=1))


def year_of(on: dt.date, start_month: int) -> TrainingYear:
    return training_year(year_key(on, start_month), start_month)


def hours_text(value: Decimal) -> str:
    """12 → "12", 12.50 → "12.5"."""
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HourRule:
    credit: Credit
    name: str
    hours: Decimal
    lapse: bool = False  # an unmet previous year suspends the person (SSO state in-service)


@dataclass(frozen=True)
class TopicRule:
    topic: str  # topic code
    name: str
    min_hours: Decimal = ZERO  # 0: any completion of the topic in the year
    due_month: int | None = None  # e.g. active-shooter training by November 1
    due_day: int | None = None

    def due_in(self, year: TrainingYear) -> dt.date | None:
        if self.due_month is None:
            return None
        key = year.key if self.due_month >= year.start.month else year.key + 1
        return dt.date(key, self.due_month, self.due_day or 1)


@dataclass(frozen=True)
class CertRule:
    code: str
    name: str
    lapse: bool = False  # missing or expired suspends the person (SSO: POPS)


@dataclass(frozen=True)
class YearRules:
    hours: tuple[HourRule, ...] = ()
    topics: tuple[TopicRule, ...] = ()


@dataclass(frozen=True)
class CarryRule:
    credit: Credit
    max_hours: Decimal


# --- Facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Done:
    """One confirmed completion."""

    on: dt.date
    hours: Decimal
    credit: Credit
    topic: str
    counts_for: int | None = None  # make-up hours booked to an earlier training year


@dataclass(frozen=True)
class Held:
    """One confirmed certification."""

    code: str
    expires_on: dt.date | None  # None: does not expire


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HourStatus:
    rule: HourRule
    earned: Decimal
    carried_in: Decimal
    projected: Decimal
    state: HourState

    @property
    def total(self) -> Decimal:
        return self.earned + self.carried_in

    @property
    def shortfall(self) -> Decimal:
        return max(ZERO, self.rule.hours - self.total)


@dataclass(frozen=True)
class TopicStatus:
    rule: TopicRule
    hours: Decimal
    due: dt.date | None
    state: TopicState


@dataclass(frozen=True)
class CertStatus:
    rule: CertRule
    expires_on: dt.date | None
    days_left: int | None
    window: int | None  # 30, 60 or 90: the smallest window the expiry falls in
    state: CertState


@dataclass(frozen=True)
class Assessment:
    on: dt.date
    year: TrainingYear
    hours: tuple[HourStatus, ...]
    topics: tuple[TopicStatus, ...]
    certs: tuple[CertStatus, ...]
    lapses: tuple[str, ...]
    risk: int = field(default=0)

    @property
    def missing_topics(self) -> tuple[TopicStatus, ...]:
        return tuple(t for t in self.topics if t.state != TopicState.DONE)

    @property
    def lapsed(self) -> bool:
        return bool(self.lapses)

    @property
    def has_requirements(self) -> bool:
        return bool(self.hours or self.topics or self.certs)


# --- Computation -----------------------------------------------------------------------------


def effective_year(done: Done, start_month: int) -> int:
    return done.counts_for if done.counts_for is not None else year_key(done.on, start_month)


def totals_by_year(done: Iterable[Done], start_month: int) -> dict[tuple[int, Credit], Decimal]:
    totals: dict[tuple[int, Credit], Decimal] = defaultdict(lambda: ZERO)
    for item in done:
        totals[(effective_year(item, start_month), item.credit)] += item.hours
    return totals


def _required(rules: YearRules | None, credit: Credit) -> Decimal:
    if rules is None:
        return ZERO
    return sum((r.hours for r in rules.hours if r.credit == credit), ZERO)


def carried_into(
    key: int,
    credit: Credit,
    totals: Mapping[tuple[int, Credit], Decimal],
    rules_by_year: Mapping[int, YearRules],
    carry: Sequence[CarryRule],
) -> Decimal:
    """Hours of `credit` earned beyond the previous year's requirement, up to the carry rule's
    limit. Carried hours are not carried again. No rule: nothing carries."""
    limit = max((c.max_hours for c in carry if c.credit == credit), default=None)
    if limit is None or limit <= 0:
        return ZERO
    previous = key - 1
    excess = totals.get((previous, credit), ZERO) - _required(rules_by_year.get(previous), credit)
    return min(max(excess, ZERO), limit)


def _project(earned: Decimal, carried: Decimal, year: TrainingYear, on: dt.date) -> Decimal:
    if on >= year.end:
        return earned + carried
    elapsed = max(1, (on - year.start).days + 1)
    pace = earned * Decimal(year.days) / Decimal(elapsed)
    return (carried + pace).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _cert_status(rule: CertRule, held: Sequence[Held], on: dt.date) -> CertStatus:
    mine = [h for h in held if h.code == rule.code]
    if not mine:
        return CertStatus(rule, None, None, None, CertState.MISSING)
    if any(h.expires_on is None for h in mine):
        return CertStatus(rule, None, None, None, CertState.VALID)
    expires = max(h.expires_on for h in mine if h.expires_on is not None)
    days_left = (expires - on).days
    if days_left < 0:
        return CertStatus(rule, expires, days_left, None, CertState.EXPIRED)
    window = next((w for w in EXPIRY_WINDOWS if days_left <= w), None)
    state = CertState.EXPIRING if window is not None else CertState.VALID
    return CertStatus(rule, expires, days_left, window, state)


def lapse_reasons(
    *,
    on: dt.date,
    start_month: int,
    rules_by_year: Mapping[int, YearRules],
    cert_rules: Sequence[CertRule],
    carry: Sequence[CarryRule],
    done: Sequence[Done],
    held: Sequence[Held],
    grace_days: int = 0,
    totals: Mapping[tuple[int, Credit], Decimal] | None = None,
) -> tuple[str, ...]:
    """Why the person is suspended on `on` (empty: not lapsed). See docs/training.md.

    - a certification whose rule says `lapse` is missing or expired (valid through its
      expiry date);
    - a `lapse` hour requirement of the previous training year was not met (with hours
      carried in and make-up hours booked to that year) and its grace period has passed.
    """
    reasons: list[str] = []
    for rule in cert_rules:
        if not rule.lapse:
            continue
        status = _cert_status(rule, held, on)
        if status.state == CertState.MISSING:
            reasons.append(gettext("No {name} certification on file").format(name=rule.name))
        elif status.state == CertState.EXPIRED:
            reasons.append(
                gettext("{name} certification expired {expires}").format(
                    name=rule.name, expires=status.expires_on
                )
            )
    current = year_key(on, start_month)
    previous = training_year(current - 1, start_month)
    previous_rules = rules_by_year.get(previous.key)
    if previous_rules is not None and on > previous.end + dt.timedelta(days=grace_days):
        totals = totals if totals is not None else totals_by_year(done, start_month)
        for hour_rule in previous_rules.hours:
            if not hour_rule.lapse:
                continue
            total = totals.get((previous.key, hour_rule.credit), ZERO) + carried_into(
                previous.key, hour_rule.credit, totals, rules_by_year, carry
            )
            if total < hour_rule.hours:
                reasons.append(
                    gettext("{name}: {done} of {needed} h for {year}").format(
                        name=hour_rule.name,
                        done=hours_text(total),
                        needed=hours_text(hour_rule.hours),
                        year=previous.label,
                    )
                )
    return tuple(reasons)


def assess(
    *,
    on: dt.date,
    start_month: int,
    rules_by_year: Mapping[int, YearRules],
    cert_rules: Sequence[CertRule],
    carry: Sequence[CarryRule],
    done: Sequence[Done],
    held: Sequence[Held],
    grace_days: int = 0,
) -> Assessment:
    """One person's standing on `on` in the training year that contains it."""
    year = year_of(on, start_month)
    rules = rules_by_year.get(year.key, YearRules())
    totals = totals_by_year(done, start_month)
    hours = []
    for rule in rules.hours:
        earned = totals.get((year.key, rule.credit), ZERO)
        carried = carried_into(year.key, rule.credit, totals, rules_by_year, carry)
        projected = _project(earned, carried, year, on)
        if earned + carried >= rule.hours:
            state = HourState.MET
        elif projected >= rule.hours:
            state = HourState.ON_TRACK
        else:
            state = HourState.BEHIND
        hours.append(HourStatus(rule, earned, carried, projected, state))
    by_topic: dict[str, Decimal] = defaultdict(lambda: ZERO)
    seen: set[str] = set()
    for item in done:
        if effective_year(item, start_month) == year.key:
            by_topic[item.topic] += item.hours
            seen.add(item.topic)
    topics = []
    for topic_rule in rules.topics:
        got = by_topic.get(topic_rule.topic, ZERO)
        due = topic_rule.due_in(year)
        if topic_rule.topic in seen and got >= topic_rule.min_hours:
            topic_state = TopicState.DONE
        elif due is not None and on > due:
            topic_state = TopicState.OVERDUE
        else:
            topic_state = TopicState.MISSING
        topics.append(TopicStatus(topic_rule, got, due, topic_state))
    certs = tuple(_cert_status(rule, held, on) for rule in cert_rules)
    lapses = lapse_reasons(
        on=on,
        start_month=start_month,
        rules_by_year=rules_by_year,
        cert_rules=cert_rules,
        carry=carry,
        done=done,
        held=held,
        grace_days=grace_days,
        totals=totals,
    )
    result = Assessment(on, year, tuple(hours), tuple(topics), certs, lapses)
    return Assessment(on, year, result.hours, result.topics, certs, lapses, risk_score(result))


@dataclass(frozen=True)
class RiskPart:
    """One reason a person's risk score is what it is: `points` for `kind` (lapsed,
    cert_expired, cert_missing, cert_expiring, topic_overdue, topic_missing, hours_behind) of
    the rule called `name`; `amount` is the days to expiry or the hours short."""

    kind: str
    name: str
    points: int
    amount: int = 0


CERT_POINTS = {CertState.EXPIRED: 300, CertState.MISSING: 300}
EXPIRING_POINTS = {30: 50, 60: 20, 90: 10}
TOPIC_POINTS = {TopicState.OVERDUE: 100, TopicState.MISSING: 20}
LAPSED_POINTS = 1000


def risk_parts(assessment: Assessment) -> list[RiskPart]:
    """What the risk score adds up, largest first (the score is their sum)."""
    parts = [RiskPart("lapsed", "", LAPSED_POINTS)] if assessment.lapsed else []
    for cert in assessment.certs:
        if cert.state in CERT_POINTS:
            parts.append(RiskPart(f"cert_{cert.state}", cert.rule.name, CERT_POINTS[cert.state]))
        elif cert.state == CertState.EXPIRING and EXPIRING_POINTS.get(cert.window or 0):
            points = EXPIRING_POINTS[cert.window or 0]
            parts.append(RiskPart("cert_expiring", cert.rule.name, points, cert.window or 0))
    for topic in assessment.topics:
        if topic.state in TOPIC_POINTS:
            kind = f"topic_{topic.state}"
            parts.append(RiskPart(kind, topic.rule.name, TOPIC_POINTS[topic.state]))
    for status in assessment.hours:
        if status.state == HourState.BEHIND:
            short = max(ZERO, status.rule.hours - status.projected)
            points = int(short.to_integral_value(rounding=ROUND_HALF_UP))
            if points:
                parts.append(RiskPart("hours_behind", status.rule.name, points, points))
    return sorted(parts, key=lambda p: -p.points)


def risk_score(assessment: Assessment) -> int:
    """Higher is riskier. Lapsed first, then expired or missing certifications, overdue
    topics, hours behind pace (1 point per projected hour short), expiring certifications
    and missing topics."""
    return sum(part.points for part in risk_parts(assessment))
