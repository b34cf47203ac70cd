"""Start-up check: production needs FIELD_ENCRYPTION_KEY (threat narratives are sealed)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from safeops.core.crypto import encryption_key_check


@register()
def field_key_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [Error(problem, id="safeops.E101") for problem in encryption_key_check()]
