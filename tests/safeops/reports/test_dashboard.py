"""The public dashboard: no login, no cookie, English and Spanish, downloads from the published
cells only (rows written here as the refresh would write them)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from tests.safeops.reports.fixture import publish_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> None:
    publish_sample()


def test_the_dashboard_needs_no_login_and_sets_no_cookie(published: None) -> None:
    response = Client().get("/dashboard/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    page = response.content.decode()
    assert "Fight or assault" in page and "48" in page and "Central High" in page
    # a withheld figure shows its reason
    assert "Suppressed: under 10, or would reveal a count under 10" in page
    assert "Withheld: built on a suppressed count" in page
    assert "3.00" in page  # the relative rate index


def test_the_dashboard_in_spanish_through_the_query(published: None) -> None:
    response = Client().get("/dashboard/?lang=es")
    assert "Set-Cookie" not in response.headers
    page = response.content.decode()
    assert 'lang="es"' in page
    assert "Pelea o agresión" in page
    assert "Panel de rendición de cuentas" in page


def test_csv_and_json_downloads_and_the_dictionary(published: None) -> None:
    response = Client().get("/dashboard/download.csv?period=2025-26&scope=district")
    assert "Set-Cookie" not in response.headers
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {
        "period",
        "scope",
        "measure",
        "dimension",
        "category",
        "stat",
        "value",
        "withheld",
    } == set(rows[0])
    weapon = next(r for r in rows if r["category"] == "weapon")
    assert (weapon["value"], weapon["withheld"]) == ("", "suppressed")
    assert any(r["scope"].startswith("school:") for r in rows)
    body = json.loads(Client().get("/dashboard/download.json").content)
    assert "withheld" in body["dictionary"]["columns"]
    assert len(body["rows"]) == 7
    assert Client().get("/dashboard/download.xml").status_code == 404
    dictionary = Client().get("/dashboard/dictionary/?lang=es")
    assert dictionary.status_code == 200 and "Set-Cookie" not in dictionary.headers


def test_the_public_pages_link_the_dashboard(published: None) -> None:
    assert "/dashboard/" in Client().get("/tips/").content.decode()
