"""The home queues are filled by dispatch: its scenario fixture is shared here."""

from tests.safeops.dispatch.conftest import _fresh_officer_cache, dispatch

__all__ = ["_fresh_officer_cache", "dispatch"]
