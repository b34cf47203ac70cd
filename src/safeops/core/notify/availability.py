"""Who may be reached now. Apps register predicates in their AppConfig.ready.

A predicate takes a user id and answers False (off duty: nothing reaches them), True, or None
(no opinion). A person is available unless some predicate says False.
"""

from __future__ import annotations

from collections.abc import Callable

Predicate = Callable[[int], bool | None]
_PREDICATES: list[Predicate] = []


def register(predicate: Predicate) -> Predicate:
    if predicate not in _PREDICATES:
        _PREDICATES.append(predicate)
    return predicate


def is_available(user_id: int) -> bool:
    return all(predicate(user_id) is not False for predicate in _PREDICATES)
