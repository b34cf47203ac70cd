"""API tokens: create (shown once) and authenticate. Only the SHA-256 digest is stored."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from safeops.accounts.models import ApiToken
from safeops.core.audit import Actor
from safeops.core.caches import TimedCache
from safeops.core.services import model_create

TOKEN_BYTES = 32
LAST_USED_EVERY = dt.timedelta(minutes=5)  # how often a token's last use is written


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


@dataclass(frozen=True)
class _Holder:
    token_id: int
    user: AbstractBaseUser
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None


# Every API call authenticates: the digest → holder lookup is kept for PROCESS_CACHE_SECONDS.
# Saving or deleting a token or a user (revoking, deactivating) empties it in this process.
_holders: TimedCache[str, _Holder | None] = TimedCache(
    seconds=lambda: float(settings.PROCESS_CACHE_SECONDS), keep_none=False
)


def _holder(digest: str) -> _Holder | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    return _Holder(token.pk, token.user, token.expires_at, token.last_used_at)


def token_authenticate(raw: str) -> AbstractBaseUser | None:
    """The active user holding this unrevoked, unexpired token, or None."""
    now = timezone.now()
    digest = _digest(raw)
    holder = _holders.get(digest, lambda: _holder(digest))
    if holder is None or (holder.expires_at is not None and holder.expires_at <= now):
        return None
    if holder.last_used_at is None or now - holder.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=holder.token_id).update(last_used_at=now)
        _holders.forget(digest)
    # A copy per call: request handling caches per-request state on the user object.
    return copy.copy(holder.user)


def forget_token_holders(**_kwargs: Any) -> None:
    """Signal receiver: a token or a user was saved or deleted."""
    _holders.clear()
