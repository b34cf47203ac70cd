"""What a new server process reads before it takes its first request.

A fresh process paid for its snapshots (on a 1,000-school district: the officers on duty, every
school's place, the officers whose SRO standing lapsed, about 100 ms of CPU) and its translation
catalogues in its first calls, and in a surge right after a restart or a deploy the calls behind
them queued (docs/dispatch.md, "Where p99 was set, and the fix"). Apps register what to load
(`register`, from their `AppConfig.ready`); gunicorn's `post_worker_init` hook
(`safeops.gunicorn_conf`) calls `warm_process` before the process accepts connections.

A warm-up never keeps a process from serving: the first failure (the database down, say) is
logged and ends it, and what was not loaded is loaded on first use, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.utils import translation

logger = logging.getLogger(__name__)

Warmer = Callable[[], None]

_WARMERS: list[Warmer] = []


def register(warmer: Warmer) -> None:
    """Load something a request would otherwise load first (idempotent)."""
    if warmer not in _WARMERS:
        _WARMERS.append(warmer)


def _load_translations() -> None:
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # activating a language reads its catalogue
            pass


def warm_process() -> list[str]:
    """Run every registered warmer (translations first); the names of those that ran. The
    database connections this thread opened are given back (to the pool) at the end."""
    done: list[str] = []
    started = time.perf_counter()
    try:
        for warmer in (_load_translations, *_WARMERS):
            name = getattr(warmer, "__qualname__", repr(warmer))
            try:
                warmer()
            except Exception:
                logger.warning(
                    "warm-up stopped at %s; the rest loads on first use", name, exc_info=True
                )
                break
            done.append(name)
    finally:
        connections.close_all()
    logger.info(
        "warm-up: %d of %d loaded in %.0f ms",
        len(done),
        len(_WARMERS) + 1,
        (time.perf_counter() - started) * 1000,
    )
    return done
