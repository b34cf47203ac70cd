"""The directory's categories: the district plan's six plus the district's own supports.

They are seeded as one HSDS taxonomy (`SAFEOPS_TAXONOMY_ID`) whose terms carry the category
code, so they export as ordinary HSDS taxonomy terms and a service's categories are HSDS
attributes linking the service to a term. Codes are stable: other apps store them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Fixed HSDS ids so every install (and every export) names the taxonomy and its terms alike.
_NAMESPACE = uuid.UUID("6f1c2d3e-4a5b-5c6d-8e7f-90a1b2c3d4e5")
SAFEOPS_TAXONOMY_ID = str(uuid.uuid5(_NAMESPACE, "safeops-categories"))
SAFEOPS_TAXONOMY_NAME = "safeops support categories"


class Category(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental health services")
    SUBSTANCE_ABUSE = "substance_abuse", _("Substance abuse assessment and treatment")
    CHILD_PROTECTIVE_SERVICES = "child_protective_services", _("Child Protective Services")
    SHELTER = "shelter", _("Shelters")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence services")
    FAMILY_COUNSELING = "family_counseling", _("Family counselling")
    # The district's own supports
    GUN_VIOLENCE_MHP = "gun_violence_mhp", _("Mental health practitioners for gun-involved youth")
    COURT_LIAISON = "court_liaison", _("Court liaison")
    VIOLENCE_PREVENTION = "violence_prevention", _("Violence prevention specialist")


PLAN_CATEGORIES = (
    Category.MENTAL_HEALTH,
    Category.SUBSTANCE_ABUSE,
    Category.CHILD_PROTECTIVE_SERVICES,
    Category.SHELTER,
    Category.DOMESTIC_VIOLENCE,
    Category.FAMILY_COUNSELING,
)
DISTRICT_CATEGORIES = (
    Category.GUN_VIOLENCE_MHP,
    Category.COURT_LIAISON,
    Category.VIOLENCE_PREVENTION,
)

CATEGORY_DESCRIPTIONS: dict[str, str] = {
    Category.MENTAL_HEALTH: "Outpatient and crisis mental health care for children and families.",
    Category.SUBSTANCE_ABUSE: "Assessment and treatment for alcohol and drug use.",
    Category.CHILD_PROTECTIVE_SERVICES: "Reports of abuse or neglect and family protection.",
    Category.SHELTER: "Emergency and transitional shelter for youth and families.",
    Category.DOMESTIC_VIOLENCE: "Safety planning, advocacy and shelter for people facing abuse.",
    Category.FAMILY_COUNSELING: "Counselling for families and caregivers.",
    Category.GUN_VIOLENCE_MHP: (
        "District mental health practitioners for gun-involved youth and victims of gun violence."
    ),
    Category.COURT_LIAISON: "District liaison for court-involved students.",
    Category.VIOLENCE_PREVENTION: "District violence prevention specialist.",
}


def _english(label: object) -> str:
    """A label as stored in the HSDS data: always English, whatever the page's language."""
    with translation.override("en"):
        return str(label)


def category_term_id(code: str) -> str:
    """The fixed HSDS taxonomy_term id of a category."""
    return str(uuid.uuid5(_NAMESPACE, f"safeops-category:{code}"))


def category_taxonomy_seed(taxonomy_model: Any, term_model: Any) -> None:
    """Create or refresh the safeops taxonomy and its terms (idempotent). Takes the model
    classes so the data migration (historical models) and the demo seed (after a test
    database flush) share it."""
    taxonomy_model.objects.update_or_create(
        hsds_id=SAFEOPS_TAXONOMY_ID,
        defaults={
            "name": SAFEOPS_TAXONOMY_NAME,
            "description": "The district safety plan's support categories and district supports.",
            "version": "1",
        },
    )
    for category in Category:
        term_model.objects.update_or_create(
            hsds_id=category_term_id(category.value),
            defaults={
                "code": category.value,
                "name": _english(category.label),
                "description": CATEGORY_DESCRIPTIONS[category],
                "taxonomy_id": SAFEOPS_TAXONOMY_ID,
                "language": "en",
            },
        )
