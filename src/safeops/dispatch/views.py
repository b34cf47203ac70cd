"""Dispatch pages: requester form and live status, live board, officer phone view, history."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.access import viewer_for
from safeops.core.demographics import DisabilityStatus, EnglishLearner, RaceEthnicity, Sex
from safeops.core.discipline import DISCIPLINE_OVERRIDE_HINT, DisciplineRefusal
from safeops.core.offline import service_worker_response
from safeops.dispatch.card import assignment_cards_for_user
from safeops.dispatch.choices import (
    ENFORCEMENT_DISPOSITIONS,
    OFFICER_STATUSES,
    Category,
    Disposition,
    Status,
)
from safeops.dispatch.exceptions import DispatchConflict
from safeops.dispatch.forms import OTHER_PLACE, HistoryForm, RequestForm, prefill
from safeops.dispatch.history import (
    HistoryFilters,
    history_choices_for_user,
    history_csv_for_user,
    history_for_user,
)
from safeops.dispatch.models import Alert
from safeops.dispatch.selectors import (
    board_requests_for_user,
    board_state_for_user,
    is_supervisor,
    officer_home_for_user,
    request_detail_for_user,
    request_list_for_user,
    requester_schools_for_user,
    require_board_access,
    require_request_access,
)
from safeops.dispatch.services import (
    REQUESTER_ROLES,
    alert_acknowledge,
    alert_resolve,
    request_assign,
    request_create,
    request_transition,
)
from safeops.dispatch.services.alerts import alert_payload
from safeops.staff.choices import Role

NOT_A_REQUESTER = (
    "Only Safety Administrators, principals, security monitors and dispatchers file support "
    "requests."
)


@login_required
@require_GET
def dispatch_home_view(request: HttpRequest) -> HttpResponse:
    """Send each role to its dispatch screen."""
    require_request_access(request.user)
    viewer = viewer_for(request.user)
    if is_supervisor(request.user):
        return redirect("dispatch-board")
    if viewer.role == Role.SSO:
        return redirect("dispatch-officer")
    return redirect("dispatch-request-new")


@login_required
@require_http_methods(["GET", "POST"])
def request_new_view(request: HttpRequest) -> HttpResponse:
    require_request_access(request.user)
    schools = requester_schools_for_user(user=request.user)
    viewer = viewer_for(request.user)
    if not (is_supervisor(request.user) or viewer.role in REQUESTER_ROLES):
        raise PermissionDenied(NOT_A_REQUESTER)
    form = RequestForm(request.POST or None, schools=schools, initial=prefill(request.GET))
    refused = ""
    may_override = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        other = data.get("place") == OTHER_PLACE
        school = None if other else form.school()
        latitude = data.get("latitude") if other else None
        longitude = data.get("longitude") if other else None
        if other and latitude is None and schools:
            school = schools[0]  # no position fix: filed against the school, with the place
        try:
            created = request_create(
                actor=request.user,  # type: ignore[arg-type]
                school=school,
                latitude=latitude,
                longitude=longitude,
                location_description=data.get("location_description", "") if other else "",
                category=data["category"],
                priority=data.get("priority") or "",
                summary=data["summary"],
                client_key=data.get("client_key") or "",
                safety_reason=data.get("safety_reason") or "",
            )
        except DisciplineRefusal as error:
            refused = gettext(error.message)
            may_override = error.overridable
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = field if field in form.fields else None
                for message in messages:
                    form.add_error(target, message)
        else:
            return redirect("dispatch-request-detail", request_id=created.request.pk)
    context = {
        "form": form,
        "refused": refused,
        "may_override": may_override or bool(form["safety_reason"].errors),
        "override_hint": gettext(DISCIPLINE_OVERRIDE_HINT),
        "single_school": len(schools) == 1,
        "client_key": uuid.uuid4().hex,
    }
    return render(request, "dispatch/request_new.html", context, status=422 if refused else 200)


def _detail_context(request: HttpRequest, request_id: int) -> dict[str, Any]:
    detail = request_detail_for_user(user=request.user, request_id=request_id)
    return {
        "detail": detail,
        "r": detail.request,
        "live_config": {
            "requestId": request_id,
            "socket": f"/ws/dispatch/requests/{request_id}/",
            "partial": reverse("dispatch-request-live", args=[request_id]),
            "lastSeq": detail.last_seq,
        },
        "dispositions": Disposition.choices,
    }


@login_required
@require_GET
def request_detail_view(request: HttpRequest, request_id: int) -> HttpResponse:
    require_request_access(request.user)
    return render(request, "dispatch/request_detail.html", _detail_context(request, request_id))


@login_required
@require_GET
@never_cache
def request_live_view(request: HttpRequest, request_id: int) -> HttpResponse:
    """The live part of the request page (re-fetched on every event)."""
    require_request_access(request.user)
    return render(request, "dispatch/_request_live.html", _detail_context(request, request_id))


def _back(request: HttpRequest, request_id: int) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        target = request.POST.get("return", "")
        if target == "board":
            return _board_requests(request)
        return render(request, "dispatch/_request_live.html", _detail_context(request, request_id))
    return redirect("dispatch-request-detail", request_id=request_id)


@login_required
@require_POST
def request_assign_view(request: HttpRequest, request_id: int) -> HttpResponse:
    require_request_access(request.user)
    support = request_list_for_user(user=request.user).filter(pk=request_id).first()
    if support is None:
        return render(request, "404.html", status=404)
    try:
        officer_id = int(request.POST.get("officer_id", ""))
    except ValueError:
        return HttpResponse(gettext("Choose the officer."), status=422)
    try:
        request_assign(
            request_id=support.pk,
            officer_id=officer_id,
            actor=request.user,
            idempotency_key=request.POST.get("idempotency_key", "")[:64],
            override_reason=request.POST.get("override_reason", "")[:300],
        )
    except DispatchConflict as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, request_id)


@login_required
@require_POST
def request_transition_view(request: HttpRequest, request_id: int) -> HttpResponse:
    """Web form status changes: cancel (requester, dispatcher) and dispatcher-entered steps."""
    require_request_access(request.user)
    support = request_list_for_user(user=request.user).filter(pk=request_id).first()
    if support is None:
        return render(request, "404.html", status=404)
    try:
        request_transition(
            request_id=support.pk,
            to_status=request.POST.get("to_status", ""),
            actor=request.user,
            idempotency_key=request.POST.get("idempotency_key", "")[:64],
            disposition=request.POST.get("disposition", ""),
            note=request.POST.get("note", "")[:300],
        )
    except DispatchConflict as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, request_id)


# --- Live board --------------------------------------------------------------------------------


@login_required
@require_GET
def board_view(request: HttpRequest) -> HttpResponse:
    require_board_access(request.user)
    config = {
        "state": reverse("dispatch-board-state"),
        "requests": reverse("dispatch-board-requests"),
        "socket": "/ws/dispatch/board/",
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
        "alerts": reverse("dispatch-board-alerts"),
        "csrf": get_token(request),
        "text": {
            "acknowledge": gettext("Acknowledge"),
            "resolve": gettext("Resolve"),
            "acknowledged": gettext("Acknowledged by %(who)s"),
            "open": gettext("Open"),
            "off_duty": gettext("off duty"),
            "on_request": gettext("on #%(id)s"),
            "available": pgettext("officer status", "available"),
            "lapsed": gettext("SRO training lapsed: %(reason)s"),
            "stale": gettext("(stale position)"),
        },
    }
    return render(request, "dispatch/board.html", {"board_config": config})


@login_required
@require_POST
def board_alert_view(request: HttpRequest, alert_id: int, action: str) -> HttpResponse:
    """Acknowledge or resolve a board alert (JSON for the board's script; a redirect without)."""
    require_board_access(request.user)
    change = alert_acknowledge if action == "acknowledge" else alert_resolve
    try:
        alert = change(alert_id=alert_id, actor=request.user)
    except Alert.DoesNotExist:
        return JsonResponse({"detail": gettext("No such alert.")}, status=404)
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=409)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"alert": alert_payload(alert)})
    return redirect("dispatch-board")


