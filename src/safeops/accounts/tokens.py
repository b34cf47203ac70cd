"""API tokens: create (shown once) and authenticate. Only the SHA-256 digest is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from safeops.accounts.models import ApiToken
from safeops.core.audit import Actor
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


def token_authenticate(raw: str) -> AbstractBaseUser | None:
    """The active user holding this unrevoked, unexpired token, or None.

    One query on every call, never a process cache: a revoked token or a deactivated user is
    refused by every server process at once."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked=False, user__is_active=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
