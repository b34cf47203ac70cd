from django.db import models


class SchoolLevel(models.TextChoices):
    ELEMENTARY = "elementary", "Elementary"
    MIDDLE = "middle", "Middle"
    HIGH = "high", "High"
    COMBINED = "combined", "Combined"
    ALTERNATIVE = "alternative", "Alternative"
    EARLY_CHILDHOOD = "early_childhood", "Early childhood"
    SPECIAL_PROGRAM = "special_program", "Special program"


# Levels whose schools anchor a feeder area (a school "feeds" one of these).
HIGH_SCHOOL_LEVELS = frozenset({SchoolLevel.HIGH, SchoolLevel.COMBINED})

# Kentucky grade codes, lowest to highest. "14" is the state's code for students past grade 12.
GRADES = ("PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "14")
GRADE_ORDER = {grade: index for index, grade in enumerate(GRADES)}
