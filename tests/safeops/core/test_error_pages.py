"""When the database cannot be reached a page still answers within 5 s, and the public tip page
shows "call 911" from a static page (issue 13, "Operable")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

from safeops.core.middleware import server_error_view

SRC = Path(__file__).resolve().parents[3] / "src"

# Runs in a fresh process with production settings, PostgreSQL on a port nobody listens on.
PROBE = """
import json, time
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
results = []
session = {"sessionid": "a" * 32}
for path, cookies in (("/", {}), ("/tips/", {}), ("/", session), ("/api/tips", session)):
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    started = time.monotonic()
    response = client.get(path)
    results.append({
        "path": path,
        "status": response.status_code,
        "seconds": time.monotonic() - started,
        "body": response.content.decode(),
    })
print(json.dumps(results))
"""


def _probe(*, pool: bool) -> list[dict[str, object]]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DB_", "DJANGO_", "SENTRY_", "PROMETHEUS_"))
    }
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "safeops.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": "test-only-secret-key-for-the-database-down-probe-0123456789",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5499/safeops_unreachable",
            "DB_POOL": "true" if pool else "false",
            "SECURE_COOKIES": "false",
            "DISTRICT_LABEL": "Example County",
            "EMERGENCY_GUIDANCE": "District safety line: 502-555-0100.",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers: list[dict[str, object]] = json.loads(result.stdout.strip().splitlines()[-1])
    return answers


@pytest.mark.parametrize("pool", [True, False], ids=["pool", "no-pool"])
def test_pages_answer_within_5_seconds_with_call_911_when_the_database_is_down(
    pool: bool,
) -> None:
    to_login, *answers = _probe(pool=pool)
    # The first request loads the URL configuration (once per process; seconds on a busy
    # machine) and needs no database: it is the warm-up, not timed.
    assert to_login["status"] == 302
    for answer in answers:
        assert float(answer["seconds"]) <= 5.0, answer["path"]  # type: ignore[arg-type]
    tip_page, home, api = answers
    assert (tip_page["status"], home["status"], api["status"]) == (503, 503, 503)
    for page in (tip_page, home):
        body = str(page["body"])
        assert "If someone is in danger now, call 911." in body
        assert "988" in body and "District safety line: 502-555-0100." in body
        assert "Example County" in body
    assert "call 911" in json.loads(str(api["body"]))["detail"]


def test_the_500_page_is_static_and_says_call_911() -> None:
    request = RequestFactory().get("/tips/")
    # No database fixture: a query here would fail the test.
    with override_settings(EMERGENCY_GUIDANCE="Call the district safety line."):
        response = server_error_view(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "If someone is in danger now, call 911." in body
    assert "Call the district safety line." in body
    assert not hasattr(request, "session")


def test_the_500_page_speaks_the_request_language() -> None:
    request = RequestFactory().get("/tips/")
    with translation.override("es"):
        body = server_error_view(request).content.decode()
    assert '<html lang="es">' in body
    assert "Algo salió mal" in body and "llame al 911" in body


@pytest.mark.django_db
def test_an_unexpected_error_shows_the_static_500_page() -> None:
    with override_settings(ROOT_URLCONF="tests.safeops.core.failing_urls"):
        response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "call 911" in response.content.decode()
    assert response["X-Request-ID"]
