"""Shared pieces of the dispatch services: messages, results, settings, the acting user."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings as django_settings
from django.utils.translation import gettext_lazy as _

from safeops.access import Viewer, viewer_for
from safeops.accounts.models import User
from safeops.core.audit import Actor
from safeops.core.caches import TimedCache
from safeops.dispatch.choices import Status
from safeops.dispatch.models import (
    DispatchSettings,
    StatusEvent,
    SupportRequest,
)
from safeops.dispatch.recommend import (
    Candidate,
)
from safeops.staff.choices import Role

ESCALATE_JOB = "dispatch.escalate"
ESCALATION_ACTOR = "system:escalation"
SUPERVISOR_ROLES = frozenset({Role.SECURITY_CHIEF, Role.DISPATCHER})
# File for their own schools (a security monitor too: they are often first to see trouble).
REQUESTER_ROLES = frozenset({Role.SAFETY_ADMINISTRATOR, Role.PRINCIPAL, Role.SECURITY_MONITOR})

MAY_NOT_REQUEST = _(
    "Only Safety Administrators, principals, security monitors, dispatchers and the security "
    "chief file support requests."
)
SCHOOL_NOT_YOURS = _("You may file support requests only for your own schools.")
NEED_A_PLACE = _("Pick a school, or give the point (latitude and longitude) and describe it.")
POINT_NEEDS_BOTH = _("Give both latitude and longitude.")
UNKNOWN_CATEGORY = _("Choose one of the categories: {choices}.")
UNKNOWN_PRIORITY = _("Choose P1, P2 or P3.")
MAY_NOT_ASSIGN = _("Only dispatchers and the security chief assign officers.")
MAY_NOT_REPORT = _("Only the assigned officer or a dispatcher reports this status.")
MAY_NOT_CANCEL = _("Only the requesting school or a dispatcher may cancel a request.")
MAY_NOT_CHANGE_OFFICER = _("You may change only your own duty and position.")
OFFICER_REQUIRED = _("Choose the officer.")
UNKNOWN_OFFICER = _("No such School Safety Officer in this district.")
DISPOSITION_REQUIRED = _("Choose a disposition to clear the request.")
DISPOSITION_ONLY_WHEN_CLEARING = _("A disposition is given only when clearing.")
DEMOGRAPHICS_REQUIRED = _(
    "A {disposition} needs a reason and the student's race/ethnicity, sex, disability status "
    "and English-learner status."
)
DEMOGRAPHICS_NOT_ALLOWED = _(
    "Demographic fields are recorded only for citation, arrest or use of force."
)


@dataclass(frozen=True)
class DemographicsInput:
    reason: str
    race_ethnicity: str
    sex: str
    disability_status: str
    english_learner: str


@dataclass(frozen=True)
class Change:
    """One asked-for lifecycle change, carried as is from the service through the retry and the
    locks to its action class. `to_status` None: assign (or reassign)."""

    request_id: int
    to_status: Status | None
    officer_id: int | None
    actor: Actor
    key: str = ""
    disposition: str = ""
    note: str = ""
    demographics: DemographicsInput | None = None
    override_reason: str = ""  # why a lapsed officer is sent (the district's lapsed policy)


@dataclass(frozen=True)
class RequestCreated:
    request: SupportRequest
    candidates: list[Candidate]
    replayed: bool
    recommend_seconds: float = 0.0  # time spent ranking officers (Server-Timing)


@dataclass(frozen=True)
class TransitionResult:
    request: SupportRequest
    event: StatusEvent
    replayed: bool


_settings_cache: TimedCache[int, DispatchSettings] = TimedCache(
    seconds=lambda: float(django_settings.PROCESS_CACHE_SECONDS)
)


def dispatch_settings_get(*, district_id: int) -> DispatchSettings:
    """The district's settings row, or an unsaved row with the defaults. Read on every request,
    so cached briefly (core.caches); saving or deleting the row drops it. Treat it as read-only."""

    def load() -> DispatchSettings:
        found = DispatchSettings.objects.filter(district_id=district_id).first()
        return found if found is not None else DispatchSettings(district_id=district_id)

    return _settings_cache.get(district_id, load)


def dispatch_settings_forget(*, district_id: int) -> None:
    _settings_cache.forget(district_id)


def actor_label(actor: Actor) -> tuple[User | None, str]:
    if isinstance(actor, str):
        return None, actor
    if not isinstance(actor, User) or not actor.is_authenticated:
        return None, "anonymous"
    return actor, actor.get_username()


def viewer_of(actor: Actor) -> Viewer | None:
    return None if isinstance(actor, str) else viewer_for(actor)


def is_supervisor(viewer: Viewer) -> bool:
    return viewer.is_superuser or viewer.role in SUPERVISOR_ROLES
