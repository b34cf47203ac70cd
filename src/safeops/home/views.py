from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from safeops.access import viewer_for
from safeops.home.queues import work_queue_for_user
from safeops.home.selectors import home_summary_for_user
from safeops.staff.choices import Role


@login_required
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    if viewer_for(request.user).role == Role.DISPATCHER:
        return redirect("dispatch-board")  # the dispatcher works from the live board
    summary = home_summary_for_user(user=request.user)
    queue = work_queue_for_user(user=request.user)
    return render(request, "home/home.html", {"summary": summary, "queue": queue})
