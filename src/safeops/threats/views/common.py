"""What the threat pages share: refusals, private responses, running a posted form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeops.access import Action, Resource, can_any
from safeops.core.discipline import DisciplineRefusal

NO_ACCESS = _("Your role has no threat assessment access.")

Handlers = dict[str, tuple[Callable[[Any], forms.Form], Callable[[dict[str, Any]], object]]]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # No referrer to other sites; our own forms then send their true Origin (with "no-referrer"
    # a browser sends "Origin: null"), which the tip line's same-origin check needs.
    response["Referrer-Policy"] = "same-origin"
    return response


def _require_any(request: HttpRequest) -> None:
    user = request.user
    if not (
        can_any(user, Action.VIEW, Resource.TIP) or can_any(user, Action.VIEW, Resource.THREAT_CASE)
    ):
        raise PermissionDenied(NO_ACCESS)


def _run(
    request: HttpRequest,
    form_class: Callable[[Any], forms.Form],
    call: Callable[[dict[str, Any]], object],
) -> bool:
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(
                f"{form.fields[k].label if k in form.fields else k}: {' '.join(str(m) for m in v)}"
                for k, v in form.errors.items()
            ),
        )
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return False
    except DisciplineRefusal as error:
        messages.error(request, gettext(error.message))
        return False
    messages.success(request, gettext("Saved."))
    return True
