"""Officers whose SRO training or POPS certification has lapsed, for every dispatch screen.

Kentucky suspends an SRO's certification until missed training is made up (KRS 158.4414);
dispatch shows the flag beside the officer wherever it lists officers (recommendations, the
live board, the officer list). The training app decides who has lapsed
(`safeops.training.selectors.lapsed_officers`, docs/training.md); this module keeps its
answer per district and language (the reasons are worded in the reader's) for
`LAPSED_CACHE_SECONDS` (then reloads it behind the callers), and a saved training record or rule
drops it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from safeops.core.caches import TimedCache
from safeops.training.selectors import lapsed_officers

LAPSED_CACHE_SECONDS = 60.0

_lapsed: TimedCache[tuple[int, dt.date, str], dict[int, str]] = TimedCache(
    seconds=lambda: LAPSED_CACHE_SECONDS,
    refresh_in_background=lambda: bool(settings.BACKGROUND_REFRESH),
)


def lapsed_reasons(*, district_id: int) -> dict[int, str]:
    """Person id → why the officer's SRO standing has lapsed (empty: none has), in the active
    language."""
    today = timezone.localdate()
    language = translation.get_language() or settings.LANGUAGE_CODE

    def load() -> dict[int, str]:
        with translation.override(language):  # a background refresh runs on another thread
            return lapsed_officers(district_id=district_id, on=today)

    return _lapsed.get((district_id, today, language), load)


def forget_lapsed(**_kwargs: Any) -> None:
    """Signal receiver: a training record, certification or rule changed."""
    _lapsed.clear()
