"""Issue 13, finding 6: the dispatch history CSV neutralises formula-like text cells."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]
EVIL = "=cmd|' /C calc'!A0"


def test_the_history_csv_neutralises_a_place_description(dispatch: DispatchScenario) -> None:
    dispatch.file(location_description=EVIL)
    client = Client()
    client.force_login(dispatch.chief)
    response = client.get("/dispatch/history.csv")
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert f"'{EVIL}" in cells
    assert EVIL not in cells
