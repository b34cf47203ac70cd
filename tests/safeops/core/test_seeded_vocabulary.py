"""Vocabulary the product seeds in English (default training topics, requirements, providers)
is shown in the page's language; what a district named itself is shown as written. The 403 and
404 pages are in Spanish too."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from safeops.core.i18n import seeded
from safeops.staff.choices import Role
from safeops.training.defaults import DEFAULT_REQUIREMENTS, DEFAULT_TOPICS
from tests.safeops.factories import PersonFactory


def test_a_seeded_default_is_translated_and_a_district_name_is_kept() -> None:
    with translation.override("es"):
        assert seeded("Trauma-informed care") == "Atención informada sobre el trauma"
        assert seeded("District training") == "Capacitación del distrito"
        assert seeded("Valley's own de-escalation refresher") == (
            "Valley's own de-escalation refresher"
        )
        assert seeded("") == ""
    with translation.override("en"):
        assert seeded("Trauma-informed care") == "Trauma-informed care"


def test_every_default_topic_and_requirement_has_spanish() -> None:
    """A default added to training/defaults.py without gettext_noop (so never extracted)
    would show in English on the Spanish pages."""
    names = {t.name for t in DEFAULT_TOPICS} | {r.name for r in DEFAULT_REQUIREMENTS}
    acronyms = {"MTSS", "PBIS", "SRO I", "SRO II", "SRO III"}  # the same in Spanish
    with translation.override("es"):
        untranslated = sorted(n for n in names - acronyms if seeded(n) == n)
    assert untranslated == []


def test_the_template_filter_uses_the_same_look_up() -> None:
    template = Template("{% load labels %}{{ topic|seeded }}")
    with translation.override("es"):
        assert template.render(Context({"topic": "De-escalation"})) == "Desescalada"


@pytest.mark.django_db
def test_the_refusal_and_not_found_pages_are_in_spanish() -> None:
    person = PersonFactory(role=Role.PRINCIPAL)
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(person.user)
    refused = client.get("/training/import/")
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "Acceso no permitido" in text
    # The reason is the service's message, in the page's language.
    assert "Solo el coordinador de capacitación" in text
    missing = client.get("/zones/999999/")
    assert missing.status_code == 404
    assert "Página no encontrada" in missing.content.decode()


@pytest.mark.django_db
def test_a_page_refused_to_a_role_says_why_in_the_pages_language() -> None:
    person = PersonFactory(role=Role.COMMUNITY_MONITOR)
    for language, reason in (
        ("es", "Su función no ve el registro de incidentes."),
        ("en", "Your role does not see the incident log."),
    ):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(person.user)
        refused = client.get("/incidents/")
        assert refused.status_code == 403
        assert reason in refused.content.decode()
