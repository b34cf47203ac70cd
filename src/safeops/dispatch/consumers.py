"""WebSocket consumers of the live board, the requester's page and the officer's phone.

A client connects, then sends {"type": "resume", "last_seq": N}; it gets the events after N
(and the lookback window, see selectors.RESUME_LOOKBACK) followed by live events. Each event
has "seq" (null for position pings); clients skip the ones they have seen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar, cast

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeops.dispatch import live
from safeops.dispatch.selectors import (
    board_district_id,
    board_events_for_user,
    officer_events_for_user,
    officer_home_for_user,
    request_events_for_user,
    request_get_for_user,
    require_board_access,
)

CLOSE_FORBIDDEN = 4403
P = ParamSpec("P")
T = TypeVar("T")


def _db(function: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """channels' database_sync_to_async (closes stale connections), typed."""
    return cast("Callable[P, Awaitable[T]]", database_sync_to_async(function))


def _board_group(user: Any) -> str:
    return live.board_group(board_district_id(require_board_access(user)))


def _officer_group(user: Any) -> str:
    return live.officer_group(officer_home_for_user(user=user).person.pk)


class _DispatchConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group: str = ""

    async def _authorise(self) -> str | None:
        """The group to join, or None to refuse."""
        raise NotImplementedError

    async def _events(self, last_seq: int) -> list[dict[str, Any]]:
        raise NotImplementedError

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        try:
            group = await self._authorise()
        except (PermissionDenied, Http404):
            group = None
        if group is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = group
        await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "resume":
            return
        try:
            last_seq = max(0, int(content.get("last_seq") or 0))
        except (TypeError, ValueError):
            last_seq = 0
        try:
            events = await self._events(last_seq)
        except (PermissionDenied, Http404):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send_json({"type": "resumed", "events": events})

    async def dispatch_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "event", "event": message["event"]})


class BoardConsumer(_DispatchConsumer):
    """The live board: every change in the district (dispatchers, supervisors, the chief)."""

    async def _authorise(self) -> str | None:
        return await _db(_board_group)(self.scope["user"])

    async def _events(self, last_seq: int) -> list[dict[str, Any]]:
        user = self.scope["user"]
        return await _db(board_events_for_user)(user=user, last_seq=last_seq)


class RequestConsumer(_DispatchConsumer):
    """One request's changes (the requester's page)."""

    async def _authorise(self) -> str | None:
        request_id = int(self.scope["url_route"]["kwargs"]["request_id"])
        user = self.scope["user"]
        await _db(request_get_for_user)(user=user, request_id=request_id)
        return live.request_group(request_id)

    async def _events(self, last_seq: int) -> list[dict[str, Any]]:
        request_id = int(self.scope["url_route"]["kwargs"]["request_id"])
        user = self.scope["user"]
        return await _db(request_events_for_user)(
            user=user, request_id=request_id, last_seq=last_seq
        )


class OfficerConsumer(_DispatchConsumer):
    """An officer's own requests (the phone view)."""

    async def _authorise(self) -> str | None:
        return await _db(_officer_group)(self.scope["user"])

    async def _events(self, last_seq: int) -> list[dict[str, Any]]:
        user = self.scope["user"]
        return await _db(officer_events_for_user)(user=user, last_seq=last_seq)
