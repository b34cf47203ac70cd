"""The count measures' tables (`tables.Family`), each defined once: which dimensions and
categories a family's facts count in (the facts come from `reports.selectors`)."""

from __future__ import annotations

from safeops.core.demographics import DisabilityStatus, EnglishLearner, RaceEthnicity, Sex
from safeops.dispatch.choices import ENFORCEMENT_DISPOSITIONS, Category, Priority
from safeops.reports.models import GroupKind
from safeops.reports.tables import TOTAL, Dimension, Family

OUTCOMES = tuple(d.value for d in sorted(ENFORCEMENT_DISPOSITIONS))
GROUPS: dict[str, tuple[str, ...]] = {
    GroupKind.RACE_ETHNICITY.value: tuple(RaceEthnicity.values),
    GroupKind.SEX.value: tuple(Sex.values),
    GroupKind.DISABILITY.value: tuple(DisabilityStatus.values),
    GroupKind.ENGLISH_LEARNER.value: tuple(EnglishLearner.values),
}
# The reference group of each relative rate index.
REFERENCE = {
    GroupKind.RACE_ETHNICITY.value: RaceEthnicity.WHITE.value,
    GroupKind.SEX.value: Sex.FEMALE.value,
    GroupKind.DISABILITY.value: DisabilityStatus.NONE.value,
    GroupKind.ENGLISH_LEARNER.value: EnglishLearner.NO.value,
}

SSO_RUNS = Family(
    "sso_runs",
    (
        Dimension("category", tuple(Category.values)),
        Dimension("priority", tuple(Priority.values), total_is=("category", TOTAL)),
        *(Dimension(f"response_{p}", ("within", "over")) for p in Priority.values),
    ),
    timed=tuple((f"response_{p}", TOTAL) for p in Priority.values),
)
ENFORCEMENT = Family(
    "enforcement",
    (
        Dimension("outcome", OUTCOMES),
        *(
            Dimension(f"{outcome}.{kind}", groups, total_is=("outcome", outcome))
            for outcome in OUTCOMES
            for kind, groups in GROUPS.items()
        ),
    ),
)
REFUSALS = Family("refusals", (Dimension("source", ()),))
TIPS = Family(
    "tips",
    (
        Dimension("urgency", ("imminent", "other")),
        Dimension("triage", ("triaged", "untriaged"), total_is=("urgency", TOTAL)),
    ),
    timed=(("triage", "triaged"),),
)
THREAT_CASES = Family("threat_cases", (Dimension("cases", ("opened", "closed"), total=False),))
REFERRALS = Family(
    "referrals",
    (Dimension("services", ("started", "not_started")),),
    timed=(("services", "started"),),
)

FAMILIES = (SSO_RUNS, ENFORCEMENT, REFUSALS, TIPS, THREAT_CASES, REFERRALS)
