"""The browser tests' Chromium fixture lives in tests/safeops/conftest.py (one per session,
shared with browser tests in other directories)."""

from tests.safeops.dispatch.conftest import _fresh_officer_cache, dispatch

__all__ = ["_fresh_officer_cache", "dispatch"]
