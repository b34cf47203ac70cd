"""Anonymous tips: submit, follow up with a tip code and secret phrase, triage, close.

Nothing identifying the reporter is stored. The client address is used only to count tips per
hour under a keyed hash whose random key lives one hour (TipRateSecret) and is deleted with
its counters. Imminent harm alerts the on-duty dispatcher at once, without the narrative.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeops.accounts.models import User
from safeops.core.audit import Actor, audit_read
from safeops.core.crypto import encrypt_bytes
from safeops.core.discipline import (
    SAFETY_REASON_LABEL,
    SafetyOverride,
    discipline_override_record,
)
from safeops.core.notify.services import page_call_tree
from safeops.core.notify.words import every_language
from safeops.core.services import model_create, model_update
from safeops.core.uploads import JPEG, PDF, PNG, read_checked_upload
from safeops.dispatch.choices import AlertKind
from safeops.dispatch.services import district_alert
from safeops.schools.models import District, School
from safeops.threats.choices import TipCloseReason, TipEventKind, TipStatus, Urgency
from safeops.threats.guard import threat_discipline_check
from safeops.threats.models import Tip, TipAttachment, TipEvent, TipRateCount, TipRateSecret

REPORTER = "anonymous:tip-line"
SEALED_REASON = "(the reporter's reason is sealed with the tip)"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PHRASE_WORDS = (  # noqa: SIM905
    "amber anchor apple arrow aspen badge bagel banjo beacon birch bison blue bramble brook "
    "cactus canoe cedar chalk cherry cloud clover comet coral cotton crane creek daisy delta "
    "denim dune eagle ember fable falcon fern fiddle finch flint forest fox garnet ginger "
    "glacier granite grape harbor hazel heron honey indigo iris ivory jade jasper juniper kayak "
    "kettle kite lagoon lantern lemon lilac lotus maple marble meadow mint moss nectar nutmeg "
    "oak ocean olive onyx orchid otter panda pebble pepper pine plum pond poppy prairie quartz "
    "quill rabbit raven reef ridge river robin saffron sage salmon sequoia shell sierra silver "
    "sparrow spruce stone summit swan thistle thunder tiger topaz tulip tundra velvet violet "
    "walnut willow wren yarrow zephyr zinnia"
).split()
PHRASE_LENGTH = 5
ATTACHMENT_TYPES = (JPEG, PNG, PDF)
MAX_ATTACHMENTS = 3
LOOKUP_LIMIT_PER_HOUR = 30
HOAX_LOOKBACK_DAYS = 30

# Shown to the reporter: translated when displayed (docs/accessibility-and-languages.md).
TIP_NEEDS_TEXT = _("Tell us what you saw or heard.")
TIP_NEEDS_PLACE = _("Choose a school or say where it is.")
TIP_WRONG_DISTRICT = _("Choose a school of this district.")
TIP_TOO_MANY_FILES = format_lazy(_("Attach at most {count} files."), count=MAX_ATTACHMENTS)
RATE_LIMITED = _(
    "Too many tips were sent from this connection in the last hour. If someone is in danger "
    "now, call 911."
)
LOOKUP_FAILED = _("No tip matches that code and phrase.")
TIP_CLOSED = _("This tip is closed.")
ANSWER_NEEDS_TEXT = _("Write your answer.")
PLACE_MAX_CHARS = 200
TEXT_TOO_LONG = _("Keep this under {limit} characters (it has {count}).")
CROSS_SITE_REFUSED = _(
    "This tip was sent from another website, so it was not accepted. To send a tip, use the "
    "form on this page. If someone is in danger now, call 911."
)
JSON_REQUIRED = _("Send the tip as JSON (Content-Type: application/json).")


class RateLimited(Exception):
    """Too many submissions (or look-ups) in this window from one keyed address hash."""


@dataclass(frozen=True)
class TipReceipt:
    tip: Tip
    code: str
    phrase: str  # shown once, never stored


# --- Rate limits without identities ------------------------------------------------------------


def _window(now: dt.datetime) -> dt.datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def rate_limit_count(*, address: str, purpose: str, limit: int) -> int:
    """Count one use by `address` this hour; RateLimited past `limit`. Only a keyed hash is
    kept, under a random key that is deleted (with the counts) when the hour is over."""
    window = _window(timezone.now())
    with transaction.atomic():
        TipRateCount.objects.filter(window_start__lt=window).delete()
        TipRateSecret.objects.filter(window_start__lt=window).delete()
        secret, _ = TipRateSecret.objects.get_or_create(
            window_start=window, defaults={"secret": secrets.token_hex(32)}
        )
        digest = hmac.new(
            secret.secret.encode(), f"{purpose}|{address}".encode(), hashlib.sha256
        ).hexdigest()
        row, _ = TipRateCount.objects.get_or_create(window_start=window, digest=digest)
        TipRateCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
        count = row.count + 1
    if count > limit:
        raise RateLimited(RATE_LIMITED)
    return count


# --- Codes, phrases, fingerprints --------------------------------------------------------------


def _phrase_digest(code: str, phrase: str) -> str:
    normal = " ".join(phrase.lower().split())
    key = f"safeops-tip-phrase:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{code}|{normal}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if not Tip.objects.filter(code=code).exists():
            return code


def _fingerprint(text: str) -> str:
    normal = " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())
    key = f"safeops-tip-fingerprint:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def _hoax_flags(*, district_id: int, fingerprint: str, burst: int) -> str:
    since = timezone.now() - dt.timedelta(days=HOAX_LOOKBACK_DAYS)
    same = Tip.objects.filter(
        district_id=district_id, fingerprint=fingerprint, created_at__gte=since
    )
    flags = []
    if same.filter(close_reason=TipCloseReason.HOAX).exists():
        flags.append("repeats a tip closed as a hoax")
    if same.count() >= 2:
        flags.append(f"same text as {same.count()} recent tips")
    if burst >= 3:
        flags.append(f"{burst} tips from one connection this hour")
    return "; ".join(flags)[:200]


# --- Submitting ----------------------------------------------------------------------------------


def tip_submit(
    *,
    district: District,
    school: School | None,
    place: str,
    what: str,
    when_text: str,
    urgency: Urgency,
    attachments: Sequence[UploadedFile] = (),
    address: str,
    safety_reason: str = "",
) -> TipReceipt:
    """Receive an anonymous tip. `address` (the client's) only feeds the rate limit.

    Everything is validated before anything is written; a discipline matter that names no
    threat is refused with guidance (DisciplineRefusal), unless `safety_reason` says why it is a
    safety matter: the reason is then sealed with the tip's text and the override counted."""
    errors: dict[str, object] = {}
    if not what.strip():
        errors["what"] = TIP_NEEDS_TEXT
    elif too_long := _too_long(what, settings.TIP_TEXT_MAX_CHARS):
        errors["what"] = too_long
    if school is None and not place.strip():
        errors["school"] = TIP_NEEDS_PLACE
    elif too_long := _too_long(place, PLACE_MAX_CHARS):
        errors["place"] = too_long
    if school is not None and school.district_id != district.pk:
        errors["school"] = TIP_WRONG_DISTRICT
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = TIP_TOO_MANY_FILES
    if errors:
        raise ValidationError(errors)
    files = []
    for index, upload in enumerate(attachments, start=1):
        try:
            files.append(read_checked_upload(upload, allowed=ATTACHMENT_TYPES))
        except ValidationError as error:
            message = "; ".join(error.messages)
            problem = gettext("File %(index)s: %(message)s") % {
                "index": index,
                "message": message,
            }
            raise ValidationError({"attachments": problem}) from None
    override = threat_discipline_check(
        text=f"{place}\n{what}",
        school=school,
        district_id=district.pk,
        safety_reason=safety_reason,
        source="tips",
    )
    if override is not None:
        # The reporter's words stay sealed with the tip; the override record names no text.
        what = f"{what.strip()}\n\n{gettext(SAFETY_REASON_LABEL)}: {override.reason}"
        override = SafetyOverride(override.source, override.topic, SEALED_REASON)
    burst = rate_limit_count(
        address=address, purpose="submit", limit=settings.TIP_RATE_LIMIT_PER_HOUR
    )
    phrase = " ".join(secrets.choice(PHRASE_WORDS) for _ in range(PHRASE_LENGTH))
    fingerprint = _fingerprint(what)
    with transaction.atomic():
        code = _new_code()
        tip = model_create(
            model=Tip,
            actor=REPORTER,
            district=district,
            school=school,
            when_text=when_text.strip()[:120],
            urgency=urgency,
            code=code,
            phrase_digest=_phrase_digest(code, phrase),
            imminent=urgency == Urgency.IMMINENT,
            fingerprint=fingerprint,
            hoax_flags=_hoax_flags(district_id=district.pk, fingerprint=fingerprint, burst=burst),
            place=place.strip(),
            what=what.strip(),
        )
        _event(tip, TipEventKind.SUBMITTED, actor=REPORTER)
        for data, content_type in files:
            stored = default_storage.save(
                f"threats/tips/{secrets.token_hex(12)}.bin", ContentFile(encrypt_bytes(data))
            )
            model_create(
                model=TipAttachment,
                actor=REPORTER,
                tip=tip,
                file=stored,
                content_type=content_type,
                size=len(data),
                digest=hashlib.sha256(data).hexdigest(),
            )
        if override is not None:
            discipline_override_record(
                override=override,
                actor=REPORTER,
                instance=tip,
                school=school,
                district_id=district.pk,
            )
        if tip.imminent:
            _alert_dispatch(tip)
    return TipReceipt(tip=tip, code=code, phrase=phrase)


def _too_long(text: str, limit: int) -> str | None:
    count = len(text.strip().replace("\r\n", "\n"))  # a browser sends a line break as CRLF
    return str(TEXT_TOO_LONG).format(limit=limit, count=count) if count > limit else None


def _event(tip: Tip, kind: TipEventKind, *, actor: Actor, body: str = "") -> TipEvent:
    author = actor if isinstance(actor, User) else None
    return model_create(model=TipEvent, actor=actor, tip=tip, kind=kind, author=author, body=body)


def dispatch_link(tip: Tip) -> str:
    query = "category=threat_to_harm&priority=p1"
    if tip.school_id:
        query = f"school={tip.school_id}&{query}"
    return f"/dispatch/requests/new/?{query}"


def _tip_concern(tip: Tip) -> str:
    """What kind of concern, in words that reveal nothing the reporter wrote."""
    if tip.urgency == Urgency.IMMINENT:
        return str(Urgency.IMMINENT.label)
    return gettext("marked imminent at triage")


def _alert_dispatch(tip: Tip) -> None:
    school = tip.school.name if tip.school else ""
    district_alert(
        district_id=tip.district_id,
        kind=AlertKind.IMMINENT_TIP,
        params={"code": tip.code, "place": school},  # no school: worded when read
        link=dispatch_link(tip),
    )
    # The on-call dispatcher is paged through the call tree with the school and the kind of
    # concern, never the tip's words (they stay with the threat team); in each one's language.
    page_call_tree(
        district_id=tip.district_id,
        title=every_language(lambda: gettext("Imminent-harm tip %(code)s") % {"code": tip.code}),
        body=every_language(
            lambda: (
                gettext("%(place)s: %(concern)s. Call 911 if anyone is in danger now.")
                % {
                    "place": school or gettext("a place outside a listed school"),
                    "concern": _tip_concern(tip),
                }
            )
        ),
        link=dispatch_link(tip),
        ref=f"threats.tip:{tip.pk}",
    )
    Tip.objects.filter(pk=tip.pk).update(alerted_at=timezone.now())
    tip.alerted_at = timezone.now()
    _event(tip, TipEventKind.ALERTED, actor="system:tip-alert")


# --- The reporter's follow-up -------------------------------------------------------------------


def tip_lookup(*, code: str, phrase: str, address: str) -> Tip:
    """The tip for this code and phrase (audited as an anonymous read); ValidationError if none."""
    rate_limit_count(address=address, purpose="lookup", limit=LOOKUP_LIMIT_PER_HOUR)
    code = code.strip().upper()
    tip = Tip.objects.filter(code=code).first()
    if tip is None or not hmac.compare_digest(tip.phrase_digest, _phrase_digest(code, phrase)):
        raise ValidationError({"code": LOOKUP_FAILED})
    audit_read(actor=REPORTER, instance=tip, note="tip-code page")
    return tip


def tip_answer(*, tip: Tip, answer: str) -> TipEvent:
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_NEEDS_TEXT})
    if too_long := _too_long(answer, settings.TIP_TEXT_MAX_CHARS):
        raise ValidationError({"answer": too_long})
    if tip.status == TipStatus.CLOSED:
        raise ValidationError({"answer": TIP_CLOSED})
    return _event(tip, TipEventKind.ANSWER, actor=REPORTER, body=answer.strip())


