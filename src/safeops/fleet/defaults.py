"""The start-of-shift checklist every district starts with (editable in the admin or the API
through `checklist_item_save`). Critical items take the vehicle out of service when they fail.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

# (code, label, critical)
DEFAULT_CHECKLIST: tuple[tuple[str, str, bool], ...] = (
    ("lights-siren", gettext_noop("Emergency lights and siren work"), True),
    ("brakes", gettext_noop("Brakes feel normal"), True),
    ("tires", gettext_noop("Tires inflated, no visible damage"), True),
    ("seat-belts", gettext_noop("Seat belts work"), True),
    ("headlights", gettext_noop("Headlights, brake lights and turn signals work"), True),
    ("radio-mount", gettext_noop("Mobile radio and charger work"), False),
    ("fluids", gettext_noop("No fluid leaks, fuel above a quarter"), False),
    ("first-aid", gettext_noop("First-aid kit and trauma kit stocked"), False),
    ("extinguisher", gettext_noop("Fire extinguisher charged"), False),
    ("body", gettext_noop("No new body damage"), False),
    ("clean", gettext_noop("Cabin clean, no items left from the last shift"), False),
)

# Days between equipment checks, and how early an expiry is shown as coming up.
CHECK_EVERY_DAYS = {"radio": 30, "body_camera": 30, "aed": 30, "naloxone": 30}
EXPIRING_WITHIN_DAYS = 30
