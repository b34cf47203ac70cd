"""The demo district seeds threat assessment: the demo VPS is the lead, demo-sa's school has a
team, two tips and a monitored case that demo-sa and the lead see."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from safeops.accounts.models import User
from safeops.threats.models import ThreatCase, Tip


@pytest.mark.django_db
def test_demo_seed_gives_the_lead_and_the_sa_a_case_and_tips() -> None:
    call_command("seed_demo", "--schools", "30", stdout=io.StringIO())
    case = ThreatCase.objects.get()
    assert Tip.objects.count() == 2 and case.stage == "monitoring"
    for username in ("demo-sa", "demo-violence-prevention"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        board = client.get("/threats/").content.decode()
        assert f"/threats/cases/{case.pk}/" in board, username
        assert all(tip.code in board for tip in Tip.objects.all()), username
    lead = Client()
    lead.force_login(User.objects.get(username="demo-violence-prevention"))
    assert lead.get("/threats/fairness/").status_code == 200
    sso = Client()
    sso.force_login(User.objects.get(username="demo-sso"))
    assert f"/threats/cases/{case.pk}/" not in sso.get("/threats/").content.decode()
