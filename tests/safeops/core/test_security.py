"""Security baseline: headers and CSP on every page, login rate limiting."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.safeops.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_pages_carry_security_headers_and_a_strict_csp() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_even_for_the_right_password() -> None:
    UserFactory(username="target")
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "target", "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post("/accounts/login/", {"username": "target", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_login_reaches_the_home_page() -> None:
    UserFactory(username="ok")
    client = Client()
    response = client.post("/accounts/login/", {"username": "ok", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.django_db
def test_health_endpoint_reports_the_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
