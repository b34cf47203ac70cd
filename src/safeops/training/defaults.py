"""The catalog, requirements and certification rules every district starts with (editable).

Sources (../shared/docs/kentucky-facts.md): the JCPS plan of January 2022 (60 h a year of
district training for SAs and SSOs, plus 40 h of state SRO/POPS training for SSOs; WDRB);
KRS 15.404(2) and 503 KAR 1:120 (40 h of in-service a year for every peace officer); DOCJT's
SRO I, II and III (40 h each); KRS 158.4414 (an SRO with a training gap loses certification
until it is made up); KRS 156.095(7) (active-shooter training, at least 1 h, by November 1).
Course hours other than those are starting values for the training coordinator to adjust.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_noop

from safeops.staff.choices import Role
from safeops.training.engine import Credit

JCPS_PLAN = gettext_noop("JCPS safety plan, Jan 2022 (WDRB)")
KRS_15_404 = "KRS 15.404(2); 503 KAR 1:120"
KRS_158_4414 = "KRS 158.4414 (SRO certification suspended until training is made up)"
KRS_156_095 = "KRS 156.095(7): at least 1 h by November 1"
DOCJT = "Kentucky Department of Criminal Justice Training (DOCJT)"
DISTRICT_OFFICE = gettext_noop("District training office")


@dataclass(frozen=True)
class TopicSpec:
    code: str
    name: str
    credit: Credit
    hours: Decimal  # the default course's hours
    provider: str = DISTRICT_OFFICE
    mode: str = "in_person"
    source: str = JCPS_PLAN


DEFAULT_TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        "implicit-bias",
        gettext_noop("Cross-cultural communication / implicit bias"),
        Credit.DISTRICT,
        Decimal(6),
    ),
    TopicSpec("de-escalation", gettext_noop("De-escalation"), Credit.DISTRICT, Decimal(8)),
    TopicSpec(
        "restorative-practices", gettext_noop("Restorative practices"), Credit.DISTRICT, Decimal(6)
    ),
    TopicSpec(
        "trauma-informed-care", gettext_noop("Trauma-informed care"), Credit.DISTRICT, Decimal(6)
    ),
    TopicSpec(
        "safe-crisis-management",
        gettext_noop("Safe crisis management"),
        Credit.DISTRICT,
        Decimal(8),
    ),
    TopicSpec("mtss", "MTSS", Credit.DISTRICT, Decimal(3), mode="online"),
    TopicSpec("pbis", "PBIS", Credit.DISTRICT, Decimal(3), mode="online"),
    TopicSpec(
        "idea-504", gettext_noop("Students with IDEA/504 protections"), Credit.DISTRICT, Decimal(4)
    ),
    TopicSpec(
        "behavior-handbook",
        gettext_noop("Student Support and Behavior Intervention Handbook"),
        Credit.DISTRICT,
        Decimal(3),
        mode="self_paced",
    ),
    TopicSpec(
        "bullying", gettext_noop("Bullying resources"), Credit.DISTRICT, Decimal(2), mode="online"
    ),
    TopicSpec("new-employee", gettext_noop("New employee training"), Credit.DISTRICT, Decimal(16)),
    TopicSpec("sro-1", "SRO I", Credit.STATE, Decimal(40), provider=DOCJT, source=DOCJT),
    TopicSpec("sro-2", "SRO II", Credit.STATE, Decimal(40), provider=DOCJT, source=DOCJT),
    TopicSpec("sro-3", "SRO III", Credit.STATE, Decimal(40), provider=DOCJT, source=DOCJT),
    TopicSpec(
        "active-shooter",
        gettext_noop("Active-shooter training (yearly)"),
        Credit.DISTRICT,
        Decimal(1),
        mode="online",
        source=KRS_156_095,
    ),
    TopicSpec(
        "pops-in-service",
        gettext_noop("POPS in-service"),
        Credit.STATE,
        Decimal(40),
        provider=gettext_noop("KLEC-certified academy"),
        source=KRS_15_404,
    ),
)


@dataclass(frozen=True)
class RequirementSpec:
    role: Role
    credit: Credit
    name: str
    hours: Decimal
    lapse: bool
    source: str
    topics: tuple[str, ...]  # required topic codes


ACTIVE_SHOOTER = "active-shooter"
# Required topics each year: what the plan's "first duties" and the statutes name for the role.
SA_TOPICS = (
    "implicit-bias",
    "de-escalation",
    "restorative-practices",
    "trauma-informed-care",
    "safe-crisis-management",
    "idea-504",
    "behavior-handbook",
    ACTIVE_SHOOTER,
)
SSO_TOPICS = (
    "implicit-bias",
    "de-escalation",
    "trauma-informed-care",
    "safe-crisis-management",
    "idea-504",
    "behavior-handbook",
    ACTIVE_SHOOTER,
)
DEFAULT_REQUIREMENTS: tuple[RequirementSpec, ...] = (
    RequirementSpec(
        Role.SAFETY_ADMINISTRATOR,
        Credit.DISTRICT,
        gettext_noop("District training"),
        Decimal(60),
        lapse=False,
        source=JCPS_PLAN,
        topics=SA_TOPICS,
    ),
    RequirementSpec(
        Role.SSO,
        Credit.DISTRICT,
        gettext_noop("District training"),
        Decimal(60),
        lapse=False,
        source=JCPS_PLAN,
        topics=SSO_TOPICS,
    ),
    RequirementSpec(
        Role.SSO,
        Credit.STATE,
        gettext_noop("SRO in-service"),
        Decimal(40),
        lapse=True,
        source=f"{KRS_15_404}; {KRS_158_4414}",
        topics=(),
    ),
)
POPS = "pops"
# An armed officer qualifies with their firearm on the range, yearly at least (KRS 15.404 in-
# service; the district's policy may ask for more): an expired qualification lapses the SSO.
FIREARM = "firearm"
DEFAULT_CERTIFICATION_TYPES = (
    (POPS, "POPS", "Kentucky Law Enforcement Council (Peace Officer Professional Standards)"),
    (FIREARM, gettext_noop("Firearm qualification"), gettext_noop("District range officer")),
)
DEFAULT_ROLE_CERTIFICATIONS = ((Role.SSO, POPS, True), (Role.SSO, FIREARM, True))
