"""Field encryption: round trip, key rotation (first key encrypts, all decrypt), key errors."""

from __future__ import annotations

import os
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from safeops.core import crypto


def test_round_trip_and_ciphertext_hides_the_text() -> None:
    sealed = crypto.encrypt_text("he said he would bring a gun")
    assert sealed.startswith(crypto.PREFIX)
    assert "gun" not in sealed
    assert crypto.decrypt_text(sealed) == "he said he would bring a gun"
    assert crypto.encrypt_text("") == "" and crypto.decrypt_text("") == ""


def test_rotation_new_key_first_old_key_still_decrypts() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        sealed_old = crypto.encrypt_text("statement")
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt_text(sealed_old) == "statement"
        rotated = crypto.rotate_text(sealed_old)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert crypto.decrypt_text(rotated) == "statement"
        with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
            crypto.decrypt_text(sealed_old)


def test_production_without_a_key_is_refused() -> None:
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[], DEBUG=False),
        mock.patch.dict(os.environ, {"DJANGO_SETTINGS_MODULE": "safeops.settings.base"}),
    ):
        assert crypto.encryption_key_check() == [crypto.NO_KEY]
        with pytest.raises(ImproperlyConfigured):
            crypto.encrypt_text("x")
    with override_settings(FIELD_ENCRYPTION_KEYS=["not-a-key"]):
        assert crypto.encryption_key_check() == [crypto.BAD_KEY.format(index=1)]


def test_sealed_property_keeps_ciphertext_for_the_same_text() -> None:
    class Holder:
        text_sealed = ""
        text = crypto.sealed_property("text_sealed")

    holder = Holder()
    holder.text = "note"
    first = holder.text_sealed
    holder.text = "note"
    assert holder.text_sealed == first and holder.text == "note"
    holder.text = "other"
    assert holder.text_sealed != first
