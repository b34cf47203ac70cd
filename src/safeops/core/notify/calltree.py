"""Who a district pages when an alert needs a human now, tier by tier.

Apps register resolvers in their AppConfig.ready: a resolver takes a district id and returns
tiers (lists of user ids), first tier first. The call tree is every resolver's tiers in
registration order, each user in the first tier that names them.
"""

from __future__ import annotations

from collections.abc import Callable

Resolver = Callable[[int], list[list[int]]]
_RESOLVERS: list[Resolver] = []


def register(resolver: Resolver) -> Resolver:
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)
    return resolver


def tiers(district_id: int) -> list[list[int]]:
    seen: set[int] = set()
    result: list[list[int]] = []
    for resolver in _RESOLVERS:
        for tier in resolver(district_id):
            fresh = [user_id for user_id in tier if user_id not in seen]
            seen.update(fresh)
            if fresh:
                result.append(fresh)
    return result
