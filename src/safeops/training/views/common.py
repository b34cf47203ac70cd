"""What the training pages share: messages, the acting person and district, record forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeops.access import Action, Reach, Resource, can_any, viewer_for
from safeops.schools.models import District
from safeops.staff.models import Person
from safeops.training.selectors import (
    training_people_for_user,
)

NO_TRAINING_ACCESS = _("Your role has no training records.")
NOT_MANAGER = _("Only the training coordinator (or the security chief) may do this.")
RECORDED_PENDING = _("Recorded. It counts once the training coordinator confirms it.")
RECORDED = _("Recorded and confirmed.")
IMPORTED = _("Imported {created} new, {updated} updated, {unchanged} unchanged completion(s).")
CONFIRMED = _("Confirmed.")
REJECTED = _("Rejected.")
UPLOADED = _("Certificate attached.")
SAVED = _("Saved.")
DEFAULTS_LOADED = _("Added {count} default catalog and rule rows.")


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _require_view(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Resource.TRAINING_RECORD):
        raise PermissionDenied(NO_TRAINING_ACCESS)


def _manager(request: HttpRequest) -> bool:
    reach = viewer_for(request.user).reach(Resource.TRAINING_RECORD, Action.CHANGE)
    return reach == Reach.ALL


def _district(request: HttpRequest) -> District:
    viewer = viewer_for(request.user)
    if viewer.district_id is None:
        raise PermissionDenied(NO_TRAINING_ACCESS)
    return District.objects.get(pk=viewer.district_id)


def _people_choices(request: HttpRequest) -> Any:
    if not _manager(request):
        return None
    return training_people_for_user(user=request.user).order_by("full_name")


def _target(request: HttpRequest, form_person: Person | None) -> Person:
    if form_person is not None:
        return form_person
    person_id = viewer_for(request.user).person_id
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise PermissionDenied(NO_TRAINING_ACCESS)
    return person


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)
