"""Settings come from the environment; a production start without a secret stops at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parents[3] / "src"


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "REDIS_URL")}
    clean.update(env)
    clean["PYTHONPATH"] = str(SRC)
    return subprocess.run(
        [sys.executable, "-c", "import safeops.settings.base as s; print(s.CHANNEL_LAYERS)"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_missing_secret_key_stops_start_up_with_a_clear_message() -> None:
    result = _import_settings({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_runs_without_a_secret() -> None:
    result = _import_settings({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_in_memory_channel_layer_by_default_and_redis_when_configured() -> None:
    default = _import_settings({"DEBUG": "true"})
    assert "InMemoryChannelLayer" in default.stdout
    redis = _import_settings({"DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert "RedisPubSubChannelLayer" in redis.stdout
    assert "redis://127.0.0.1:6379/3" in redis.stdout


def test_a_malformed_boolean_is_rejected_by_name() -> None:
    result = _import_settings({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_hashing_is_argon2() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import safeops.settings.base as s; print(s.PASSWORD_HASHERS[0])"],
        env={**os.environ, "PYTHONPATH": str(SRC), "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_postgresql_uses_a_connection_pool_unless_turned_off() -> None:
    def database(env: dict[str, str]) -> str:
        clean = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DB_POOL", "DATABASE_URL", "DB_SERVER_SIDE_BINDING")
            and not k.startswith("DB_POOL_")
        }
        clean.update(env, DEBUG="true", PYTHONPATH=str(SRC))
        result = subprocess.run(
            [sys.executable, "-c", "import safeops.settings.base as s; print(s.DATABASES)"],
            env=clean,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    url = "postgres://postgres@127.0.0.1:5432/anything"
    pooled = database({"DATABASE_URL": url, "DB_POOL_MAX_SIZE": "7"})
    assert "'pool': {'min_size': 6, 'max_size': 7" in pooled
    smaller = database({"DATABASE_URL": url, "DB_POOL_MIN_SIZE": "4"})
    assert "'pool': {'min_size': 4," in smaller
    assert "'CONN_MAX_AGE': 0" in pooled
    assert "'pool'" not in database({"DATABASE_URL": url, "DB_POOL": "false"})
    assert "'pool'" not in database({"DATABASE_URL": "sqlite:///x.sqlite3"})
    # parameters bound on the server (decision 0021, section 8) unless turned off
    assert "'server_side_binding': True" in pooled
    assert "'server_side_binding': False" in database(
        {"DATABASE_URL": url, "DB_SERVER_SIDE_BINDING": "false"}
    )
    assert "server_side_binding" not in database({"DATABASE_URL": "sqlite:///x.sqlite3"})


PRODUCTION = {"DEBUG": "false", "FIELD_ENCRYPTION_KEY": "", "ALLOWED_HOSTS": "example.org"}
GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def _settings_value(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    clean.update(env)
    clean["PYTHONPATH"] = str(SRC)
    return subprocess.run(
        [sys.executable, "-c", f"import safeops.settings.base as s; print({expression})"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_short_or_repetitive_secret_key_stops_production_start_up() -> None:
    for weak in ("short-key", "a" * 60, "abab" * 20):
        result = _settings_value({**PRODUCTION, "SECRET_KEY": weak}, "s.SECRET_KEY")
        assert result.returncode != 0, weak
        assert "SECRET_KEY is too weak" in result.stderr, result.stderr[-500:]
    strong = _settings_value({**PRODUCTION, "SECRET_KEY": GOOD_KEY}, "len(s.SECRET_KEY)")
    assert strong.returncode == 0, strong.stderr[-500:]
    debug = _settings_value({"DEBUG": "true", "SECRET_KEY": "short"}, "s.SECRET_KEY")
    assert debug.returncode == 0, debug.stderr[-500:]


def test_hsts_is_on_for_a_year_in_production_and_off_in_development() -> None:
    expression = "(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    production = _settings_value({**PRODUCTION, "SECRET_KEY": GOOD_KEY}, expression)
    assert production.stdout.strip() == "(31536000, False)", production.stderr[-500:]
    chosen = _settings_value(
        {
            **PRODUCTION,
            "SECRET_KEY": GOOD_KEY,
            "SECURE_HSTS_SECONDS": "600",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        },
        expression,
    )
    assert chosen.stdout.strip() == "(600, True)"
    assert _settings_value({"DEBUG": "true"}, expression).stdout.strip() == "(0, False)"


@pytest.mark.django_db
def test_https_responses_carry_hsts_and_plain_http_test_clients_still_work() -> None:
    web = Client()
    plain = web.get("/accounts/login/")
    assert plain.status_code == 200 and "Strict-Transport-Security" not in plain
    secure = web.get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
