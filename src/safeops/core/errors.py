"""Error reports to Sentry or a compatible service (GlitchTip, …), only when SENTRY_DSN is set.

Nothing about a student, a tip sender or a secret link leaves the server: the SDK sends no
personal data, no request bodies and no local variables, and `scrub_event` removes query
strings, cookies, credentials and forwarded addresses, redacts secret path segments and
addresses in every string, and filters every value whose key names a field of a threat,
tip, referral or incident record. See docs/operations.md.
"""

from __future__ import annotations

import functools
from typing import Any

from safeops.core.logging import redact_path, scrub

FILTERED = "[Filtered]"

# Request headers an error report may keep; every other header is dropped.
KEPT_HEADERS = frozenset({"accept", "content-length", "content-type", "host", "x-request-id"})

# Keys whose values never leave the server, wherever they appear in an event.
SENSITIVE_KEYS = frozenset(
    {
        "address",
        "answer",
        "authorization",
        "code",
        "cookie",
        "csrfmiddlewaretoken",
        "csrftoken",
        "email",
        "ip",
        "ip_address",
        "narrative",
        "note",
        "password",
        "phrase",
        "remote_addr",
        "secret",
        "session",
        "sessionid",
        "student",
        "token",
        "username",
        "what",
        "x_forwarded_for",
    }
)
# Models whose every field name is sensitive (their values describe a student or a reporter).
SENSITIVE_APPS = ("threats", "referrals", "incidents")
_GENERIC_FIELDS = frozenset({"id", "pk", "created_at", "updated_at", "status", "district"})


@functools.cache
def sensitive_keys() -> frozenset[str]:
    """SENSITIVE_KEYS plus the field names of the threat, tip, referral and incident models."""
    from django.apps import apps  # noqa: PLC0415 - settings import this module before apps load

    names = set(SENSITIVE_KEYS)
    for label in SENSITIVE_APPS:
        if not apps.is_installed(f"safeops.{label}"):
            continue
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if field.concrete:
                    names.update({field.name, getattr(field, "attname", field.name)})
    return frozenset(names - _GENERIC_FIELDS)


def _is_sensitive(key: str) -> bool:
    lowered = key.lower().replace("-", "_")
    return lowered in sensitive_keys() or any(word in SENSITIVE_KEYS for word in lowered.split("_"))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {
            key: FILTERED if isinstance(key, str) and _is_sensitive(key) else _clean(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _clean_request(request: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    if "method" in request:
        kept["method"] = request["method"]
    if isinstance(request.get("url"), str):
        kept["url"] = redact_path(request["url"].split("?", 1)[0])
    headers = request.get("headers") or {}
    if isinstance(headers, dict):
        kept["headers"] = {
            name: scrub(str(value))
            for name, value in headers.items()
            if name.lower() in KEPT_HEADERS
        }
    return kept


def _clean_exception(exception: dict[str, Any]) -> dict[str, Any]:
    for value in exception.get("values") or []:
        if isinstance(value.get("value"), str):
            value["value"] = scrub(value["value"])
        for frame in (value.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return exception


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """before_send / before_send_transaction: the event without student or reporter data."""
    if isinstance(event.get("request"), dict):
        event["request"] = _clean_request(event["request"])
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    if isinstance(event.get("exception"), dict):
        event["exception"] = _clean_exception(event["exception"])
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = scrub(logentry[key])
        logentry.pop("params", None)
    if isinstance(event.get("message"), str):
        event["message"] = scrub(event["message"])
    if isinstance(event.get("transaction"), str):
        event["transaction"] = redact_path(event["transaction"])
    for key in ("extra", "contexts", "tags"):
        if isinstance(event.get(key), dict):
            event[key] = _clean(event[key])
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    if isinstance(values, list):
        for crumb in values:
            scrub_breadcrumb(crumb)
    return event


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    if isinstance(crumb.get("message"), str):
        crumb["message"] = scrub(crumb["message"])
    data = crumb.get("data")
    if isinstance(data, dict):
        data.pop("params", None)  # SQL parameters
        crumb["data"] = _clean(data)
    return crumb


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> bool:
    """Start error reporting when a DSN is given (called from settings). Returns whether it
    started."""
    if not dsn:
        return False
    import sentry_sdk  # noqa: PLC0415 - the SDK loads only when a DSN is set
    from sentry_sdk.integrations.django import DjangoIntegration  # noqa: PLC0415 - the SDK loads only when a DSN is set

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(transaction_style="url")],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,  # type: ignore[arg-type]
        before_send_transaction=scrub_event,  # type: ignore[arg-type]
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=traces_sample_rate,
    )
    return True
