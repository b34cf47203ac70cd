"""WebSocket routes. Live-update consumers register here."""

from typing import Any

from safeops.dispatch.routing import websocket_urlpatterns as dispatch_websockets

websocket_urlpatterns: list[Any] = []
websocket_urlpatterns += dispatch_websockets
