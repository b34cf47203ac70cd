"""A board alert is worded in its reader's language, not the language of whoever raised it.

Alerts are raised by jobs (the acknowledgement timer), the alarm intake and the tip line, none
of which has a reader. Before, their words were stored in English and a Spanish board showed
them in English.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from safeops.core.jobs import run_due_jobs
from safeops.dispatch import alert_texts
from safeops.dispatch.choices import AlertKind
from safeops.dispatch.models import Alert
from safeops.dispatch.services import alert_raise, officer_duty_set, request_assign
from safeops.dispatch.services.alerts import alert_payload
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]

ESCALATED = {
    "priority": "P1",
    "request": 9,
    "place": "A Middle",
    "officer": "Officer Avery",
    "seconds": 60,
    "next_officer": "Officer Blake",
}


def test_an_escalation_alert_reads_in_each_readers_language(dispatch: DispatchScenario) -> None:
    officer_duty_set(officer=dispatch.officer_b, on_duty=False, actor="system:test")
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    run_due_jobs(now=timezone.now() + dt.timedelta(seconds=61))  # the timer: nobody else free
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.NO_OFFICER
    assert "no other officer is available" in alert.message  # stored in the site's language
    board = Client()
    board.force_login(dispatch.dispatcher)
    english = board.get("/dispatch/board/state.json").json()["alerts"][0]["message"]
    spanish = board.get("/dispatch/board/state.json?lang=es").json()["alerts"][0]["message"]
    assert english == alert.message
    assert spanish != english
    assert f"#{request.pk}" in spanish and dispatch.officer_a.full_name in spanish
    assert "no other officer" not in spanish


def test_a_live_event_carries_the_alert_in_every_language() -> None:
    messages = alert_texts.alert_messages(
        kind=AlertKind.ESCALATED, params=ESCALATED, fallback="stored"
    )
    assert set(messages) == {"en", "es"}
    assert messages["en"].startswith("P1 #9 at A Middle was not acknowledged by Officer Avery")
    assert messages["es"] != messages["en"]
    assert "Officer Blake" in messages["es"] and "#9" in messages["es"]


def test_the_words_inside_an_alert_are_translated_too() -> None:
    params = {**ESCALATED, "officer": ""}
    with translation.override("en"):
        assert "by anyone within" in alert_texts.alert_text(kind=AlertKind.ESCALATED, params=params)
    alarm = {"kind": "badge", "place": "A Middle", "device": "b-17", "request": 4}
    with translation.override("es"):
        spanish_alarm = alert_texts.alert_text(kind=AlertKind.ALARM, params=alarm)
        spanish_tip = alert_texts.alert_text(
            kind=AlertKind.IMMINENT_TIP, params={"code": "K7Q2", "place": ""}
        )
    assert "badge alarm" not in spanish_alarm and "b-17" in spanish_alarm
    assert "outside a listed school" not in spanish_tip and "K7Q2" in spanish_tip


def test_an_alert_of_free_text_or_a_broken_translation_shows_its_stored_words(
    dispatch: DispatchScenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    free = alert_raise(district_id=dispatch.s.district.pk, message="Heads up")
    with translation.override("es"):
        assert free.text == "Heads up"
        assert alert_payload(free)["messages"] == {"en": "Heads up", "es": "Heads up"}
    worded = alert_raise(
        district_id=dispatch.s.district.pk, kind=AlertKind.ESCALATED, params=ESCALATED
    )
    broken = {**alert_texts.ALERT_TEXTS, AlertKind.ESCALATED: "{priority} {lost_placeholder}"}
    monkeypatch.setattr(alert_texts, "ALERT_TEXTS", broken)
    assert worded.text == worded.message


def test_an_alert_needs_a_known_kind_and_every_parameter_its_words_name(
    dispatch: DispatchScenario,
) -> None:
    district_id = dispatch.s.district.pk
    with pytest.raises(ValidationError) as unknown:
        alert_raise(district_id=district_id, kind="gossip", params={})
    assert "kind" in unknown.value.message_dict
    without_place = {k: v for k, v in ESCALATED.items() if k != "place"}
    with pytest.raises(ValidationError) as missing:
        alert_raise(district_id=district_id, kind=AlertKind.ESCALATED, params=without_place)
    assert "place" in missing.value.message_dict["params"][0]
    assert not Alert.objects.exists()
