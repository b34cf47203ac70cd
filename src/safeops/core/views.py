from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeops.core.selectors import home_summary_for_user


@login_required
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    summary = home_summary_for_user(user=request.user)
    return render(request, "core/home.html", {"summary": summary})


@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for a load balancer or `make run`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
