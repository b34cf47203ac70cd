"""Calendar feed tokens: the secret in a user's iCalendar feed URLs (drills, training).

Calendar apps fetch a feed without a session, so the URL carries a secret. Only its SHA-256
digest is stored; rotating makes a new one (shown once) and the old URLs stop working.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction

from safeops.core.audit import Actor
from safeops.core.models import CalendarFeedToken
from safeops.core.services import model_create


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def calendar_token_rotate(*, user: Any, actor: Actor) -> str:
    """A new secret for the user's iCalendar feeds (the old one stops working). Shown once."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeedToken.objects.filter(user_id=user.pk).delete()
        model_create(model=CalendarFeedToken, actor=actor, user=user, digest=_digest(raw))
    return raw


def calendar_token_user(raw: str) -> Any | None:
    """The active user whose feed secret is `raw`, or None."""
    token = (
        CalendarFeedToken.objects.select_related("user")
        .filter(digest=_digest(raw), user__is_active=True)
        .first()
    )
    return token.user if token is not None else None
