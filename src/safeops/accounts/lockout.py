"""Login lockout with two limits (django-axes): a username from one address, and one address
across every username (password spraying).

django-axes counts failures per lockout parameter but compares them all with one limit
(`AXES_FAILURE_LIMIT`), so the address limit cannot be a second, higher number by settings
alone. This handler keeps axes' storage, cool-off and lockout page, and changes two things:

- `get_failures` reports the username+address count, or the full limit once the address has
  `LOGIN_ADDRESS_FAILURE_LIMIT` failures across usernames in the cool-off period;
- a successful login clears only that username+address pair, so logging in to one's own
  account does not wipe the address's failures against other accounts.

The address is `safeops.core.clientaddr.client_address` (`AXES_CLIENT_IP_CALLABLE`).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest


def _failures(attempts: QuerySet[Any]) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class LoginLockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes is untyped
    def _recent(self, request: HttpRequest) -> QuerySet[Any]:
        attempts: QuerySet[Any] = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        address = request.axes_ip_address  # type: ignore[attr-defined]
        recent = self._recent(request)
        username = get_client_username(request, credentials)
        pair = _failures(recent.filter(username=username, ip_address=address))
        if _failures(recent.filter(ip_address=address)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, int(get_failure_limit(request, credentials)))
        return pair

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        username = get_client_username(request, credentials)
        address = request.axes_ip_address  # type: ignore[attr-defined]
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=address).delete()
        return int(count)
