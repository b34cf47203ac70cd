"""Acceptance 2 (no table holds the reporter's IP or user agent after a real HTTP submission)
and acceptance 3 (narratives are ciphertext in the raw row and in the audit log), on SQLite
and, in the PostgreSQL pass, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from safeops.core.models import AuditEntry
from safeops.threats.models import ThreatCase, Tip
from safeops.threats.services import case_open
from safeops.threats.tips import tip_submit
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.images import png_bytes

pytestmark = pytest.mark.shared_scenario

IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (Reporter-UA-7f3c9a) DistinctiveBrowser/42"
SECRET_TEXT = "Kyle said he will bring his uncle's rifle to the pep rally"


def _all_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


def _every_table_text() -> dict[str, str]:
    tables = connection.introspection.table_names()
    return {table: _all_text(table) for table in tables}


def test_a_tip_through_the_http_stack_leaves_no_ip_user_agent_or_cookie(
    scenario: ScenarioDistrict,
) -> None:
    # What a browser sends with a post from the tip page itself.
    client = Client(
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=AGENT,
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    form = client.get("/tips/")
    assert form.status_code == 200 and "anonymous" in form.content.decode()
    png = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    response = client.post(
        "/tips/",
        {
            "what": SECRET_TEXT,
            "school": scenario.school_a.pk,
            "when_text": "Friday",
            "urgency": "soon",
            "attachments": [png],
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "tip-code" in response.content.decode()
    api = client.post(
        "/api/tips/public",
        {"what": "a threat on the bus", "urgency": "soon", "place": "Bus 12"},
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    for reply in (form, response, api):
        assert not reply.cookies, reply.cookies  # no session, no CSRF, no tracking cookie
    assert Tip.objects.count() == 2
    holding = [
        table
        for table, text in _every_table_text().items()
        if IP in text or "Reporter-UA-7f3c9a" in text or "203.0.113" in text
    ]
    assert holding == []


def test_narratives_are_ciphertext_in_the_raw_row_and_the_audit_log(
    scenario: ScenarioDistrict,
) -> None:
    receipt = tip_submit(
        district=scenario.district,
        school=scenario.school_a,
        place="Gym",
        what=SECRET_TEXT,
        when_text="",
        urgency="soon",
        address="198.51.100.1",  # type: ignore[arg-type]
    )
    case = case_open(
        school=scenario.school_a,
        source="tip",
        subject="K.M.",
        grade="10",  # type: ignore[arg-type]
        concern=SECRET_TEXT,
        tip=receipt.tip,
        actor="system:test",
    )
    assert ThreatCase.objects.get(pk=case.pk).concern == SECRET_TEXT  # readable through the model
    for model in (Tip, ThreatCase):
        table = model._meta.db_table
        raw = _all_text(table)
        assert "rifle" not in raw and "fernet:" in raw, table
    assert "K.M." not in _all_text(ThreatCase._meta.db_table)
    audit = repr(list(AuditEntry.objects.values_list("changes", "object_repr", "note")))
    assert "rifle" not in audit and "K.M." not in audit
    assert "rifle" not in repr(_every_table_text())


@pytest.mark.postgres
def test_encryption_at_rest_on_postgresql(postgres_only: None, scenario: ScenarioDistrict) -> None:
    test_narratives_are_ciphertext_in_the_raw_row_and_the_audit_log(scenario)
    assert connection.vendor == "postgresql"


def test_every_threat_model_is_known() -> None:
    assert apps.get_app_config("threats").verbose_name == "Threat assessment"
