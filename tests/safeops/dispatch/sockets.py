"""A WebSocket to the test server as a logged-in user, and its next message."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.test import Client
from websockets.sync.client import ClientConnection, connect


def socket_for(base: str, user: Any, path: str) -> ClientConnection:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return connect(
        base.replace("http://", "ws://") + path,
        additional_headers={"Cookie": cookie},
        origin=base,
        open_timeout=10,
    )


def next_message(ws: ClientConnection) -> Any:
    return json.loads(ws.recv(timeout=10))
