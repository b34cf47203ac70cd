"""Kentucky's drill rules, the defaults every district starts with (see
../shared/docs/kentucky-facts.md §1). A district edits or adds rules as data (admin)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from safeops.drills.engine import WindowKind

KRS_158_162 = "KRS 158.162(5)"
KRS_158_162_URL = "https://apps.legislature.ky.gov/law/statutes/statute.aspx?id=49123"
FIRE_SOURCE = gettext_noop("815 KAR 10:060 (Kentucky Standards of Safety, adopting NFPA 1/101)")
FIRE_URL = "https://apps.legislature.ky.gov/law/KAR/815/010/060.pdf"


@dataclass(frozen=True)
class DefaultType:
    code: str
    name: str
    secure_label: str  # what the timed measure is: evacuate or secure


@dataclass(frozen=True)
class DefaultRule:
    type_code: str
    kind: WindowKind
    param: int
    count: int
    extra: bool
    legal_source: str
    legal_url: str


DEFAULT_TYPES = (
    DefaultType("fire", gettext_noop("Fire"), gettext_noop("Time to evacuate")),
    DefaultType("lockdown", gettext_noop("Lockdown"), gettext_noop("Time to secure")),
    DefaultType(
        "severe_weather", gettext_noop("Severe weather"), gettext_noop("Time to reach safe zones")
    ),
    DefaultType(
        "earthquake", gettext_noop("Earthquake"), gettext_noop("Time to drop and evacuate")
    ),
)

DEFAULT_RULES = (
    DefaultRule("fire", WindowKind.EACH_MONTH, 0, 1, False, FIRE_SOURCE, FIRE_URL),
    DefaultRule("fire", WindowKind.FIRST_DAYS, 30, 1, True, FIRE_SOURCE, FIRE_URL),
    *(
        rule
        for code in ("lockdown", "severe_weather", "earthquake")
        for rule in (
            DefaultRule(code, WindowKind.FIRST_DAYS, 30, 1, False, KRS_158_162, KRS_158_162_URL),
            DefaultRule(code, WindowKind.MONTH, 1, 1, False, KRS_158_162, KRS_158_162_URL),
        )
    ),
)
