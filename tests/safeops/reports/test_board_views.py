"""The board report (page and PDF), the monitors' view and the chief's internal view, on the
two-zone scenario district with hand-counted runs in the current term."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from django.test import Client

from safeops.core.models import AuditAction, AuditEntry
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.reports.fixture import term_runs

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _client(scenario: ScenarioDistrict, role: Role) -> Client:
    client = Client()
    client.force_login(scenario.users[role])  # type: ignore[arg-type]
    return client


def _cell(html: str, row_key: str) -> str:
    start = html.index(f'data-key="{row_key}"')
    return html[start : html.index("</tr>", start)]


def test_the_board_report_hides_a_small_cell_that_the_chiefs_view_shows_and_audits(
    scenario: ScenarioDistrict,
) -> None:
    term_runs(scenario, small_cell=True)
    html = _client(scenario, Role.PRINCIPAL).get("/accountability/board/").content.decode()
    assert "Board report" in html and "Zone map" in html
    assert html.count("data:image/svg+xml;base64,") == 3  # the map and two charts
    row_a = _cell(html, str(scenario.zone_a.pk))
    assert "<td>15</td>" in row_a  # zone A's 15 runs
    assert "suppressed" in row_a and "<td>3</td>" not in row_a  # the 3 medical assists
    assert "<td>30</td>" in _cell(html, "total")  # the district's 30 runs
    # the chief sees the 3, flagged, and the read is audited
    chief = _client(scenario, Role.SECURITY_CHIEF)
    html = chief.get("/accountability/internal/").content.decode()
    row_a = _cell(html, str(scenario.zone_a.pk))
    assert "<td>3 <span" in row_a and "small cell" in row_a
    assert AuditEntry.objects.filter(note__startswith="unsuppressed report").count() == 1


def test_a_figure_with_nothing_to_suppress_is_published(scenario: ScenarioDistrict) -> None:
    term_runs(scenario)
    html = _client(scenario, Role.PRINCIPAL).get("/accountability/board/").content.decode()
    row_a = _cell(html, str(scenario.zone_a.pk))
    assert "<td>12</td>" in row_a and "suppressed" not in row_a
    assert "<td>15</td>" in _cell(html, "p3")  # P3: 15 on scene (and 15 within target)


def test_the_board_pdf_renders_its_headings_and_a_tables_values(
    scenario: ScenarioDistrict,
) -> None:
    term_runs(scenario)
    response = _client(scenario, Role.DISPATCHER).get("/accountability/board/board-report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        if os.environ.get("SAFEOPS_REQUIRE_PDFTOTEXT") == "1":
            pytest.fail(
                "pdftotext is required (SAFEOPS_REQUIRE_PDFTOTEXT=1): install poppler-utils"
            )
        pytest.skip("pdftotext is not installed (Debian's poppler-utils)")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for heading in ("Board report", "Zone map", "SSO runs", "Response time", "Staffing"):
        assert heading in text
    # zone B's row of runs by category: 11 categories and the total, its 15 patrol checks
    rows = [line.split() for line in text.splitlines() if line.strip().startswith("Zone B")]
    assert ["Zone", "B", *["0"] * 9, "15", "0", "15"] in rows


def test_the_monitors_view_is_for_monitors_and_the_chief_and_every_read_is_audited(
    scenario: ScenarioDistrict,
) -> None:
    term_runs(scenario)
    monitor = _client(scenario, Role.COMMUNITY_MONITOR)
    zone_b = scenario.zone_b
    assert monitor.get("/accountability/monitoring/").status_code == 200
    page = monitor.get(f"/accountability/monitoring/zones/{zone_b.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-key="{scenario.zone_a.pk}"' not in html  # zone B's rows and the district's
    assert "<td>15</td>" in _cell(html, str(zone_b.pk))
    reads = AuditEntry.objects.filter(action=AuditAction.VIEW, note__startswith="monitoring view")
    assert reads.count() == 2
    assert reads.filter(note__endswith=f"zone {zone_b.pk}").exists()
    assert (
        _client(scenario, Role.SECURITY_CHIEF).get("/accountability/monitoring/").status_code == 200
    )
    for role in (Role.DISPATCHER, Role.SSO, Role.PRINCIPAL):
        assert _client(scenario, role).get("/accountability/monitoring/").status_code == 403


def test_the_chiefs_view_is_the_chiefs_only(scenario: ScenarioDistrict) -> None:
    term_runs(scenario)
    assert (
        _client(scenario, Role.SECURITY_CHIEF).get("/accountability/internal/").status_code == 200
    )
    for role in (Role.COMMUNITY_MONITOR, Role.DISPATCHER):
        assert _client(scenario, role).get("/accountability/internal/").status_code == 403
    assert AuditEntry.objects.filter(note__startswith="unsuppressed report").count() == 1


def test_the_accountability_page_lists_what_each_role_may_open(
    scenario: ScenarioDistrict,
) -> None:
    chief = _client(scenario, Role.SECURITY_CHIEF).get("/accountability/").content.decode()
    monitor = _client(scenario, Role.COMMUNITY_MONITOR).get("/accountability/").content.decode()
    assert all(u in chief for u in ("/board/", "/monitoring/", "/internal/", "/kentucky/sro/"))
    assert "/monitoring/" in monitor and "/internal/" not in monitor and "/kentucky/" not in monitor