# --- Staff -------------------------------------------------------------------------------------


def tip_triage(*, tip: Tip, actor: Actor, imminent: bool, note: str = "") -> Tip:
    """Triage a tip; marking it imminent alerts the dispatcher (once)."""
    if tip.status == TipStatus.CLOSED:
        raise ValidationError(TIP_CLOSED)
    with transaction.atomic():
        data: dict[str, object] = {"imminent": tip.imminent or imminent}
        if tip.status == TipStatus.NEW:
            data.update(
                status=TipStatus.TRIAGED,
                triaged_at=timezone.now(),
                triaged_by=actor if not isinstance(actor, str) else None,
            )
        tip = model_update(instance=tip, actor=actor, data=data, note="triage")
        _event(tip, TipEventKind.TRIAGED, actor=actor, body=note.strip())
        if tip.imminent and tip.alerted_at is None:
            _alert_dispatch(tip)
    return tip


def tip_ask(*, tip: Tip, actor: Actor, question: str) -> TipEvent:
    if not question.strip():
        raise ValidationError({"question": gettext("Write the question.")})
    if tip.status == TipStatus.CLOSED:
        raise ValidationError(TIP_CLOSED)
    return _event(tip, TipEventKind.QUESTION, actor=actor, body=question.strip())


def tip_note(*, tip: Tip, actor: Actor, note: str) -> TipEvent:
    if not note.strip():
        raise ValidationError({"note": gettext("Write the note.")})
    return _event(tip, TipEventKind.NOTE, actor=actor, body=note.strip())


def tip_close(*, tip: Tip, actor: Actor, reason: TipCloseReason, note: str = "") -> Tip:
    if tip.status == TipStatus.CLOSED:
        raise ValidationError(TIP_CLOSED)
    if reason not in TipCloseReason.values:
        raise ValidationError({"reason": gettext("Choose a reason.")})
    with transaction.atomic():
        tip = model_update(
            instance=tip,
            actor=actor,
            data={"status": TipStatus.CLOSED, "closed_at": timezone.now(), "close_reason": reason},
        )
        with translation.override(settings.LANGUAGE_CODE):  # stored in one language
            body = str(TipCloseReason(reason).label)
        _event(tip, TipEventKind.CLOSED, actor=actor, body=body)
        if note.strip():
            _event(tip, TipEventKind.NOTE, actor=actor, body=note.strip())
    return tip


def tip_link(*, tip: Tip, actor: Actor, case_id: int) -> Tip:
    with transaction.atomic():
        tip = model_update(instance=tip, actor=actor, data={"status": TipStatus.LINKED})
        _event(tip, TipEventKind.LINKED, actor=actor)
    return tip
