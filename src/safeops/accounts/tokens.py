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
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

from safeops.accounts.models import ApiToken, User
from safeops.core.accessgen import (
    GENERATION_ROW,
    GenerationCache,
    access_generation,
    remember_generation,
)
from safeops.core.audit import Actor
from safeops.core.models import AccessGeneration
from safeops.core.services import model_create

M = TypeVar("M", bound=Model)
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


class _TokenQuery:
    """The token, its user and the access generation in one raw statement (a principal's first
    call in a surge is always a miss: the ORM's building of this join was most of its cost).
    Values pass through the same converters the ORM applies (per database vendor)."""

    def __init__(self) -> None:
        self._by_vendor: dict[str, tuple[str, list[list[Any]], list[list[Any]]]] = {}

    def _prepared(self, connection: Any) -> tuple[str, list[list[Any]], list[list[Any]]]:
        prepared = self._by_vendor.get(connection.vendor)
        if prepared is None:
            quote = connection.ops.quote_name
            columns = [
                f"{alias}.{quote(field.column)}"
                for alias, model in (("t", ApiToken), ("u", User))
                for field in model._meta.concrete_fields
            ]
            sql = (
                f"SELECT {', '.join(columns)}, g.{quote('value')} "  # noqa: S608 - names
                f"FROM {quote(ApiToken._meta.db_table)} t "
                f"INNER JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = t."
                f"{quote(ApiToken._meta.get_field('user').column)} "
                f"LEFT JOIN {quote(AccessGeneration._meta.db_table)} g ON g.{quote('id')} = %s "
                f"WHERE t.{quote('digest')} = %s AND t.{quote('revoked')} = %s "
                f"AND u.{quote('is_active')} = %s"
            )
            prepared = (sql, _converters(ApiToken, connection), _converters(User, connection))
            self._by_vendor[connection.vendor] = prepared
        return prepared

    def load(self, digest: str) -> tuple[ApiToken | None, str | None]:
        """The unrevoked token of an active user with this digest, and the generation."""
        connection = connections[router.db_for_read(ApiToken)]
        sql, token_converters, user_converters = self._prepared(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [GENERATION_ROW, digest, False, True])
            row = cursor.fetchone()
        if row is None:
            return None, None
        split = len(token_converters)
        token = _from_row(ApiToken, row[:split], token_converters, connection)
        token.user = _from_row(User, row[split:-1], user_converters, connection)
        generation = row[-1]
        return token, (str(generation) if generation is not None else None)


def _converters(model: type[Model], connection: Any) -> list[list[Any]]:
    """Per concrete field, the converters the ORM applies to a value read from the database."""
    return [
        connection.ops.get_db_converters(field.get_col(model._meta.db_table))
        + field.get_db_converters(connection)  # type: ignore[attr-defined]
        for field in model._meta.concrete_fields
    ]


def _from_row(model: type[M], values: Any, converters: list[list[Any]], connection: Any) -> M:
    fields = model._meta.concrete_fields
    converted = []
    for field, value, field_converters in zip(fields, values, converters, strict=True):
        for converter in field_converters:
            value = converter(value, field.get_col(model._meta.db_table), connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


_token_query = _TokenQuery()


def _load_token(digest: str) -> ApiToken | None:
    return _token_query.load(digest)[0]


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
        token, generation = _token_query.load(digest)
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
