"""The discipline guard shared by every intake form: SAs and SSOs do not handle discipline.

`discipline_check(category=..., text=...)` raises `DisciplineRefusal` when a category or a
text is a student-discipline matter (dress code, tardiness, phone use, defiance, suspension…).
The message sends the user to school administration. `discipline_refusal_record` counts the
refusal for the reports: date, school, source; never the refused text.
"""

from __future__ import annotations

import re

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_noop

from safeops.core.models import DisciplineRefusalRecord

# Marked for the catalog; translated where it is shown (the tip line: gettext(message)).
DISCIPLINE_REFUSED = gettext_noop(
    "This looks like a student discipline matter. Safety Administrators and School Safety "
    "Officers do not handle discipline: please refer it to the school's administration "
    "(principal or assistant principal)."
)

# Word-boundary patterns, matched case-insensitively. Each is narrow enough that ordinary
# safety text ("phone number", "suspended ceiling", "uniformed officer") does not match.
DISCIPLINE_PATTERNS: tuple[str, ...] = (
    r"discipline|disciplinary",
    r"dress[\s_-]*code|out of uniform|uniform (?:violation|policy)|not in uniform",
    r"tardy|tardies|tardiness|late (?:to|for) (?:class|school|homeroom)",
    r"(?:cell|mobile)?[\s_-]*phone[\s_-]*(?:use|usage|policy|violation)",
    r"(?:using|on) (?:a|his|her|their|the) (?:cell )?phone in class",
    r"(?:confiscat\w*|take away|took away) (?:a|his|her|their|the) (?:cell )?phone",
    r"refus\w* to (?:hand over|give up|put away) (?:a|his|her|their|the) (?:cell )?phone",
    r"defiance|defiant|disrespect\w*|insubordinat\w*|talking back|talked back",
    r"refus\w* to follow (?:directions|instructions|rules)",
    r"suspension|suspend (?:him|her|them|the student)|expulsion|expel\w*|detention",
    r"skipping class|skipped class|cutting class|truan\w*",
    r"chewing gum|gum",
    r"hall pass|dress violation|sagging pants",
    r"cursing at (?:a|the) teacher|profanity|foul language",
    r"sleeping in class|class disruption|disrupting (?:the )?class",
)
_DISCIPLINE_RE = re.compile(
    r"\b(?:" + "|".join(f"(?:{p})" for p in DISCIPLINE_PATTERNS) + r")\b", re.IGNORECASE
)


class DisciplineRefusal(Exception):
    """A discipline matter was sent to a safety intake. `message` is for the user."""

    def __init__(self, message: str = DISCIPLINE_REFUSED, *, matched: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.matched = matched


def discipline_match(text: str) -> str | None:
    """The first discipline phrase in `text`, or None."""
    found = _DISCIPLINE_RE.search(text.replace("_", " "))
    return found.group(0) if found else None


def discipline_check(*, category: str, text: str) -> None:
    """Raise DisciplineRefusal when the category or the text is a discipline matter."""
    for value in (category, text):
        matched = discipline_match(value or "")
        if matched is not None:
            raise DisciplineRefusal(matched=matched)


def discipline_refusal_record(
    *, source: str, school: Model | None = None, district_id: int | None = None
) -> DisciplineRefusalRecord:
    """Count one refusal (no free text is stored); `school` is a schools.School (core is below)."""
    return DisciplineRefusalRecord.objects.create(
        on=timezone.localdate(),
        school_id=school.pk if school is not None else None,
        district_id=district_id
        if district_id is not None
        else getattr(school, "district_id", None),
        source=source[:40],
    )
