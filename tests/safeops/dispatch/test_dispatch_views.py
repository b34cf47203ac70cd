"""Dispatch pages: the requester's form, the live pages, the PWA files and history."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.html import escape

from safeops.core.discipline import DISCIPLINE_REFUSED
from safeops.core.models import DisciplineOverride
from safeops.dispatch.models import SupportRequest
from safeops.dispatch.services import district_alert, request_assign, request_transition
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]
TEMPLATES = Path(__file__).resolve().parents[3] / "src/safeops/templates/dispatch"


def _login(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_an_sa_files_a_p1_in_three_fields_and_sees_call_911_first(
    dispatch: DispatchScenario,
) -> None:
    client = _login(dispatch.sa)
    form = client.get("/dispatch/requests/new/")
    assert form.status_code == 200
    assert "Call 911 now" in form.content.decode()
    response = client.post(
        "/dispatch/requests/new/",
        {
            "category": "weapon",
            "priority": "p1",
            "summary": "Student with a knife in the gym",
            "place": str(dispatch.s.school_a.pk),
        },
    )
    request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dispatch/requests/{request.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert page.index("Call 911 now") < page.index("Student with a knife")


def test_the_form_refuses_a_discipline_matter_with_the_message(
    dispatch: DispatchScenario,
) -> None:
    response = _login(dispatch.sa).post(
        "/dispatch/requests/new/",
        {
            "category": "crime_report",
            "summary": "Kid keeps being tardy to class",
            "place": str(dispatch.s.school_a.pk),
        },
    )
    assert response.status_code == 422
    assert escape(DISCIPLINE_REFUSED) in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_the_form_offers_the_safety_reason_after_a_refusal_and_files_with_it(
    dispatch: DispatchScenario,
) -> None:
    client = _login(dispatch.sa)
    form = {
        "category": "fight_assault",
        "summary": "Student skipped 3rd period, please find him",
        "place": str(dispatch.s.school_a.pk),
    }
    first = client.get("/dispatch/requests/new/").content.decode()
    assert 'name="safety_reason"' not in first
    refused = client.post("/dispatch/requests/new/", form)
    page = refused.content.decode()
    assert refused.status_code == 422
    assert escape(DISCIPLINE_REFUSED) in page and 'name="safety_reason"' in page
    filed = client.post(
        "/dispatch/requests/new/",
        {**form, "safety_reason": "Friends say he went to meet someone who threatened him"},
    )
    request = SupportRequest.objects.get()
    assert filed["Location"] == f"/dispatch/requests/{request.pk}/"
    assert DisciplineOverride.objects.get().target_id == str(request.pk)


def test_a_dispatcher_assigns_from_the_board_partial(dispatch: DispatchScenario) -> None:
    request = dispatch.file()
    client = _login(dispatch.dispatcher)
    board = client.get("/dispatch/board/requests/").content.decode()
    assert f"Assign {dispatch.officer_a.full_name}" in board
    response = client.post(
        f"/dispatch/requests/{request.pk}/assign/",
        {"officer_id": dispatch.officer_a.pk, "return": "board"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == "assigned"
    state = client.get("/dispatch/board/state.json").json()
    assert [r["id"] for r in state["requests"]] == [request.pk]
    assert {o["id"] for o in state["officers"]} == {dispatch.officer_a.pk, dispatch.officer_b.pk}


def test_the_officer_view_and_its_pwa_files_are_served(dispatch: DispatchScenario) -> None:
    client = _login(dispatch.officer_a.user)
    assert client.get("/dispatch/officer/").status_code == 200
    manifest = client.get("/dispatch/officer/manifest.webmanifest")
    assert manifest.json()["scope"] == "/dispatch/officer/"
    worker = client.get("/dispatch/officer/sw.js")
    assert worker["Service-Worker-Allowed"] == "/dispatch/officer/"
    assert "/dispatch/officer/" in worker.content.decode()
    assert client.get("/api/officers/me/requests").json() == []


def _officer_words(language: str, dispatch: DispatchScenario) -> dict[str, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(dispatch.officer_a.user)
    html = client.get("/dispatch/officer/").content.decode()
    config = re.search(r'<script id="officer-config" type="application/json">(.*?)</script>', html)
    assert config is not None
    return dict(json.loads(config.group(1))["words"])


def test_the_words_the_officer_page_draws_are_in_the_phone_language(
    dispatch: DispatchScenario,
) -> None:
    """officer.js draws its buttons and messages from the page's config: Spanish for a Spanish
    phone, every word (a word spelled alike in both would be listed here)."""
    english, spanish = _officer_words("en", dispatch), _officer_words("es", dispatch)
    assert english["submit"] == "Submit clearing" and spanish["submit"] == "Enviar cierre"
    assert english.keys() == spanish.keys()
    assert [key for key in english if english[key] == spanish[key]] == []
    # The placeholders officer.js fills survive translation.
    assert "{n}" in spanish["queuedMany"] and "{time}" in spanish["positionShared"]


def test_history_shows_response_percentiles_and_exports_csv(dispatch: DispatchScenario) -> None:
    for n in range(3):
        request = dispatch.file(summary=f"Fight {n}")
        request_assign(
            request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
        )
        for step in ("on_scene", "cleared"):
            request_transition(
                request_id=request.pk,
                to_status=step,
                actor=dispatch.dispatcher,
                idempotency_key=f"{n}-{step}",
                disposition="resolved_on_scene" if step == "cleared" else "",
            )
    client = _login(dispatch.chief)
    page = client.get("/dispatch/history/", {"zone": dispatch.s.zone_a.pk})
    assert page.status_code == 200
    assert page.context["history"].overall.count == 3
    assert [s.label for s in page.context["history"].by_zone] == ["Zone A"]
    csv = client.get("/dispatch/history.csv", {"priority": "p1"}).content.decode().splitlines()
    assert csv[0].startswith("id,created_at,school")
    assert len(csv) == 4


def test_dispatch_templates_have_no_inline_scripts_or_handlers() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+=", text), template.name


def test_a_district_alert_reaches_a_board_opened_later_with_its_link(
    dispatch: DispatchScenario,
) -> None:
    district_alert(
        district_id=dispatch.s.district.pk,
        message="Tip of imminent harm at A High",
        link=f"/dispatch/requests/new/?school={dispatch.s.school_a.pk}",
    )
    state = _login(dispatch.dispatcher).get("/dispatch/board/state.json").json()
    assert [(a["message"], a["link"]) for a in state["alerts"]] == [
        (
            "Tip of imminent harm at A High",
            f"/dispatch/requests/new/?school={dispatch.s.school_a.pk}",
        )
    ]
    with pytest.raises(ValidationError) as error:
        district_alert(district_id=dispatch.s.district.pk, message="x", link="https://evil")
    assert "link" in error.value.message_dict


def test_the_request_form_takes_known_values_from_the_link_and_ignores_the_rest(
    dispatch: DispatchScenario,
) -> None:
    school = dispatch.s.school_a.pk
    page = _login(dispatch.dispatcher).get(
        f"/dispatch/requests/new/?school={school}&category=threat_to_harm&priority=p1"
    )
    html = page.content.decode()
    assert re.search(r'<option value="threat_to_harm" selected>', html)
    assert re.search(r'<option value="p1" selected>', html)
    assert re.search(rf'<option value="{school}" selected>', html)
    ignored = _login(dispatch.dispatcher).get("/dispatch/requests/new/?category=dress_code")
    assert '<option value="" selected>What is happening?</option>' in ignored.content.decode()
