"""The public accountability dashboard: no login, no cookie, no session (like the tip line);
English or Spanish through `?lang=`. It reads only the published cells."""

from __future__ import annotations

import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from safeops.core.csvexport import report_writer
from safeops.reports.dashboard import dashboard_page, dashboard_rows, public_district
from safeops.reports.dictionary import COLUMNS, dictionary

DOWNLOAD_NAME = "safeops-accountability"


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "public, max-age=300"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    page = dashboard_page(
        district=public_district(),
        period=request.GET.get("period"),
        scope=request.GET.get("scope"),
    )
    return _public(render(request, "reports/dashboard.html", {"page": page}))


@require_GET
def download_view(request: HttpRequest, extension: str) -> HttpResponse:
    rows = dashboard_rows(
        district=public_district(),
        period=request.GET.get("period") or None,
        scope=request.GET.get("scope") or None,
    )
    records = [[getattr(row, name) for name, _ in COLUMNS] for row in rows]
    if extension == "csv":
        out = io.StringIO()
        writer = report_writer(out)
        writer.writerow([name for name, _ in COLUMNS])
        writer.writerows(records)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    elif extension == "json":
        body = {
            "dictionary": dictionary(),
            "rows": [dict(zip([name for name, _ in COLUMNS], r, strict=True)) for r in records],
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, default=str), content_type="application/json"
        )
    else:
        raise Http404(gettext("No such download."))
    response["Content-Disposition"] = f'attachment; filename="{DOWNLOAD_NAME}.{extension}"'
    return _public(response)


@require_GET
def dictionary_view(request: HttpRequest) -> HttpResponse:
    return _public(render(request, "reports/dictionary.html", {"dictionary": dictionary()}))
