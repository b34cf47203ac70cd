"""API tokens: create (shown once) and authenticate. Only the SHA-256 digest is stored."""

from __future__ import annotations

import atexit
import copy
import datetime as dt
import hashlib
import logging
import os
import secrets
import threading

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections
from django.utils import timezone

from safeops.accounts.models import ApiToken
from safeops.core.accessgen import (
    GenerationCache,
    access_generation,
    generation_subquery,
    remember_generation,
)
from safeops.core.audit import Actor
from safeops.core.services import model_create

TOKEN_BYTES = 32
LAST_USED_EVERY = dt.timedelta(minutes=5)  # how often a token's last use is written
TOUCH_FLUSH_SECONDS = 2.0  # how long a server process gathers last uses before writing them

logger = logging.getLogger(__name__)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(
    *, user: AbstractBaseUser, name: str, actor: Actor, valid_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`. Returns the row and the secret, which is never stored."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    expires = timezone.now() + dt.timedelta(days=valid_days) if valid_days else None
    token = model_create(
        model=ApiToken,
        actor=actor,
        user=user,
        name=name,
        prefix=raw[:8],
        digest=_digest(raw),
        expires_at=expires,
    )
    return token, raw


def _load_token(digest: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked=False, user__is_active=True)
        .annotate(access_generation=generation_subquery())
        .first()
    )


# Unrevoked tokens of active users, by digest, kept under the access generation (a revocation
# or a deactivation replaces it in the same commit: refused by every server process at once).
_tokens: GenerationCache[str, ApiToken] = GenerationCache()


def token_authenticate(raw: str) -> AbstractBaseUser | None:
    """The active user holding this unrevoked, unexpired token, or None.

    The token is kept per process under the access generation (safeops.core.accessgen): a
    revoked token or a deactivated user is refused by every server process at once. A token
    new to this process costs one query (the generation comes with it), a kept one the
    generation's. The user returned is this request's own copy (a request may note things on
    it, e.g. its scope)."""
    now = timezone.now()
    digest = _digest(raw)
    if settings.ACCESS_CACHE and not _tokens.holds(digest):
        token = _load_token(digest)
        generation = getattr(token, "access_generation", None)
        if token is not None:
            _tokens.put(digest, generation, token)
    else:
        generation = access_generation()
        token = _tokens.get(digest, generation, lambda: _load_token(digest))
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        token.last_used_at = now  # the kept token: written once per LAST_USED_EVERY
        if settings.BACKGROUND_REFRESH:
            _touches.add(token.pk)
        else:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = copy.copy(token.user)
    remember_generation(user, generation)
    return user


class _Touches:
    """Last uses gathered per server process and written together every couple of seconds.

    A token's last use is informational (shown in the admin, written at most every five
    minutes), so the request that uses a token never waits for that write and its commit: in a
    surge of first uses it was one more commit per call. A process that exits writes what it
    gathered.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: set[int] = set()
        self._pid = 0

    def add(self, token_id: int) -> None:
        with self._lock:
            self._pending.add(token_id)
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="safeops-token-touch", daemon=True).start()

    def _run(self) -> None:
        while True:
            threading.Event().wait(TOUCH_FLUSH_SECONDS)
            self.flush()

    def flush(self) -> None:
        with self._lock:
            ids, self._pending = self._pending, set()
        if not ids:
            return
        try:
            ApiToken.objects.filter(pk__in=ids).update(last_used_at=timezone.now())
        except Exception:  # informational; the next use writes it again
            logger.exception("Could not write the last use of %d API tokens", len(ids))
        finally:
            connections.close_all()  # this thread's connection goes back to the pool


_touches = _Touches()
atexit.register(_touches.flush)
