"""An officer offered a request, and the supervisors paged when nobody acknowledges it, are
alerted in the language each chose (core.notify.words), on every channel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeops.core.jobs import run_due_jobs
from safeops.core.notify.models import Notification
from safeops.dispatch.models import DispatchSettings
from safeops.dispatch.services import request_assign
from tests.safeops.core.notify.conftest import (  # noqa: F401 - fixtures
    push_receiver,
    subscribe_browser,
    twilio,
)
from tests.safeops.core.notify.fakes import FakeTwilio, PushReceiver
from tests.safeops.dispatch.conftest import DispatchScenario
from tests.safeops.factories import reads

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def test_an_officer_offered_a_request_is_alerted_in_their_language_on_every_channel(
    dispatch: DispatchScenario,
    push_receiver: PushReceiver,  # noqa: F811
    twilio: FakeTwilio,  # noqa: F811
    settings: Any,
) -> None:
    settings.NOTIFY_STEPS_P1 = "push:0,sms:0,voice:0"
    officer = dispatch.officer_a.user
    reads(officer, "es", phone="+15025550111")
    subscribe_browser(push_receiver, officer, "officer-a")
    request = dispatch.file(priority="p1", category="weapon")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    run_due_jobs()
    (message,) = push_receiver.messages
    assert message.payload["title"].startswith("P1 Arma · A Middle")
    assert message.payload["body"] == (
        f"La solicitud #{request.pk} es suya: confírmela en la página del oficial."
    )
    assert message.payload["lang"] == "es"  # the browser's notification is marked Spanish
    sms, call = twilio.requests
    assert sms.form["Body"].startswith("P1 Arma · A Middle")
    assert "es suya" in sms.form["Body"]
    # The call is read by a Spanish voice.
    assert call.form["Twiml"].startswith('<Response><Say language="es-MX" loop="3">P1 Arma')


def test_the_supervisors_are_paged_about_an_escalation_in_their_language(
    dispatch: DispatchScenario, settings: Any
) -> None:
    DispatchSettings.objects.create(district=dispatch.s.district, p1_ack_seconds=60)
    reads(dispatch.dispatcher, "es")
    request = dispatch.file(priority="p1")
    request_assign(
        request_id=request.pk, officer_id=dispatch.officer_a.pk, actor=dispatch.dispatcher
    )
    alert = Notification.objects.get(user=dispatch.officer_a.user)
    run_due_jobs()  # the officer's first steps
    run_due_jobs(now=alert.created_at + dt.timedelta(seconds=61), limit=1)  # the timer fires
    run_due_jobs()
    page = Notification.objects.get(user=dispatch.dispatcher)
    assert page.title == f"P1 #{request.pk} sin confirmar"
    assert f"#{request.pk} en A Middle" in page.body and "no fue confirmada por" in page.body
