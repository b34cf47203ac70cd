"""WebSocket consumers of the live board, the requester's page and the officer's phone.

A client connects, then sends {"type": "resume", "last_seq": N}; it gets the events after N
(and the lookback window, see selectors.RESUME_LOOKBACK) followed by live events. Each event
has "seq" (null for position pings); clients skip the ones they have seen.

The consumer joins the channel layer itself, in connect(), so a layer that fails (Redis down)
degrades the connection instead of failing the handshake: it is accepted, answers the resume
from the database, then sends {"type": "degraded", "detail", "retry_seconds"} and closes with
1013 (try again later); the client reconnects after that many seconds and catches up again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar, cast

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import BaseChannelLayer, get_channel_layer
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

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

logger = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403
CLOSE_TRY_AGAIN_LATER = 1013  # RFC 6455 registry: the server cannot serve this now
LIVE_JOIN_SECONDS = 2.0  # joining the live group takes longer: serve catch-up only
DEGRADED_RETRY_SECONDS = 10
LIVE_UNAVAILABLE = _(
    "Live updates are unavailable; this page catches up every {seconds} seconds instead."
)
LAYER_ERRORS = (RedisError, OSError, TimeoutError)
# Besides the message sent when access changes (at most once, like any live message), an open
# connection checks its access this often.
ACCESS_RECHECK_SECONDS = 60.0
P = ParamSpec("P")
T = TypeVar("T")


def _db(function: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """channels' database_sync_to_async (closes stale connections), typed."""
    return cast("Callable[P, Awaitable[T]]", database_sync_to_async(function))


def _board_group(user: Any) -> str:
    return live.board_group(board_district_id(require_board_access(user)))


def _fresh_user(user_id: int) -> Any:
    """The user as stored now, or None if gone or deactivated."""
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _officer_group(user: Any) -> str:
    return live.officer_group(officer_home_for_user(user=user).person.pk)


class _DispatchConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    # An alias with no configuration: channels then opens no layer before connect() (where a
    # failing layer would fail the handshake); connect() joins the default layer itself.
    channel_layer_alias = "dispatch-joined-in-connect"
    group: str = ""
    access: str = ""
    live: bool = False
    resumed: bool = False
    closed: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layer: BaseChannelLayer | None = None
        self.listener: asyncio.Task[None] | None = None
        self.rechecker: asyncio.Task[None] | None = None
        self.turn = asyncio.Lock()  # one message at a time, live or from the client

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
        self.live = await self._join(group, live.access_group(user.pk))
        await self.accept()
        self.rechecker = asyncio.create_task(self._recheck_every(ACCESS_RECHECK_SECONDS))

    async def _join(self, group: str, access: str) -> bool:
        """Join the live group and the user's access group; False (and catch-up only) if the
        layer fails or is slow."""
        layer = get_channel_layer()
        if layer is None:
            return False
        try:
            async with asyncio.timeout(LIVE_JOIN_SECONDS):
                self.channel_name = await layer.new_channel()
                await layer.group_add(group, self.channel_name)
                await layer.group_add(access, self.channel_name)
        except LAYER_ERRORS as error:
            logger.warning("Live updates unavailable, serving catch-up only: %r", error)
            return False
        self.layer, self.group, self.access = layer, group, access
        self.listener = asyncio.create_task(self._listen(layer))
        return True

    async def _listen(self, layer: BaseChannelLayer) -> None:
        try:
            while True:
                message = await layer.receive(self.channel_name)
                async with self.turn:
                    await self.dispatch(message)
        except LAYER_ERRORS as error:
            logger.warning("Live updates lost: %r", error)
            self.live = False
            async with self.turn:
                if self.resumed:
                    await self._degrade()

    async def _degrade(self) -> None:
        if self.closed:
            return
        message = str(LIVE_UNAVAILABLE).format(seconds=DEGRADED_RETRY_SECONDS)
        await self.send_json(
            {"type": "degraded", "detail": message, "retry_seconds": DEGRADED_RETRY_SECONDS}
        )
        await self.close(code=CLOSE_TRY_AGAIN_LATER)

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        self.closed = True
        await super().close(code=code, reason=reason)

    async def _still_allowed(self) -> bool:
        """The user may still watch this group (deactivated, assignment ended, role changed:
        no). Reads the database: nothing a process kept."""
        user = await _db(_fresh_user)(self.scope["user"].pk)
        if user is None:
            return False
        self.scope["user"] = user
        try:
            return await self._authorise() is not None
        except (PermissionDenied, Http404):
            return False

    async def _recheck_every(self, seconds: float) -> None:
        while not self.closed:
            await asyncio.sleep(seconds)
            async with self.turn:
                await self._check_access()

    async def _check_access(self) -> None:
        if self.closed or await self._still_allowed():
            return
        await self.close(code=CLOSE_FORBIDDEN)

    async def dispatch_access_changed(self, message: dict[str, Any]) -> None:
        await self._check_access()

    async def disconnect(self, code: int) -> None:
        for task in (self.listener, self.rechecker):
            if task is not None:
                task.cancel()
        if self.layer is None or not self.group:
            return
        try:
            async with asyncio.timeout(LIVE_JOIN_SECONDS):
                await self.layer.group_discard(self.group, self.channel_name)
                await self.layer.group_discard(self.access, self.channel_name)
        except LAYER_ERRORS as error:
            logger.warning("Could not leave the live group %s: %r", self.group, error)

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        async with self.turn:
            await super().websocket_receive(message)

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
        self.resumed = True
        if not self.live:
            await self._degrade()

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
