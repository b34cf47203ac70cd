"""WebSocket routes. Live-update consumers register here."""

from typing import Any

websocket_urlpatterns: list[Any] = []
