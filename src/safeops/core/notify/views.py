"""The person's channels page, acknowledging and opening alerts, and the channels' callbacks."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeops.core.notify import selectors, services
from safeops.core.notify.forms import ChannelPreferenceForm
from safeops.core.notify.models import Notification
from safeops.core.notify.providers import callback_signature

MAX_ENDPOINT = 1000


@login_required
@require_http_methods(["GET", "POST"])
def channels_view(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_for_user(user=request.user)
    form = ChannelPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your alert channels are saved."))
        return redirect("notify-channels")
    config = {
        "publicKey": settings.VAPID_PUBLIC_KEY,
        "subscribeUrl": reverse("notify-push"),
        "serviceWorker": reverse("notify-sw"),
        "scope": reverse("notify-channels"),
        "texts": {
            "subscribed": _("This browser receives push alerts."),
            "unsupported": _("This browser cannot receive push alerts."),
            "denied": _("Notifications are blocked for this site in the browser's settings."),
            "failed": _("The subscription failed; try again."),
            "unconfigured": _("Push alerts are not configured on this server."),
        },
    }
    return render(
        request,
        "core/notify_channels.html",
        {
            "form": form,
            "open_alerts": selectors.open_notifications_for_user(user=request.user),
            "recent_alerts": selectors.recent_notifications_for_user(user=request.user),
            "push_count": selectors.push_subscription_count(user=request.user),
            "notify_config": config,
        },
    )


@login_required
@require_POST
def push_subscription_view(request: HttpRequest) -> HttpResponse:
    """The page's script posts the browser's PushSubscription (JSON), or asks to drop it."""
    try:
        data = json.loads(request.body or b"{}")
        endpoint = str(data["endpoint"])
        keys = data.get("keys") or {}
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest(_("Send the browser's push subscription as JSON."))
    if not endpoint.startswith("https://") and not settings.DEBUG and not _local(endpoint):
        return HttpResponseBadRequest(_("A push endpoint is an https address."))
    if len(endpoint) > MAX_ENDPOINT:
        return HttpResponseBadRequest(_("The push endpoint is too long."))
    if data.get("unsubscribe"):
        services.push_unsubscribe(user=request.user, endpoint=endpoint)
        return JsonResponse({"subscribed": False})
    try:
        services.push_subscribe(
            user=request.user,
            endpoint=endpoint,
            p256dh=str(keys["p256dh"]),
            auth=str(keys["auth"]),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except (KeyError, ValidationError):
        return HttpResponseBadRequest(_("The push subscription lacks its keys."))
    return JsonResponse({"subscribed": True}, status=201)


def _local(endpoint: str) -> bool:
    return endpoint.startswith(("http://127.0.0.1:", "http://localhost:"))


@login_required
@require_GET
def notification_open_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Where a push, a text or the list sends the person: records the opening, then shows
    the alert's page (the request, or the alerts list)."""
    try:
        notification = services.notification_opened(
            notification_id=notification_id, user=request.user
        )
    except (Notification.DoesNotExist, PermissionDenied) as error:
        raise Http404 from error
    return redirect(notification.link or reverse("notify-channels"))


@login_required
@require_POST
def notification_ack_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        services.notification_acknowledge(notification_id=notification_id, user=request.user)
    except (Notification.DoesNotExist, PermissionDenied) as error:
        raise Http404 from error
    messages.success(request, _("Alert acknowledged."))
    return redirect("notify-channels")


@csrf_exempt  # the service worker proves the receipt with its unguessable token
@require_POST
def receipt_shown_view(request: HttpRequest, token: str) -> HttpResponse:
    services.receipt_shown(token=token)
    return HttpResponse(status=204)


@csrf_exempt  # the provider signs the request (X-Twilio-Signature)
@require_POST
def provider_callback_view(request: HttpRequest) -> HttpResponse:
    params = {key: request.POST.get(key, "") for key in request.POST}
    url = f"{settings.NOTIFY_PUBLIC_URL.rstrip('/')}{request.get_full_path()}"
    expected = callback_signature(url=url, params=params, auth_token=settings.TWILIO_AUTH_TOKEN)
    given = request.headers.get("X-Twilio-Signature", "")
    if not settings.TWILIO_AUTH_TOKEN or not _same(given, expected):
        return HttpResponseForbidden("Bad signature.")
    ref = params.get("MessageSid") or params.get("CallSid") or ""
    status = params.get("MessageStatus") or params.get("CallStatus") or ""
    detail = params.get("ErrorCode", "")
    services.receipt_provider_status(provider_ref=ref, status=status, detail=detail)
    return HttpResponse(status=204)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


@require_GET
def service_worker_view(request: HttpRequest) -> HttpResponse:
    """The alerts' service worker, served from /notify/ so that is its scope."""
    path = finders.find("safeops/notify-sw.js")
    body = open(path, encoding="utf-8").read() if path else ""  # noqa: PTH123, SIM115
    response = HttpResponse(body, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response
