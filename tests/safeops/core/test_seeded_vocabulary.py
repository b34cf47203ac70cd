"""Vocabulary the product seeds in English (default training topics, requirements, providers)
is shown in the page's language; what a district named itself is shown as written."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from safeops.core.i18n import seeded
from safeops.training.defaults import DEFAULT_REQUIREMENTS, DEFAULT_TOPICS


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
