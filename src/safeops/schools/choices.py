from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolLevel(models.TextChoices):
    ELEMENTARY = "elementary", _("Elementary")
    MIDDLE = "middle", _("Middle")
    HIGH = "high", _("High")
    COMBINED = "combined", _("Combined")
    ALTERNATIVE = "alternative", _("Alternative")
    EARLY_CHILDHOOD = "early_childhood", _("Early childhood")
    SPECIAL_PROGRAM = "special_program", _("Special program")


# Levels whose schools anchor a feeder area (a school "feeds" one of these).
HIGH_SCHOOL_LEVELS = frozenset({SchoolLevel.HIGH, SchoolLevel.COMBINED})

# Kentucky grade codes, lowest to highest. "14" is the state's code for students past grade 12.
GRADES = ("PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "14")
GRADE_ORDER = {grade: index for index, grade in enumerate(GRADES)}
