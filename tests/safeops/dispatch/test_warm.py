"""Dispatch's warm-up: after it, filing and assigning read no snapshot from the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from safeops.dispatch.credentials import forget_lapsed, lapsed_reasons
from safeops.dispatch.recommend import forget_officers, officer_snapshot
from safeops.dispatch.services import dispatch_settings_forget, dispatch_settings_get
from safeops.dispatch.services.places import forget_school_places, school_place
from safeops.dispatch.warm import warm_dispatch
from tests.safeops.dispatch.conftest import DispatchScenario

pytestmark = [pytest.mark.django_db, pytest.mark.shared_scenario]


def _first_reads(dispatch: DispatchScenario) -> int:
    district_id = dispatch.s.district.pk
    with CaptureQueriesContext(connection) as reads:
        snapshot = officer_snapshot(district_id)
        assert dispatch.officer_a.pk in snapshot.person_ids
        assert school_place(school_id=dispatch.s.school_a.pk) == (
            dispatch.s.school_a,
            dispatch.s.zone_a,
        )
        dispatch_settings_get(district_id=district_id)
        for language in ("en", "es"):
            with translation.override(language):
                lapsed_reasons(district_id=district_id)
    return len(reads)


def _forget_everything(dispatch: DispatchScenario) -> None:
    forget_officers()
    forget_school_places()
    forget_lapsed()
    dispatch_settings_forget(district_id=dispatch.s.district.pk)


def test_after_the_warm_up_the_first_call_reads_no_snapshot(dispatch: DispatchScenario) -> None:
    _forget_everything(dispatch)
    assert _first_reads(dispatch) > 0  # cold: the first call loads them
    _forget_everything(dispatch)
    warm_dispatch()
    assert _first_reads(dispatch) == 0
