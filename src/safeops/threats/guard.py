"""The discipline guard for threat intake, without refusing genuine threats.

The shared guard (safeops.core.discipline) refuses discipline matters. A threat report often
mentions discipline words in passing ("he said he'd shoot whoever took his phone", "after his
suspension he said…"), and refusing those would drop a threat. So a text that names violence,
a weapon or self-harm is never refused; otherwise the shared guard decides (and a refused
text can be confirmed as safety with a reason). Refusals are counted (no text kept).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from safeops.core.discipline import SafetyOverride, discipline_guard
from safeops.schools.models import School

# The tip line has no categories: the reporter only says why it is a safety matter.
DISCIPLINE_OVERRIDE_HINT_TIP = gettext_noop(
    "If someone could be hurt, say why in “Why this is a safety matter” and send it again."
)

THREAT_PATTERN = re.compile(
    r"\b(?:kill\w*|shoot\w*|shot|guns?|firearm|rifle|pistol|knife|knives|blade|bomb\w*|"
    r"explosive\w*|weapon\w*|hurt\w*|harm\w*|attack\w*|stab\w*|die|dead|death|murder\w*|"
    r"threat\w*|hit list|blow (?:it |the school )?up|suicid\w*|self[- ]harm|cut (?:my|him|her)self|"
    r"fight\w*|beat (?:him|her|them|you) up|assault\w*|massacre|columbine|revenge)\b",
    re.IGNORECASE,
)


def names_a_threat(text: str) -> bool:
    return THREAT_PATTERN.search(text) is not None


def threat_discipline_check(
    *,
    text: str,
    school: School | None,
    district_id: int,
    safety_reason: str = "",
    source: str = "threats",
) -> SafetyOverride | None:
    """Raise DisciplineRefusal (and count it) for a discipline matter that names no threat;
    a `SafetyOverride` to record when the user said why it is a safety matter."""
    if names_a_threat(text):
        return None
    return discipline_guard(
        category="",
        text=text,
        source=source,
        school=school,
        district_id=district_id,
        safety_reason=safety_reason,
    )
