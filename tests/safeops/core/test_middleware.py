"""Under ASGI the whole middleware chain runs synchronously in one thread (one hop per request)."""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.utils.module_loading import import_string

from safeops.core.middleware import SyncChainMiddleware


def test_the_sync_chain_middleware_closes_the_chain_and_everything_above_can_run_sync() -> None:
    assert settings.MIDDLEWARE[-1] == "safeops.core.middleware.SyncChainMiddleware"
    for path in settings.MIDDLEWARE:
        assert getattr(import_string(path), "sync_capable", True), path


def test_the_asgi_handler_builds_a_synchronous_chain() -> None:
    handler = ASGIHandler()
    # The top of a synchronous chain is wrapped once for the event loop (SyncToAsync);
    # an async chain would expose a coroutine function instead.
    assert type(handler._middleware_chain).__name__ == "SyncToAsync"
    assert SyncChainMiddleware.async_capable is False
