"""Student demographic vocabularies: one definition for every app that records them.

The federal (CRDC) race/ethnicity categories, sex, disability status and English-learner
status, each with `NOT_REPORTED` ("not_reported") for a value nobody gave. Dispatch records
them when an officer clears a call with an enforcement disposition (accountability); threat
assessment records two of them for its fairness indicators. Aggregates only ever leave through
safeops.core.suppression.
"""

from __future__ import annotations

from django.db import models

NOT_REPORTED = "not_reported"


class RaceEthnicity(models.TextChoices):
    """The federal (CRDC) seven categories, plus not reported."""

    HISPANIC_LATINO = "hispanic_latino", "Hispanic or Latino, of any race"
    AMERICAN_INDIAN = "american_indian_alaska_native", "American Indian or Alaska Native"
    ASIAN = "asian", "Asian"
    BLACK = "black_african_american", "Black or African American"
    PACIFIC_ISLANDER = (
        "native_hawaiian_pacific_islander",
        ("Native Hawaiian or Other Pacific Islander"),
    )
    WHITE = "white", "White"
    TWO_OR_MORE = "two_or_more", "Two or more races"
    NOT_REPORTED = NOT_REPORTED, "Not reported"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NONBINARY = "nonbinary", "Nonbinary"
    NOT_REPORTED = NOT_REPORTED, "Not reported"


class DisabilityStatus(models.TextChoices):
    IDEA = "idea", "Served under IDEA"
    SECTION_504 = "section_504", "Section 504 only"
    NONE = "none", "No disability status"
    NOT_REPORTED = NOT_REPORTED, "Not reported"


class EnglishLearner(models.TextChoices):
    YES = "yes", "English learner"
    NO = "no", "Not an English learner"
    NOT_REPORTED = NOT_REPORTED, "Not reported"
