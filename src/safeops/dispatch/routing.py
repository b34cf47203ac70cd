"""WebSocket routes of dispatch (included by safeops.routing)."""

from typing import Any

from django.urls import path

from safeops.dispatch.consumers import BoardConsumer, OfficerConsumer, RequestConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/dispatch/board/", BoardConsumer.as_asgi()),
    path("ws/dispatch/requests/<int:request_id>/", RequestConsumer.as_asgi()),
    path("ws/dispatch/officer/", OfficerConsumer.as_asgi()),
]
