"""Test settings: the base settings with fast hashing and plain static files.

DATABASE_URL chooses the database (SQLite in memory unless set), so the same suite runs
on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789-abcdefghij")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("SECURE_COOKIES", "false")
# Tests open connections from many threads (live servers, concurrency tests) and tear the
# database down between tests: plain connections, not the server's pool.
os.environ.setdefault("DB_POOL", "false")

from safeops.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests never ship
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MAP_TILES_URL = ""
# Inline reloads: a test's uncommitted rows are invisible to another thread.
BACKGROUND_REFRESH = False
LEAFLET_CONFIG = {"TILES": [], "RESET_VIEW": False}
# Every text through the guard's encoder, as a district's ordinary day: the surge fallback is
# tested on its own (tests/safeops/core/test_discipline_guard_budget.py).
DISCIPLINE_ENCODER_PER_SECOND = float("inf")

# SQLite runs its test database in a file (in /dev/shm when there is one, so it stays in RAM)
# rather than in :memory:, so an ASGI server thread (browser tests) and concurrent writers
# (dispatch concurrency tests) share it. SAFEOPS_SQLITE_TEST_FILE overrides the path;
# SAFEOPS_SQLITE_TEST_FILE=memory keeps :memory:. The name is per process: runs don't collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile
    from pathlib import Path

    _test_file = os.environ.get("SAFEOPS_SQLITE_TEST_FILE", "")
    if _test_file != "memory":
        _ram = Path("/dev/shm")  # noqa: S108 - a per-process file name, removed after the run
        _test_dir = _ram if _ram.is_dir() else Path(tempfile.gettempdir())
        _default = _test_dir / f"safeops-test-{os.getpid()}.sqlite3"
        DATABASES["default"]["TEST"] = {"NAME": _test_file or str(_default)}  # noqa: F405
