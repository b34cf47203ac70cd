"""The board report as PDF, rendered by WeasyPrint from the same HTML body as the page (its
charts are SVG data URIs, so nothing is fetched while rendering)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import HTML  # type: ignore[import-untyped]


def board_pdf(*, request: HttpRequest, context: dict[str, Any]) -> bytes:
    html = render_to_string("reports/board_pdf.html", context, request=request)
    return bytes(HTML(string=html).write_pdf())
