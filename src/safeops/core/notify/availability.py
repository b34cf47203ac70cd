"""Who may be reached now. Apps register predicates in their AppConfig.ready.

A predicate takes a user id and answers False (off duty: nothing reaches them), True, or None
(no opinion). A person is available unless some predicate says False. A predicate may come with
a bulk form (`among`: the unavailable ones of a set of user ids, in a query or two), which the
job sending many alerts at once uses instead of asking person by person.
"""

from __future__ import annotations

from collections.abc import Callable

Predicate = Callable[[int], bool | None]
Among = Callable[[set[int]], set[int]]
_PREDICATES: list[Predicate] = []
_AMONG: dict[Predicate, Among] = {}


def register(predicate: Predicate, *, among: Among | None = None) -> Predicate:
    if predicate not in _PREDICATES:
        _PREDICATES.append(predicate)
    if among is not None:
        _AMONG[predicate] = among
    return predicate


def is_available(user_id: int) -> bool:
    return all(predicate(user_id) is not False for predicate in _PREDICATES)


def unavailable_among(user_ids: set[int]) -> set[int]:
    """The people of `user_ids` some predicate calls unavailable."""
    unavailable: set[int] = set()
    for predicate in _PREDICATES:
        among = _AMONG.get(predicate)
        rest = user_ids - unavailable
        if among is not None:
            unavailable |= among(rest)
        else:
            unavailable |= {user_id for user_id in rest if predicate(user_id) is False}
    return unavailable
