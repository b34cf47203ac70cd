"""Vocabularies of the after-the-call records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HandoffKind(models.TextChoices):
    """Where a call was handed on after it was cleared (each one is counted)."""

    SUPPORT_REFERRAL = "support_referral", _("Referral to a support resource")
    COURT_LIAISON_NOTICE = "court_liaison_notice", _("Notice to the court liaison")
    GUN_VIOLENCE_REFERRAL = (
        "gun_violence_referral",
        _("Referral to the gun-violence mental health professionals"),
    )


class ConsentGivenBy(models.TextChoices):
    PARENT_GUARDIAN = "parent_guardian", _("Parent or guardian")
    STUDENT_ADULT = "student_adult", _("Student (18 or older)")
    EMANCIPATED = "emancipated", _("Emancipated student")
