"""What a new server process loads for dispatch before its first call (`core.warmup`)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from safeops.dispatch.credentials import lapsed_reasons
from safeops.dispatch.recommend import officer_snapshot
from safeops.dispatch.services.common import dispatch_settings_get
from safeops.dispatch.services.places import load_school_places
from safeops.schools.models import District


def warm_dispatch() -> None:
    """Every district's officers on duty, dispatch settings and lapsed officers (in each
    language), and every school's place: what filing or assigning a call reads first."""
    load_school_places()
    for district_id in District.objects.values_list("pk", flat=True):
        officer_snapshot(district_id)
        dispatch_settings_get(district_id=district_id)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                lapsed_reasons(district_id=district_id)
