"""The threat team's tip pages: the dashboard, a tip, its actions and attachments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from safeops.access import Action
from safeops.core.crypto import decrypt_bytes
from safeops.threats import forms as f
from safeops.threats import tips
from safeops.threats.choices import (
    TipCloseReason,
)
from safeops.threats.selectors import (
    attachment_get_for_user,
    dashboard_for_user,
    tip_detail_for_user,
    tip_get_for_user,
)
from safeops.threats.views.common import Handlers, _private, _require_any, _run


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    board = dashboard_for_user(user=request.user)
    return render(request, "threats/dashboard.html", {"board": board})


@login_required
@require_GET
def tip_detail_view(request: HttpRequest, tip_id: int) -> HttpResponse:
    detail = tip_detail_for_user(user=request.user, tip_id=tip_id)
    context = {
        "tip": detail.tip,
        "events": detail.events,
        "attachments": detail.attachments,
        "cases": detail.cases,
        "triage_form": f.TriageForm(),
        "question_form": f.QuestionForm(),
        "note_form": f.NoteForm(),
        "close_form": f.TipCloseForm(),
        "dispatch_link": tips.dispatch_link(detail.tip),
    }
    return render(request, "threats/tip_detail.html", context)


@login_required
@require_POST
def tip_action_view(request: HttpRequest, tip_id: int, action: str) -> HttpResponse:
    tip = tip_get_for_user(user=request.user, tip_id=tip_id, action=Action.CHANGE)
    actor = request.user
    handlers: Handlers = {
        "triage": (
            f.TriageForm,
            lambda d: tips.tip_triage(
                tip=tip, actor=actor, imminent=bool(d["imminent"]), note=str(d["note"])
            ),
        ),
        "question": (
            f.QuestionForm,
            lambda d: tips.tip_ask(tip=tip, actor=actor, question=str(d["question"])),
        ),
        "note": (f.NoteForm, lambda d: tips.tip_note(tip=tip, actor=actor, note=str(d["note"]))),
        "close": (
            f.TipCloseForm,
            lambda d: tips.tip_close(
                tip=tip, actor=actor, reason=TipCloseReason(str(d["reason"])), note=str(d["note"])
            ),
        ),
    }
    if action not in handlers:
        raise PermissionDenied(gettext("Unknown action."))
    _run(request, *handlers[action])
    return redirect("threats-tip", tip_id=tip.pk)


@login_required
@require_GET
def attachment_view(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = attachment_get_for_user(user=request.user, attachment_id=attachment_id)
    with attachment.file.open("rb") as handle:
        data = decrypt_bytes(handle.read())
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="tip-{attachment.tip_id}-{attachment.pk}"'
    )
    return _private(response)
