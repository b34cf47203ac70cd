"""The public tip line: no login, no cookie, no session."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from safeops.core.clientaddr import client_address
from safeops.core.discipline import DisciplineRefusal
from safeops.core.origin import Origin, request_origin
from safeops.threats import forms as f
from safeops.threats import tips
from safeops.threats.choices import (
    REPORTER_VISIBLE,
    TipEventKind,
    Urgency,
)
from safeops.threats.models import Tip
from safeops.threats.selectors import (
    tip_line_district,
    tip_line_schools,
)
from safeops.threats.views.common import _private


def _cross_site(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A tip-line post from another site: refused, with an empty form (never the posted text)."""
    context = {**context, "cross_site": tips.CROSS_SITE_REFUSED}
    return _private(render(request, template, context, status=403))


@csrf_exempt  # no session to protect, and a CSRF cookie is one cookie more on the reporter
@require_http_methods(["GET", "POST"])
def tip_submit_view(request: HttpRequest) -> HttpResponse:
    district = tip_line_district()
    schools = tip_line_schools(district=district)
    if request.method == "POST" and request_origin(request) is not Origin.SAME:
        return _cross_site(request, "threats/tip_form.html", {"form": f.TipForm(schools=schools)})
    form = f.TipForm(request.POST or None, request.FILES or None, schools=schools)
    refusal = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = tips.tip_submit(
                district=district,
                school=data["school"],
                place=data["place"],
                what=data["what"],
                when_text=data["when_text"],
                urgency=Urgency(data["urgency"]),
                attachments=request.FILES.getlist("attachments"),
                address=client_address(request),
            )
        except DisciplineRefusal as error:
            refusal, status = gettext(error.message), 422
        except tips.RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            status = 422
        else:
            return _private(
                render(
                    request,
                    "threats/tip_receipt.html",
                    {"code": receipt.code, "phrase": receipt.phrase, "tip": receipt.tip},
                )
            )
    elif request.method == "POST":
        status = 422
    return _private(
        render(request, "threats/tip_form.html", {"form": form, "refusal": refusal}, status=status)
    )


def _reporter_page(
    request: HttpRequest, tip: Tip, phrase: str, answer_form: f.AnswerForm | None = None
) -> HttpResponse:
    events = [
        {
            "at": e.at,
            "kind": e.get_kind_display(),
            # A closing event's text is the reason's label, stored in English: translate it.
            "body": gettext(e.body) if e.kind == TipEventKind.CLOSED else e.body,
        }
        for e in tip.events.all()
        if e.kind in REPORTER_VISIBLE
    ]
    answer_form = answer_form or f.AnswerForm(initial={"code": tip.code, "phrase": phrase})
    return _private(
        render(
            request,
            "threats/tip_status.html",
            {"tip": tip, "events": events, "answer_form": answer_form},
        )
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def tip_status_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request_origin(request) is not Origin.SAME:
        return _cross_site(request, "threats/tip_lookup.html", {"form": f.LookupForm()})
    form = f.LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tip = tips.tip_lookup(
                code=form.cleaned_data["code"],
                phrase=form.cleaned_data["phrase"],
                address=client_address(request),
            )
        except tips.RateLimited as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return _reporter_page(request, tip, form.cleaned_data["phrase"])
    return _private(
        render(
            request,
            "threats/tip_lookup.html",
            {"form": form},
            status=422 if request.method == "POST" else 200,
        )
    )


@csrf_exempt
@require_POST
def tip_answer_view(request: HttpRequest) -> HttpResponse:
    if request_origin(request) is not Origin.SAME:
        return _cross_site(request, "threats/tip_lookup.html", {"form": f.LookupForm()})
    form = f.AnswerForm(request.POST)
    if not form.is_valid():
        return _private(render(request, "threats/tip_lookup.html", {"form": form}, status=422))
    try:
        tip = tips.tip_lookup(
            code=form.cleaned_data["code"],
            phrase=form.cleaned_data["phrase"],
            address=client_address(request),
        )
        tips.tip_answer(tip=tip, answer=form.cleaned_data["answer"])
    except (ValidationError, tips.RateLimited) as error:
        form.add_error(None, getattr(error, "messages", [str(error)]))
        return _private(render(request, "threats/tip_lookup.html", {"form": form}, status=422))
    return _reporter_page(request, tip, form.cleaned_data["phrase"])
