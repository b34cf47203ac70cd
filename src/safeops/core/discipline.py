"""The discipline guard shared by every intake: SAs and SSOs do not handle discipline.

`discipline_guard(...)` refuses (raises `DisciplineRefusal`, counted without the text) a
category or a text that is a student-discipline matter and names no safety sign; the rules
are in `safeops.core.discipline_rules`. The message sends the user to school administration.

A refused text can still be filed as a safety matter: the user chooses a safety category and
says why (`safety_reason`). The guard then returns a `SafetyOverride`, and the intake records
it with `discipline_override_record` in the transaction that files the request: the reason,
who gave it, the source and the filed record, audited. A discipline *category* cannot be
overridden. `discipline_guard_counts` gives refusals and overrides by source for the reports.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Model
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from safeops.core.audit import Actor, audit_write
from safeops.core.discipline_rules import discipline_sign, verdict
from safeops.core.metrics import GUARD_READINGS
from safeops.core.models import AuditAction, DisciplineOverride, DisciplineRefusalRecord

# Marked for the catalog; translated where it is shown (the tip line: gettext(message)).
DISCIPLINE_REFUSED = gettext_noop(
    "This looks like a student discipline matter. Safety Administrators and School Safety "
    "Officers do not handle discipline: please refer it to the school's administration "
    "(principal or assistant principal)."
)
DISCIPLINE_OVERRIDE_HINT = gettext_noop(
    "If it is a safety matter, choose its safety category and say why in “Why this is a "
    "safety matter”: it will be filed, and your reason recorded."
)
SAFETY_REASON_LABEL = gettext_noop("Why this is a safety matter")
SAFETY_REASON_TOO_SHORT = gettext_noop(
    "Say why this is a safety matter (at least %(count)s characters)."
)
# A referral's hand-off note goes to a support provider, not to a safety intake: its override
# says why the note is not a discipline matter (a clothing closet, a tutoring program).
SUPPORT_OVERRIDE_HINT = gettext_noop(
    "If the note is not about discipline, say why in “Why this note is not a discipline "
    "matter”: the referral will be sent, and your reason recorded."
)
SUPPORT_REASON_LABEL = gettext_noop("Why this note is not a discipline matter")
SUPPORT_REASON_TOO_SHORT = gettext_noop(
    "Say why this note is not a discipline matter (at least %(count)s characters)."
)
SAFETY_REASON_MIN_CHARS = 12
SAFETY_REASON_MAX_CHARS = 300


def safety_reason_field(label: str = SAFETY_REASON_LABEL) -> forms.CharField:
    """The form field shown after a discipline refusal: sending the matter anyway as safety,
    with the reason recorded (every intake form uses this one; a referral form with
    `SUPPORT_REASON_LABEL`)."""
    return forms.CharField(
        max_length=SAFETY_REASON_MAX_CHARS,
        required=False,
        label=gettext_lazy(label),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisciplineRefusal(Exception):
    """A discipline matter was sent to a safety intake. `message` is for the user.

    `overridable` is False when the category itself is discipline (choose a safety one)."""

    def __init__(
        self,
        message: str = DISCIPLINE_REFUSED,
        *,
        matched: str = "",
        topic: str = "",
        overridable: bool = True,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.matched = matched
        self.topic = topic
        self.overridable = overridable


@dataclass(frozen=True)
class SafetyOverride:
    """A refused text the user confirmed as a safety matter, to record with the filing."""

    source: str
    topic: str
    reason: str


class EncoderBudget:
    """How many texts this process's guard may give the encoder: `per_second` on average, up to
    twice as many at once (a token bucket). Past it, in a surge, the rules and linear models
    decide: the encoder's ~10 ms of CPU a text would slow every call of the surge."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens = 0.0
        self._at: float | None = None

    def take(self, per_second: float) -> bool:
        if per_second <= 0:
            return False
        if math.isinf(per_second):
            return True
        burst = 2 * per_second
        with self._lock:
            now = time.monotonic()
            elapsed = burst / per_second if self._at is None else now - self._at
            self._tokens = min(burst, self._tokens + elapsed * per_second)
            self._at = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


_ENCODER_BUDGET = EncoderBudget()


def discipline_check(*, category: str, text: str) -> None:
    """Raise DisciplineRefusal when the category or the text is a discipline matter."""
    sign = discipline_sign(category or "")
    if sign is not None:
        raise DisciplineRefusal(matched=sign.words, topic=sign.topic, overridable=False)
    text = text or ""
    encoder = False
    if text.strip():
        encoder = _ENCODER_BUDGET.take(settings.DISCIPLINE_ENCODER_PER_SECOND)
        GUARD_READINGS.labels("encoder" if encoder else "rules").inc()
    found = verdict(text, encoder=encoder)
    if found.refused and found.discipline is not None:
        raise DisciplineRefusal(matched=found.discipline.words, topic=found.discipline.topic)


def discipline_guard(
    *,
    category: str,
    text: str,
    source: str,
    school: Model | None = None,
    district_id: int | None = None,
    safety_reason: str = "",
    reason_field: str = "safety_reason",
    reason_too_short: str = SAFETY_REASON_TOO_SHORT,
) -> SafetyOverride | None:
    """Refuse (and count) a discipline matter; None when it passes; a `SafetyOverride` when
    the text was refused but the user said why it is a safety matter (record it with the
    filing: `discipline_override_record`). A reason too short is a ValidationError on
    `reason_field`."""
    try:
        discipline_check(category=category, text=text)
    except DisciplineRefusal as refusal:
        reason = " ".join(safety_reason.split())
        if not refusal.overridable or not reason:
            discipline_refusal_record(source=source, school=school, district_id=district_id)
            raise
        if len(reason) < SAFETY_REASON_MIN_CHARS:
            raise ValidationError(
                {reason_field: gettext(reason_too_short) % {"count": SAFETY_REASON_MIN_CHARS}}
            ) from None
        return SafetyOverride(
            source=source[:40], topic=refusal.topic, reason=reason[:SAFETY_REASON_MAX_CHARS]
        )
    return None


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


def discipline_override_record(
    *,
    override: SafetyOverride,
    actor: Actor,
    instance: Model,
    school: Model | None = None,
    district_id: int | None = None,
) -> DisciplineOverride:
    """Record (and audit) that `instance` was filed as safety over the guard's refusal."""
    user = actor if isinstance(actor, get_user_model()) else None
    label = actor if isinstance(actor, str) else "anonymous"
    row = DisciplineOverride.objects.create(
        on=timezone.localdate(),
        district_id=district_id
        if district_id is not None
        else getattr(school, "district_id", None),
        school_id=school.pk if school is not None else None,
        source=override.source,
        topic=override.topic[:40],
        reason=override.reason,
        actor=user,
        actor_label=(user.get_username() if user is not None else label)[:150],
        target_model=instance._meta.label_lower,
        target_id=str(instance.pk),
    )
    audit_write(
        actor=actor,
        action=AuditAction.CREATE,
        instance=row,
        before=None,
        note=f"Filed {instance._meta.label_lower} {instance.pk} as safety over the guard",
    )
    return row


def discipline_guard_counts(
    *, district_id: int, start: dt.date, end: dt.date
) -> dict[str, dict[str, int]]:
    """Refusals and overrides by source for `start`..`end` (inclusive): {source: {...}}."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"refused": 0, "overridden": 0})
    for model, key in ((DisciplineRefusalRecord, "refused"), (DisciplineOverride, "overridden")):
        rows = (
            model.objects.filter(district_id=district_id, on__range=(start, end))
            .values("source")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["source"]][key] = row["n"]
    return dict(counts)
