"""SMS and voice providers: a Twilio-compatible REST backend, and console/file backends.

`NOTIFY_SMS_BACKEND` chooses: `console` (the log; the default), `file` (JSON lines in
`NOTIFY_SMS_FILE`) or `twilio` (`TWILIO_BASE_URL`, `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`,
`TWILIO_FROM`). A provider returns its reference for the message or call; the Twilio backend
asks for status callbacks, which `callback_signature` checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from pathlib import Path
from typing import Protocol
from xml.sax.saxutils import escape

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


# The voice that reads a call, by the site's language code (Twilio's `<Say language>`).
VOICE_LANGUAGES = {"en": "en-US", "es": "es-MX"}


class ProviderError(Exception):
    """The provider refused or could not be reached; the message says why."""


class Provider(Protocol):
    def send_sms(self, *, to: str, body: str, callback_url: str) -> str: ...

    def call(self, *, to: str, say: str, callback_url: str, language: str = "") -> str: ...


class ConsoleProvider:
    """Writes each message to the log (development and tests)."""

    def send_sms(self, *, to: str, body: str, callback_url: str) -> str:
        ref = f"console-sms-{secrets.token_hex(6)}"
        logger.info("SMS %s to %s: %s", ref, to, body)
        return ref

    def call(self, *, to: str, say: str, callback_url: str, language: str = "") -> str:
        ref = f"console-call-{secrets.token_hex(6)}"
        logger.info("Voice call %s to %s (%s): %s", ref, to, language or "default voice", say)
        return ref


class FileProvider:
    """Appends each message as a JSON line to a file (a drill without a provider)."""

    def __init__(self, path: str) -> None:
        if not path:
            raise ImproperlyConfigured("NOTIFY_SMS_BACKEND=file needs NOTIFY_SMS_FILE.")
        self.path = Path(path)

    def _write(self, record: dict[str, str]) -> str:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return record["ref"]

    def send_sms(self, *, to: str, body: str, callback_url: str) -> str:
        return self._write({"ref": f"file-sms-{secrets.token_hex(6)}", "to": to, "body": body})

    def call(self, *, to: str, say: str, callback_url: str, language: str = "") -> str:
        ref = f"file-call-{secrets.token_hex(6)}"
        return self._write({"ref": ref, "to": to, "say": say, "language": language})


class TwilioProvider:
    """Twilio's 2010-04-01 REST API (Messages and Calls), or any service speaking it."""

    def __init__(self, *, base_url: str, account_sid: str, auth_token: str, sender: str) -> None:
        if not (account_sid and auth_token and sender):
            raise ImproperlyConfigured(
                "NOTIFY_SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_FROM."
            )
        self.url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}"
        self.auth = (account_sid, auth_token)
        self.sender = sender

    def _post(self, resource: str, data: dict[str, str]) -> str:
        try:
            response = requests.post(
                f"{self.url}/{resource}.json", data=data, auth=self.auth, timeout=TIMEOUT_SECONDS
            )
        except requests.RequestException as error:
            raise ProviderError(f"{resource}: {error}") from error
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code >= 400 or "sid" not in answer:
            message = answer.get("message") or response.text[:200]
            raise ProviderError(f"{resource}: HTTP {response.status_code} {message}")
        return str(answer["sid"])

    def send_sms(self, *, to: str, body: str, callback_url: str) -> str:
        data = {"To": to, "From": self.sender, "Body": body}
        if callback_url:
            data["StatusCallback"] = callback_url
        return self._post("Messages", data)

    def call(self, *, to: str, say: str, callback_url: str, language: str = "") -> str:
        """`language` is the site's code of the words (`en`, `es`): the voice reads them in
        it (`VOICE_LANGUAGES`), else in the provider's default voice."""
        voice = VOICE_LANGUAGES.get(language)
        spoken = f' language="{voice}"' if voice else ""
        twiml = f'<Response><Say{spoken} loop="3">{escape(say)}</Say></Response>'
        data = {"To": to, "From": self.sender, "Twiml": twiml}
        if callback_url:
            data["StatusCallback"] = callback_url
            data["StatusCallbackEvent"] = "completed"
        return self._post("Calls", data)


def provider() -> Provider:
    backend = settings.NOTIFY_SMS_BACKEND
    if backend == "console":
        return ConsoleProvider()
    if backend == "file":
        return FileProvider(settings.NOTIFY_SMS_FILE)
    if backend == "twilio":
        return TwilioProvider(
            base_url=settings.TWILIO_BASE_URL,
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            sender=settings.TWILIO_FROM,
        )
    raise ImproperlyConfigured(f"NOTIFY_SMS_BACKEND {backend!r}: use console, file or twilio.")


def callback_signature(*, url: str, params: dict[str, str], auth_token: str) -> str:
    """Twilio's X-Twilio-Signature: HMAC-SHA1 of the URL and the sorted form fields."""
    signed = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# The provider's words for a message's or a call's fate.
DELIVERED_STATUSES = frozenset({"delivered", "completed"})
FAILED_STATUSES = frozenset({"undelivered", "failed", "busy", "no-answer", "canceled"})
