"""ASGI entry point: Django's ASGI handler for HTTP (each request on a long-lived thread of a
bounded set, core.asgihandler), Channels consumers for WebSockets, and the lifespan that runs
background jobs under `safeops serve` (core.lifespan).

Served by gunicorn with uvicorn workers (`safeops.gunicorn_conf`, docs/decisions/0005-server.md).
"""

import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeops.settings.base")

import django

django.setup(set_prefix=False)  # as get_asgi_application(), before the imports below

from django.conf import settings  # noqa: E402

from safeops.core.asgihandler import PooledASGIHandler  # noqa: E402

django_application = PooledASGIHandler(threads=settings.SERVER_THREADS)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from safeops.core.lifespan import lifespan  # noqa: E402
from safeops.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
        "lifespan": lifespan,  # the background jobs under `safeops serve`
    }
)

# Import every view module and the channel layer's backend (channels-redis: ~0.3 s) now, not on
# the first requests: a fresh server process answers its first calls as fast as the rest.
get_resolver().url_patterns  # noqa: B018
get_channel_layer()

# WhiteNoise's static files are plain file iterators: Django's ASGI handler reads them in a
# thread, as it should, and warns on every one.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)
