"""ASGI entry point: Django over HTTP, Channels consumers over WebSocket."""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeops.settings.base")

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django import setup

setup(set_prefix=False)

from safeops.core.handlers import PooledThreadsASGIHandler  # noqa: E402

django_application = PooledThreadsASGIHandler()

from django.urls import get_resolver  # noqa: E402

# Import every view module now, not on the first request: a fresh server process (a deploy, a
# restart, one of several workers) answers its first calls as fast as the rest.
get_resolver().url_patterns  # noqa: B018

from channels.auth import AuthMiddlewareStack  # noqa: E402

from safeops.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

from channels.layers import get_channel_layer  # noqa: E402
from django.db import connections  # noqa: E402

# Before the process listens, do what its first requests would otherwise do while others wait:
# import the channel layer's backend (channels-redis, redis, msgpack: ~0.3 s) and open the
# PostgreSQL pool (its connections start in the background; a database that is down is retried).
get_channel_layer()
database_pool = getattr(connections["default"], "pool", None)  # None without DB_POOL
if database_pool is not None:
    database_pool.open(wait=False)

# What is loaded by now lives as long as the process. Frozen, the collector stops scanning it:
# a full collection then walks only what requests create (a 2-process surge saw 100-200 ms
# pauses scanning ~190,000 start-up objects).
gc.collect()
gc.freeze()
