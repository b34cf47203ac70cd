from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeops.home.selectors import home_summary_for_user


@login_required
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    summary = home_summary_for_user(user=request.user)
    return render(request, "home/home.html", {"summary": summary})