@login_required
@require_GET
@never_cache
def board_state_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(board_state_for_user(user=request.user))


def _board_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dispatch/_board_requests.html",
        {"rows": board_requests_for_user(user=request.user), "dispositions": Disposition.choices},
    )


@login_required
@require_GET
@never_cache
def board_requests_view(request: HttpRequest) -> HttpResponse:
    """The open requests with their recommended officers (re-fetched on every event)."""
    require_board_access(request.user)
    return _board_requests(request)


# --- Officer phone view (PWA) ------------------------------------------------------------------


def _officer_words() -> dict[str, str]:
    """The words officer.js draws, in the page's language ({n} stands for a number)."""
    return {
        "acknowledged": gettext("Acknowledge"),
        "en_route": gettext("En route"),
        "on_scene": gettext("On scene"),
        "cleared": gettext("Clear"),
        "status": gettext("Status:"),
        "waiting": gettext("(waiting for signal)"),
        "none": gettext("No requests assigned to you."),
        "disposition": gettext("Disposition"),
        "reason": gettext("Reason"),
        "submit": gettext("Submit clearing"),
        "race_ethnicity": gettext("Race or ethnicity"),
        "sex": gettext("Sex"),
        "disability_status": gettext("Disability status"),
        "english_learner": gettext("English learner"),
        "queuedOne": gettext("1 change waiting to be sent"),
        "queuedMany": gettext("{n} changes waiting to be sent"),
        "loginAgain": gettext("Log in again to send."),
        "busy": gettext("Server busy, retrying."),
        "noSignal": gettext("No signal, will retry."),
        "positionShared": gettext("Position shared {time}"),
        "positionNotRecorded": gettext("Position not recorded"),
        "positionLater": gettext("No signal: position will be sent when back"),
        "locationUnavailable": gettext("Location unavailable:"),
        "notTracked": gettext("Not tracked while off duty"),
        "goOff": gettext("Go off duty"),
        "goOn": gettext("Go on duty"),
        "dutyNotChanged": gettext("Could not change duty"),
        "dutyNoSignal": gettext("No signal: duty not changed"),
    }


