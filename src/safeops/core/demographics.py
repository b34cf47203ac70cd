"""Student demographic vocabularies: one definition for every app that records them.

The federal (CRDC) race/ethnicity categories, sex, disability status and English-learner
status, each with `NOT_REPORTED` ("not_reported") for a value nobody gave. Dispatch records
them when an officer clears a call with an enforcement disposition (accountability); threat
assessment records two of them for its fairness indicators. Aggregates only ever leave through
safeops.core.suppression.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

NOT_REPORTED = "not_reported"


class RaceEthnicity(models.TextChoices):
    """The federal (CRDC) seven categories, plus not reported."""

    HISPANIC_LATINO = "hispanic_latino", _("Hispanic or Latino, of any race")
    AMERICAN_INDIAN = "american_indian_alaska_native", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian")
    BLACK = "black_african_american", _("Black or African American")
    PACIFIC_ISLANDER = (
        "native_hawaiian_pacific_islander",
        _("Native Hawaiian or Other Pacific Islander"),
    )
    WHITE = "white", _("White")
    TWO_OR_MORE = "two_or_more", _("Two or more races")
    NOT_REPORTED = NOT_REPORTED, _("Not reported")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NONBINARY = "nonbinary", _("Nonbinary")
    NOT_REPORTED = NOT_REPORTED, _("Not reported")


class DisabilityStatus(models.TextChoices):
    IDEA = "idea", _("Served under IDEA")
    SECTION_504 = "section_504", _("Section 504 only")
    NONE = "none", _("No disability status")
    NOT_REPORTED = NOT_REPORTED, _("Not reported")


class EnglishLearner(models.TextChoices):
    YES = "yes", _("English learner")
    NO = "no", _("Not an English learner")
    NOT_REPORTED = NOT_REPORTED, _("Not reported")
