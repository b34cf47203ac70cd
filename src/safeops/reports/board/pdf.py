"""The board report as PDF, rendered by WeasyPrint from the same HTML body as the page (its
charts are SVG data URIs, so nothing is fetched while rendering). WeasyPrint is imported on the
first PDF, not with the app: it adds about a second to every process's start (each server
process, command and worker), and few of them ever render a PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string


def board_pdf(*, request: HttpRequest, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # noqa: PLC0415 - see above

    html = render_to_string("reports/board_pdf.html", context, request=request)
    return bytes(HTML(string=html).write_pdf())
