"""The discipline guard for threat intake, without refusing genuine threats.

The shared guard (safeops.core.discipline) refuses discipline matters. A threat report often
mentions discipline words in passing ("he said he'd shoot whoever took his phone", "after his
suspension he said…"), and refusing those would drop a threat. So a text that names violence,
a weapon or self-harm is never refused; otherwise the shared guard decides. Refusals are
counted (no text kept) with source "threats".
"""

from __future__ import annotations

import re

from safeops.core.discipline import (
    DisciplineRefusal,
    discipline_match,
    discipline_refusal_record,
)
from safeops.schools.models import School

THREAT_PATTERN = re.compile(
    r"\b(?:kill\w*|shoot\w*|shot|guns?|firearm|rifle|pistol|knife|knives|blade|bomb\w*|"
    r"explosive\w*|weapon\w*|hurt\w*|harm\w*|attack\w*|stab\w*|die|dead|death|murder\w*|"
    r"threat\w*|hit list|blow (?:it |the school )?up|suicid\w*|self[- ]harm|cut (?:my|him|her)self|"
    r"fight\w*|beat (?:him|her|them|you) up|assault\w*|massacre|columbine|revenge)\b",
    re.IGNORECASE,
)


def names_a_threat(text: str) -> bool:
    return THREAT_PATTERN.search(text) is not None


def threat_discipline_check(*, text: str, school: School | None, district_id: int) -> None:
    """Raise DisciplineRefusal (and count it) for a discipline matter that names no threat."""
    if names_a_threat(text):
        return
    matched = discipline_match(text)
    if matched is None:
        return
    discipline_refusal_record(source="threats", school=school, district_id=district_id)
    raise DisciplineRefusal(matched=matched)
