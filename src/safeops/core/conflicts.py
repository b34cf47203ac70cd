"""A change that conflicts with a record's current state (a workflow step not allowed now).

Each app raises its own subclass (`DispatchConflict`, `ReferralConflict`); pages and the API
answer 409 with `field` (the input at fault), `message` and the steps `allowed` next."""

from __future__ import annotations

from django.utils.functional import Promise


class StateConflict(Exception):
    def __init__(
        self, message: str | Promise, *, field: str, allowed: list[str] | None = None
    ) -> None:
        # In the active language, as text (a lazy message would not serialize to JSON).
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.allowed = allowed