@login_required
@require_GET
def officer_view(request: HttpRequest) -> HttpResponse:
    home = officer_home_for_user(user=request.user)
    config = {
        "officerId": home.person.pk,
        "name": home.person.full_name,
        "onDuty": bool(home.status and home.status.on_duty),
        "socket": "/ws/dispatch/officer/",
        "requestsUrl": "/api/officers/me/requests",
        "transitionsUrl": "/api/requests/{id}/transitions",
        "dutyUrl": f"/api/officers/{home.person.pk}/duty",
        "positionUrl": f"/api/officers/{home.person.pk}/position",
        "onViewUrl": "/api/requests/on-view",
        "schools": home.schools,
        "serviceWorker": reverse("dispatch-officer-sw"),
        "lastSeq": home.last_seq,
        "statusLabels": dict(Status.choices),
        "officerStatuses": [s.value for s in Status if s in OFFICER_STATUSES],
        "dispositions": Disposition.choices,
        "enforcement": sorted(d.value for d in ENFORCEMENT_DISPOSITIONS),
        "words": _officer_words(),
        "demographics": {
            "race_ethnicity": RaceEthnicity.choices,
            "sex": Sex.choices,
            "disability_status": DisabilityStatus.choices,
            "english_learner": EnglishLearner.choices,
        },
    }
    return render(
        request,
        "dispatch/officer.html",
        {
            "home": home,
            "officer_config": config,
            "on_view_categories": [c for c in Category.choices if c[0] != Category.PANIC_ALARM],
            "csrf_header": "X-CSRFToken",
            "map_tiles": settings.MAP_TILES_URL,
            "map_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    )


@login_required
@require_GET
@never_cache
def officer_cards_view(request: HttpRequest) -> HttpResponse:
    """The assignment cards of the officer's open requests (kept on the phone for offline use)."""
    position, cards = assignment_cards_for_user(user=request.user)
    return render(request, "dispatch/_officer_cards.html", {"cards": cards, "position": position})


@require_GET
def officer_manifest_view(request: HttpRequest) -> JsonResponse:
    manifest = {
        "name": "safeops officer",
        "short_name": "SSO",
        "start_url": reverse("dispatch-officer"),
        "scope": reverse("dispatch-officer"),
        "display": "standalone",
        "background_color": "#14233a",
        "theme_color": "#14233a",
        "icons": [
            {"src": static("safeops/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(manifest)
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def officer_service_worker_view(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the officer view's scope so it can control it."""
    return service_worker_response(
        scope=reverse("dispatch-officer"),
        assets=[
            reverse("dispatch-officer"),
            static("dispatch/live.js"),
            static("dispatch/officer.js"),
            static("safeops/app.css"),
            static("dispatch/dispatch.css"),
            # The assignment card (car): its script and the map library.
            static("dispatch/officer_card.js"),
            static("leaflet/leaflet.js"),
            static("leaflet/leaflet.css"),
        ],
        cache="safeops-officer-v1",
        extra="dispatch/sw.js",
    )


# --- History -----------------------------------------------------------------------------------


def _history_filters(request: HttpRequest) -> tuple[HistoryForm, HistoryFilters]:
    form = HistoryForm(request.GET or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = HistoryFilters(
            school_id=d.get("school"),
            zone_id=d.get("zone"),
            officer_id=d.get("officer"),
            category=d.get("category") or "",
            priority=d.get("priority") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )
    else:
        filters = HistoryFilters()
    return form, filters


@login_required
@require_GET
def history_view(request: HttpRequest) -> HttpResponse:
    form, filters = _history_filters(request)
    history = history_for_user(user=request.user, filters=filters)

    page = Paginator(history.requests, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dispatch/history.html",
        {
            "form": form,
            "history": history,
            "page": page,
            "query": query.urlencode(),
            "choices": history_choices_for_user(user=request.user),
        },
    )


@login_required
@require_GET
def history_csv_view(request: HttpRequest) -> HttpResponse:
    _form, filters = _history_filters(request)
    body = history_csv_for_user(user=request.user, filters=filters)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="support-requests.csv"'
    return response
