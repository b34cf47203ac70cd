"""Field encryption at rest (Fernet: AES-128-CBC with HMAC-SHA256), with key rotation.

Keys come from the environment: `FIELD_ENCRYPTION_KEY` holds one or more Fernet keys separated
by commas (settings: `FIELD_ENCRYPTION_KEYS`). The first key encrypts; every key decrypts, so a
new key is put first and the old one kept until `rotate()` re-encrypted the rows. Without a key
a development or test installation (DEBUG, or the test settings) derives one from SECRET_KEY;
production refuses to start (see `encryption_key_check`).

A model keeps the ciphertext in a plain text column (`<name>_sealed`) and exposes the plaintext
through `sealed_property`: the audit log's snapshot reads columns, so it records ciphertext,
never the narrative.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "fernet:"
NO_KEY = (
    "FIELD_ENCRYPTION_KEY is not set. Threat-assessment narratives are encrypted at rest: set "
    'FIELD_ENCRYPTION_KEY to a Fernet key (python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"), or several separated by commas (the first '
    "encrypts, all decrypt)."
)
BAD_KEY = "FIELD_ENCRYPTION_KEY entry {index} is not a Fernet key (32 url-safe base64 bytes)."


def _derived_key() -> bytes:
    digest = hashlib.sha256(b"safeops-field-key:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _may_derive() -> bool:
    # override_settings hides SETTINGS_MODULE, so the environment variable is read as well.
    module = str(getattr(settings, "SETTINGS_MODULE", "") or "")
    module = module or os.environ.get("DJANGO_SETTINGS_MODULE", "")
    return bool(settings.DEBUG) or module.endswith(".test")


def configured_keys() -> list[bytes]:
    """The configured keys, or the derived development key; ImproperlyConfigured otherwise."""
    raw = [k.strip() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if k.strip()]
    if not raw:
        if not _may_derive():
            raise ImproperlyConfigured(NO_KEY)
        return [_derived_key()]
    keys = []
    for index, key in enumerate(raw, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise ImproperlyConfigured(BAD_KEY.format(index=index)) from None
        keys.append(key.encode())
    return keys


@lru_cache(maxsize=4)
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def _cipher() -> MultiFernet:
    return _fernet(tuple(configured_keys()))


def encrypt_text(plaintext: str) -> str:
    """Ciphertext for a text column ('' stays '', so an empty field shows as empty)."""
    if plaintext == "":
        return ""
    return PREFIX + _cipher().encrypt(plaintext.encode()).decode()


def decrypt_text(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("The stored value is not sealed by safeops.core.crypto.")
    try:
        return _cipher().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A sealed field cannot be decrypted with the configured FIELD_ENCRYPTION_KEY "
            "(was the key that sealed it removed?)."
        ) from None


def encrypt_bytes(data: bytes) -> bytes:
    return _cipher().encrypt(data)


def decrypt_bytes(data: bytes) -> bytes:
    return _cipher().decrypt(data)


def rotate_text(stored: str) -> str:
    """The same plaintext sealed with the first (newest) key."""
    if not stored:
        return ""
    return PREFIX + _cipher().rotate(stored[len(PREFIX) :].encode()).decode()


def sealed_property(column: str, *, doc: str = "") -> Any:
    """A property reading and writing the plaintext of the ciphertext column `column`.

    Writing the same plaintext again keeps the stored ciphertext, so an unchanged form does not
    count as a change in the audit log."""

    def getter(instance: Any) -> str:
        return decrypt_text(getattr(instance, column) or "")

    def setter(instance: Any, value: str | None) -> None:
        value = value or ""
        current = getattr(instance, column) or ""
        if current and decrypt_text(current) == value:
            return
        setattr(instance, column, encrypt_text(value))

    return property(getter, setter, doc=doc)


def encryption_key_check() -> list[str]:
    """Problems with the key configuration, for a start-up (system) check."""
    try:
        configured_keys()
    except ImproperlyConfigured as error:
        return [str(error)]
    return []
