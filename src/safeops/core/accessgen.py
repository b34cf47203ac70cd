"""What grants access, kept per server process and keyed by the database's access generation.

Every API call read its token (and user) and its caller's scope (assignments, zones) from the
database: two queries and most of a call's CPU outside its own work. A cache must not delay a
revocation in any process (docs/decisions/0009-process-caches.md), so these values are keyed by
the **access generation**: one row (`core.AccessGeneration`) whose random value is replaced in
the same transaction as every save or delete of a model that grants access (`watch`: tokens,
users, people, assignments, zone memberships). A request reads the generation (one small
query, `access_generation`); a value kept under another generation is never used. Other
processes see the new generation exactly when they see the change itself (same commit), so a
revoked token, an ended assignment or a deactivated user is refused by every process at once.

A write that sends no signal (`QuerySet.update`, `bulk_create`, raw SQL) on those models must
call `access_changed()` itself; a restore does. `ACCESS_CACHE=false` turns the cache off.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connections, models, router

from safeops.core.caches import register_process_cache
from safeops.core.models import AccessGeneration

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

GENERATION_ROW = 1  # the primary key of the one row
_ROW = GENERATION_ROW
_SQL = f"SELECT value FROM {AccessGeneration._meta.db_table} WHERE id = %s"  # noqa: S608


def access_generation(using: str = "default") -> str | None:
    """The current generation (None: the cache is off, or there is no row yet)."""
    if not settings.ACCESS_CACHE:
        return None
    with connections[using].cursor() as cursor:
        cursor.execute(_SQL, [_ROW])
        row = cursor.fetchone()
    return str(row[0]) if row else None


def access_changed(using: str = "default") -> None:
    """A new generation, in the caller's transaction: every value kept under the last is void."""
    value = uuid.uuid4().hex
    updated = AccessGeneration.objects.using(using).filter(pk=_ROW).update(value=value)
    if not updated:
        AccessGeneration.objects.using(using).get_or_create(pk=_ROW, defaults={"value": value})


def _changed(sender: type[models.Model], ignore: frozenset[str]) -> Callable[..., None]:
    def receiver(**kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) <= ignore:
            return  # e.g. a login's last_login, a token's last use: no access changes
        instance = kwargs.get("instance")
        access_changed(kwargs.get("using") or router.db_for_write(sender, instance=instance))

    return receiver


_receivers: list[Callable[..., None]] = []  # signals hold weak references


def watch(model: type[models.Model], *, ignore: Iterable[str] = ()) -> None:
    """Replace the generation on every save and delete of `model` (from an AppConfig.ready()),
    except saves that change only the `ignore` fields."""
    receiver = _changed(model, frozenset(ignore))
    _receivers.append(receiver)
    models.signals.post_save.connect(receiver, sender=model, weak=False)
    models.signals.post_delete.connect(receiver, sender=model, weak=False)


class GenerationCache(Generic[K, V]):
    """Values of this process, each kept under the generation it was loaded in.

    Only the newest generation's values are kept (a new one empties the cache); `max_entries`
    bounds memory. A miss (`load` returns None) is not kept, so guessed keys cannot fill it.
    """

    def __init__(self, *, max_entries: int = 20_000) -> None:
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._entries: dict[K, V] = {}
        self._max_entries = max_entries
        register_process_cache(self.clear)

    def get(self, key: K, generation: str | None, load: Callable[[], V | None]) -> V | None:
        if generation is None:
            return load()
        with self._lock:
            if generation == self._generation and key in self._entries:
                return self._entries[key]
        value = load()
        if value is not None:
            self.put(key, generation, value)
        return value

    def holds(self, key: K) -> bool:
        """Is a value kept for `key` (under the newest generation this process has seen)?"""
        with self._lock:
            return key in self._entries

    def put(self, key: K, generation: str | None, value: V) -> None:
        """Keep `value`, loaded under `generation` (read in the same query or before it)."""
        if generation is None:
            return
        with self._lock:
            if generation != self._generation:
                self._generation = generation
                self._entries = {}
            if len(self._entries) >= self._max_entries:
                self._entries = {}
            self._entries[key] = value

    def clear(self) -> None:
        with self._lock:
            self._generation = None
            self._entries = {}


_GENERATION_ATTRIBUTE = "_safeops_access_generation"


def remember_generation(user: object, generation: str | None) -> None:
    """Note the generation read for this request on its user (the scope then reads no other)."""
    setattr(user, _GENERATION_ATTRIBUTE, generation)


def request_generation(user: object) -> str | None:
    """The generation this request read when it authenticated `user`, else the current one."""
    if hasattr(user, _GENERATION_ATTRIBUTE):
        return getattr(user, _GENERATION_ATTRIBUTE)  # type: ignore[no-any-return]
    return access_generation()
