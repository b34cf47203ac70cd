"""The dispatch scenario (two on-duty officers, one per zone) for the on-shift filter tests."""

from tests.safeops.dispatch.conftest import _fresh_officer_cache, dispatch  # noqa: F401
