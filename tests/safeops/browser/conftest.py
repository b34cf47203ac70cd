"""The browser tests' Chromium fixture lives in tests/safeops/conftest.py (one per session,
shared with browser tests in other directories)."""
