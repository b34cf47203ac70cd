"""Who oversees the system: reads the audit log and retries background jobs.

core knows no roles (it sits below `safeops.access`), so the answer is registered from above:
`HomeConfig.ready()` registers `access.oversees` (the security chief and superusers). Until
something registers, nobody oversees (closed by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OverseerCheck = Callable[[Any], bool]

_check: OverseerCheck | None = None


def register_overseer_check(check: OverseerCheck) -> None:
    """Set the rule that decides whether a user oversees the system (one rule; the last wins)."""
    global _check  # one process-wide rule, set once at start-up
    _check = check


def is_overseer(user: Any) -> bool:
    """True if `user` may read the audit log and manage background jobs."""
    return bool(_check is not None and user is not None and _check(user))
