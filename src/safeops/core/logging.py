"""Log configuration: a request id on every line, JSON or text, and nothing that identifies
a tip sender or opens a secret link.

`configure` (settings.LOGGING_CONFIG) applies settings.LOGGING and installs a log-record
factory, so every record, from any library and for any handler (a test's, Sentry's), is
scrubbed when it is made: client addresses become `[addr]`, secret path segments (provider
links, calendar feed tokens) become `[secret]`, and a client error (403, 404, 400) carries no
traceback. `safeops.core.middleware` binds the request's context. See docs/operations.md.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import logging.config
import re
from dataclasses import dataclass
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

ADDRESS = "[addr]"
SECRET = "[secret]"  # noqa: S105 - the placeholder written instead of a secret

# Path segments that are a credential in themselves (a link sent to someone without a login).
# tests/safeops/core/test_logging.py checks that every URL with a token or secret argument is
# covered here.
SECRET_PATHS = (
    re.compile(r"(/referrals/provider/)[^/?#\s'\"]+"),
    re.compile(r"(/drills/feed/)[^/?#\s'\"]+"),
    re.compile(r"(/training/feed/)[^/?#\s'\"]+"),
    re.compile(r"(/notify/receipts/)[^/?#\s'\"]+"),
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
# An IPv6 address has "::" or seven colons; times ("22:07:31") have neither.
_IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])",
)

# Exceptions that are the client's fault: logged as one line, never with a traceback.
CLIENT_ERRORS: tuple[type[BaseException], ...] = ()


def _client_errors() -> tuple[type[BaseException], ...]:
    global CLIENT_ERRORS  # filled on first use: Django may not be loaded yet
    if not CLIENT_ERRORS:
        from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation  # noqa: PLC0415 - logging is configured before Django loads
        from django.http import Http404  # noqa: PLC0415 - logging is configured before Django loads

        CLIENT_ERRORS = (PermissionDenied, Http404, SuspiciousOperation, BadRequest)
    return CLIENT_ERRORS


@dataclass
class RequestContext:
    """What the log needs to know about the request being served."""

    request_id: str
    addresses: tuple[str, ...] = ()
    reason: str = ""


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "safeops_request", default=None
)


def bind(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(context)


def unbind(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)


def current() -> RequestContext | None:
    return _current.get()


# --- Redaction ---------------------------------------------------------------------------------


def redact_path(path: str) -> str:
    """The path with every secret segment replaced (a provider link's or a feed's token)."""
    for pattern in SECRET_PATHS:
        path = pattern.sub(rf"\g<1>{SECRET}", path)
    return path


def _is_address(text: str) -> bool:
    return bool(_IPV4.fullmatch(text) or (_IPV6.fullmatch(text) and text.count(":") >= 2))


def _ipv6(match: re.Match[str]) -> str:
    text = match.group(0)
    return ADDRESS if "::" in text or text.count(":") == 7 else text


def scrub(text: str, addresses: tuple[str, ...] = ()) -> str:
    """Remove client addresses and secret path segments from free text."""
    for address in addresses:
        if address:
            text = text.replace(address, ADDRESS)
    text = _IPV4.sub(ADDRESS, text)
    if "::" in text or text.count(":") >= 7:
        text = _IPV6.sub(_ipv6, text)
    return redact_path(text)


def client_addresses(meta: dict[str, Any]) -> tuple[str, ...]:
    """Every address a request carries: the peer and each forwarded hop."""
    found: list[str] = []
    for key in ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"):
        raw = meta.get(key)
        if not isinstance(raw, str):
            continue
        for part in re.split(r"[,;\s]+", raw):
            value = part.split("=", 1)[-1].strip().strip('"').strip("[]")
            if value and _is_address(value):
                found.append(value)
    # Longest first: a shorter address may be the start of a longer one.
    return tuple(sorted(set(found), key=len, reverse=True))


def _scrub_record(record: logging.LogRecord) -> None:
    context = _current.get()
    addresses = context.addresses if context is not None else ()
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: keep its parts, scrubbed
        message = f"{record.msg} {record.args!r}"
    record.msg = scrub(message, addresses)
    record.args = ()
    if record.exc_info:
        error = record.exc_info[1]
        if isinstance(error, _client_errors()):
            record.exc_info = None
            record.exc_text = None
        else:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info), addresses)
    record.request_id = context.request_id if context is not None else "-"
    record.safeops_scrubbed = True


_base_factory = logging.getLogRecordFactory()


def _record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    _scrub_record(record)
    return record


def configure(config: dict[str, Any]) -> None:
    """settings.LOGGING_CONFIG: apply the dictionary and scrub every record from now on."""
    logging.config.dictConfig(config)
    logging.setLogRecordFactory(_record_factory)


# --- Filters and formatters (named in settings.LOGGING) ---------------------------------------


class ContextFilter(logging.Filter):
    """Adds `request_id` (and scrubs) a record made before the factory was installed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "safeops_scrubbed", False):
            _scrub_record(record)
        return True


class FoldClientErrors(logging.Filter):
    """Django logs each 4xx (django.request, django.security.*) as a warning; the access log
    already has a line for that request, so the warning's reason goes into that line and the
    warning itself is dropped. Outside a request it stays, as one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not (record.name == "django.request" or record.name.startswith("django.security")):
            return True
        status = getattr(record, "status_code", 500)
        if not isinstance(status, int) or status >= 500:
            return True
        context = _current.get()
        if context is None:
            record.exc_info = None
            record.exc_text = None
            return True
        message = record.getMessage()
        context.reason = message.rsplit(": /", 1)[0] if ": /" in message else message
        return False


class TextFormatter(logging.Formatter):
    """`2026-12-03T22:07:31.123Z INFO safeops.access [req] message`, UTC."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

    def formatException(self, ei: Any) -> str:
        return scrub(super().formatException(ei))


# Extra fields a JSON line may carry; anything else a library attaches (Django's `request`
# object, whose repr holds the full path) is left out.
JSON_EXTRA_FIELDS = frozenset(
    {"method", "path", "status", "duration_ms", "user_id", "route", "reason", "status_code"}
)


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, request_id, message and known extras."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )

    formatTime = TextFormatter.formatTime

    def formatException(self, ei: Any) -> str:
        return scrub(logging.Formatter.formatException(self, ei))

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        fixed = {"time", "level", "logger", "request_id", "message", "exc_info", "stack_info"}
        return {
            key: value
            for key, value in log_data.items()
            if key in fixed or (key in JSON_EXTRA_FIELDS and value is not None)
        }


def logging_settings(*, level: str, fmt: str, access_level: str) -> dict[str, Any]:
    """settings.LOGGING: one console handler, text or JSON."""
    formatter = "json" if fmt == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "safeops.core.logging.ContextFilter"},
            "fold_client_errors": {"()": "safeops.core.logging.FoldClientErrors"},
        },
        "formatters": {
            "text": {"()": "safeops.core.logging.TextFormatter"},
            "json": {"()": "safeops.core.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": ["context", "fold_client_errors"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (mail to admins, runserver's console) are replaced by ours.
            "django": {"handlers": [], "level": level, "propagate": True},
            "safeops.access": {"level": access_level},
        },
    }


def axes_client_str(
    username: str, ip_address: str, user_agent: str, path_info: str, request: Any
) -> str:
    """settings.AXES_CLIENT_STR_CALLABLE: django-axes names the username only in its log
    lines, never the address or the browser."""
    return f"{{username: {username!r}}}"
