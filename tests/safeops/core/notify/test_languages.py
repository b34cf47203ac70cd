"""Alerts reach each person in the language they chose on their channels page: the officer
offered a request, the call tree paged about an escalation or an imminent-harm tip, the people
a panic alarm reaches. Push, texts and calls carry the words so chosen; blank is the site's
language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from safeops.core.jobs import run_due_jobs
from safeops.core.notify.models import ChannelPreference, Notification
from safeops.core.notify.services import notify_send, page_call_tree
from safeops.core.notify.words import every_language, in_language
from safeops.staff.choices import Role
from safeops.threats.tips import tip_submit
from tests.safeops.core.notify.conftest import twilio  # noqa: F401 - fixture
from tests.safeops.core.notify.fakes import FakeTwilio
from tests.safeops.factories import ScenarioDistrict, UserFactory, reads

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def test_words_in_every_language_reach_each_person_in_theirs() -> None:
    spanish, english, unset = UserFactory(), UserFactory(), UserFactory()
    reads(spanish, "es")
    reads(english, "en")
    title = every_language(lambda: gettext("Imminent-harm tip %(code)s") % {"code": "K7"})
    assert title == {"en": "Imminent-harm tip K7", "es": "Reporte de daño inminente K7"}
    for user in (spanish, english, unset):
        notify_send(user_id=user.pk, priority="p1", title=title, ref="t:words")
    titles = dict(Notification.objects.values_list("user_id", "title"))
    assert titles == {
        spanish.pk: "Reporte de daño inminente K7",
        english.pk: "Imminent-harm tip K7",
        unset.pk: "Imminent-harm tip K7",  # blank: the site's language
    }
    assert dict(Notification.objects.values_list("user_id", "language")) == {
        spanish.pk: "es",
        english.pk: "en",
        unset.pk: "en",
    }
    # Plain text is sent as given, whatever the person reads; its language is not known.
    sent = notify_send(user_id=spanish.pk, priority="p2", title="Drill at 10", ref="t:plain")
    assert (sent.title, sent.language) == ("Drill at 10", "")


def test_a_call_is_read_in_the_language_of_its_words(
    twilio: FakeTwilio,  # noqa: F811
    settings: Any,
) -> None:
    settings.NOTIFY_STEPS_P1 = "voice:0"
    spanish, plain = UserFactory(), UserFactory()
    reads(spanish, "es", phone="+15025550111")
    reads(plain, "es", phone="+15025550112")
    words = every_language(lambda: gettext("Imminent-harm tip %(code)s") % {"code": "K7"})
    notify_send(user_id=spanish.pk, priority="p1", title=words, ref="t:voice")
    notify_send(user_id=plain.pk, priority="p1", title="Evacuate", ref="t:voice-plain")
    run_due_jobs()
    calls = {r.form["To"]: r.form["Twiml"] for r in twilio.requests}
    assert calls["+15025550111"] == (
        '<Response><Say language="es-MX" loop="3">Reporte de daño inminente K7.</Say></Response>'
    )
    # Plain text: the provider's default voice.
    assert calls["+15025550112"] == '<Response><Say loop="3">Evacuate.</Say></Response>'


def test_words_keyed_by_a_language_the_site_lacks_are_refused() -> None:
    user = UserFactory()
    with pytest.raises(ValidationError) as refused:
        notify_send(user_id=user.pk, priority="p1", title={"fr": "Alerte"}, ref="t:fr")
    assert "title" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        page_call_tree(district_id=1, title="Page", body={}, ref="t:empty")
    assert "body" in refused.value.message_dict
    assert not Notification.objects.exists()
    # A language missing from the words falls back to the site's.
    assert in_language({"en": "Page"}, "es") == "Page"


def test_the_call_tree_pages_each_tier_in_its_language(
    scenario: ScenarioDistrict, settings: Any
) -> None:
    settings.NOTIFY_CALL_TREE_STEP_SECONDS = 0
    dispatcher, chief = scenario.users[Role.DISPATCHER], scenario.users[Role.SECURITY_CHIEF]
    reads(dispatcher, "es")
    tip_submit(
        district=scenario.district,
        school=scenario.school_a,
        place="Gym",
        what="He said he would bring the knife to the gym on Friday.",
        when_text="Friday",
        urgency="imminent",
        address="198.51.100.7",  # type: ignore[arg-type]
    )
    run_due_jobs()  # the first tier: the dispatcher
    page = Notification.objects.get(user=dispatcher)
    assert page.title.startswith("Reporte de daño inminente ")
    assert "Llame al 911 si alguien está en peligro ahora." in page.body
    assert "A Middle" in page.body and "knife" not in page.body
    run_due_jobs()  # nobody acknowledged: the next tier, the chief, in the site's language
    chief_page = Notification.objects.get(user=chief)
    assert chief_page.title.startswith("Imminent-harm tip ")
    assert "Call 911 if anyone is in danger now." in chief_page.body


def test_the_page_saves_the_language_and_refuses_one_the_site_lacks() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("notify-channels")).content.decode()
    assert "Language of my alerts" in page and "Español" in page
    response = client.post(reverse("notify-channels"), {"push": "on", "language": "fr"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ChannelPreference.objects.exists()
    assert (
        client.post(reverse("notify-channels"), {"push": "on", "language": "es"}).status_code == 302
    )
    assert ChannelPreference.objects.get(user=user).language == "es"
    assert (
        client.post(reverse("notify-channels"), {"push": "on", "language": ""}).status_code == 302
    )
    assert ChannelPreference.objects.get(user=user).language == ""
