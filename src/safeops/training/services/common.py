"""Messages the training services raise, and who writes as the training office."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from safeops.access import Action, Reach, Resource, viewer_for
from safeops.accounts.models import User
from safeops.core.audit import Actor
from safeops.staff.models import Person

NOT_YOURS = _("You may only record your own training.")
ONLY_COORDINATOR = _("Only the training coordinator (or the security chief) may do this.")
OTHER_DISTRICT = _("That record belongs to another district.")
CERTIFICATE_NEEDS_USER = _("A certificate file is attached by a signed-in user.")
IN_FUTURE = _("A completion can only be recorded once it has taken place.")
NOT_YOUR_OWN = _("Nobody confirms their own training: another coordinator (or the chief) does.")
ALREADY_DECIDED = _("This record is already {status}.")
MAKE_UP_LATER = _("Make-up hours count for an earlier training year, not {year}.")
CSV_COLUMNS = (
    "The file needs the columns: email, completed_on, and topic or course"
    " (hours, provider, lms_id optional; hours default to the course's)."
)
CSV_EMPTY = "The file has no rows."
REMINDER_BODY = _("{who},\n\n{what}\n\nYour training: {url}\n\nSent by safeops (training).")


def _manages(actor: Actor, district_id: int, resource: Resource) -> bool:
    if isinstance(actor, str):
        return True
    viewer = viewer_for(actor)
    if viewer.is_superuser:
        return True
    return viewer.reach(resource, Action.CHANGE) == Reach.ALL and viewer.district_id == district_id


def _require_manager(actor: Actor, district_id: int, resource: Resource) -> None:
    if not _manages(actor, district_id, resource):
        raise PermissionDenied(ONLY_COORDINATOR)


def _is_own(actor: Actor, person_id: int) -> bool:
    return not isinstance(actor, str) and viewer_for(actor).person_id == person_id


def _check_writer(actor: Actor, person: Person) -> bool:
    """True if `actor` writes as the training office; False if for themself; else refuses.

    The office's entries are confirmed at once, so a coordinator's (or the chief's) own entry
    is an entry "for themself": it waits for someone else's confirmation."""
    if isinstance(actor, str):
        return True
    if _manages(actor, person.district_id, Resource.TRAINING_RECORD):
        return not _is_own(actor, person.pk)
    viewer = viewer_for(actor)
    if (
        viewer.person_id != person.pk
        or viewer.reach(Resource.TRAINING_RECORD, Action.CHANGE) == Reach.NONE
    ):
        raise PermissionDenied(NOT_YOURS)
    return False


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None
