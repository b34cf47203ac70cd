"""Logs: a request id on every line, one line per 403/404, JSON when asked, and never a tip
sender's address or a secret link (issue 13, finding 2 and "Operable")."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import cast

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from safeops.accounts.models import User
from safeops.core.logging import JsonFormatter, TextFormatter, redact_path, scrub
from safeops.referrals.services import referral_provider_link_create
from safeops.resources.categories import Category
from safeops.staff.choices import Role
from tests.safeops.factories import ScenarioDistrict
from tests.safeops.referrals.helpers import make_service, refer

pytestmark = pytest.mark.shared_scenario

PEER = "203.0.113.77"
FORWARDED = "198.51.100.23"
V6 = "2001:db8:85a3::8a2e:370:7334"


class Capture(logging.Handler):
    """Every record that reaches the root logger, and what our console handler writes."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logs() -> Iterator[tuple[Capture, io.StringIO]]:
    root = logging.getLogger()
    console = next(h for h in root.handlers if isinstance(h.formatter, TextFormatter))
    capture, written = Capture(), io.StringIO()
    old_level, old_stream = root.level, console.setStream(written)  # type: ignore[attr-defined]
    root.setLevel(logging.DEBUG)  # django-axes logs the address it found at DEBUG
    root.addHandler(capture)
    try:
        yield capture, written
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
        console.setStream(old_stream)  # type: ignore[attr-defined]


def _user(scenario: ScenarioDistrict, role: Role) -> User:
    return cast(User, scenario.users[role])


def _texts(record: logging.LogRecord) -> list[str]:
    texts = [record.getMessage(), record.exc_text or ""]
    texts += [value for key, value in vars(record).items() if isinstance(value, str)]
    return texts


def test_no_log_record_holds_a_tip_senders_address_or_a_secret_link(
    scenario: ScenarioDistrict, logs: tuple[Capture, io.StringIO]
) -> None:
    capture, written = logs
    reporter = Client(REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR=f"{FORWARDED}, {V6}")
    assert reporter.get("/tips/").status_code == 200
    tip = {"what": "He said he would bring a knife", "school": scenario.school_a.pk}
    assert reporter.post("/tips/", {**tip, "when_text": "Friday", "urgency": "soon"}).status_code
    api = reporter.post(
        "/api/tips/public",
        {"what": "a threat on the bus", "urgency": "soon", "place": "Bus 12"},
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    reporter.post("/tips/status/", {"code": "XXXX-XXXX", "phrase": "wrong words"})
    reporter.post("/accounts/login/", {"username": "nobody", "password": "wrong"})

    shelter = make_service("Harbor House", category=Category.SHELTER, near=scenario.school_a)
    referral = refer(_user(scenario, Role.SAFETY_ADMINISTRATOR), scenario.school_a, shelter)
    token = referral_provider_link_create(
        referral=referral, actor=_user(scenario, Role.SAFETY_ADMINISTRATOR)
    )
    provider = Client(REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR=FORWARDED)
    assert provider.get(f"/referrals/provider/{token}/").status_code == 200
    assert provider.post(f"/referrals/provider/{token}/", {"to_status": "contacted"}).status_code
    assert provider.get(f"/referrals/provider/{token}x/").status_code == 404
    assert provider.get(f"/training/feed/{token}.ics?x={token}").status_code == 404
    link = f"https://safeops.example.org/referrals/provider/{token}/"
    logging.getLogger("safeops.test").warning("A library logs %s for %s", link, PEER)

    assert len(capture.records) > 10
    leaks = [
        text
        for record in capture.records
        for text in _texts(record)
        if PEER in text or FORWARDED in text or "8a2e:370" in text or token in text
    ]
    assert leaks == []
    output = written.getvalue()
    assert output.count("/referrals/provider/[secret]/") >= 3
    for secret in (PEER, FORWARDED, "8a2e:370", token):
        assert secret not in output


def _request_lines(output: str, path: str) -> list[str]:
    return [line for line in output.splitlines() if path in line]


def test_a_403_a_csrf_failure_and_a_404_are_one_line_each_without_a_traceback(
    scenario: ScenarioDistrict, logs: tuple[Capture, io.StringIO]
) -> None:
    _, written = logs
    monitor = Client()
    monitor.force_login(_user(scenario, Role.COMMUNITY_MONITOR))
    assert monitor.get("/threats/").status_code == 403
    chief = Client()
    chief.force_login(_user(scenario, Role.SECURITY_CHIEF))
    assert chief.get("/schools/987654/").status_code == 404
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/login/", {"username": "a", "password": "b"}).status_code == 403
    output = written.getvalue()
    assert "Traceback" not in output
    denied = _request_lines(output, "/threats/")
    assert len(denied) == 1, output
    user_id = _user(scenario, Role.COMMUNITY_MONITOR).pk
    assert " 403 " in denied[0] and f"user={user_id}" in denied[0]
    assert 'reason="Forbidden (Permission denied)"' in denied[0]
    assert _user(scenario, Role.COMMUNITY_MONITOR).username not in denied[0]
    missing = _request_lines(output, "/schools/987654/")
    assert len(missing) == 1 and " 404 " in missing[0]
    csrf = _request_lines(output, "/accounts/login/")
    assert len(csrf) == 1 and "CSRF" in csrf[0], output
    line = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO safeops\.access \[\w+\] ")
    assert all(line.match(entry) for entry in (*denied, *missing, *csrf))


def test_every_line_of_a_request_carries_its_id_which_the_response_returns(
    db: None, logs: tuple[Capture, io.StringIO]
) -> None:
    capture, _ = logs
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="from-the-proxy-123")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # not behind a proxy: the header is ignored
    ours = [r for r in capture.records if getattr(r, "request_id", "-") == request_id]
    assert ours and all(r.name != "safeops.access" or "/healthz" in r.getMessage() for r in ours)
    with override_settings(REQUEST_ID_FROM_PROXY=True):
        trusted = Client().get("/healthz", HTTP_X_REQUEST_ID="from-the-proxy-123")
        assert trusted["X-Request-ID"] == "from-the-proxy-123"
        forged = Client().get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith a newline")
        assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])
    assert any(getattr(r, "request_id", "") == "from-the-proxy-123" for r in capture.records)


def test_json_lines_parse_and_carry_the_access_fields(
    scenario: ScenarioDistrict, logs: tuple[Capture, io.StringIO]
) -> None:
    _, written = logs
    root = logging.getLogger()
    console = next(h for h in root.handlers if isinstance(h.formatter, TextFormatter))
    text_formatter = console.formatter
    console.setFormatter(JsonFormatter())
    try:
        client = Client(REMOTE_ADDR=PEER)
        client.force_login(_user(scenario, Role.SECURITY_CHIEF))
        client.get("/schools/?q=Valley&page=2")
    finally:
        console.setFormatter(text_formatter)
    lines = [json.loads(line) for line in written.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "safeops.access"]
    assert len(access) == 1
    entry = access[0]
    assert entry["path"] == "/schools/?page=&q=" and entry["status"] == 200
    assert entry["user_id"] == _user(scenario, Role.SECURITY_CHIEF).pk
    assert entry["route"] == "school-list" and entry["level"] == "INFO"
    assert entry["time"].endswith("Z") and len(entry["request_id"]) == 32
    assert "Valley" not in written.getvalue() and PEER not in written.getvalue()


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


SECRET_ARGUMENT = re.compile(r"<(?:\w+:)?(token|secret|key|code|phrase)>")


def test_every_url_with_a_secret_argument_is_redacted() -> None:
    secret_routes = [r for r in _routes(get_resolver().url_patterns) if SECRET_ARGUMENT.search(r)]
    assert len(secret_routes) >= 3
    for route in secret_routes:
        path = "/" + SECRET_ARGUMENT.sub("Zq9SecretValue", re.sub(r"<int:\w+>", "12", route))
        assert "Zq9SecretValue" not in redact_path(path), route


def test_scrub_removes_addresses_but_not_times_or_versions() -> None:
    text = "at 22:07:31 Django 5.2.19 from 10.1.2.3 and ::ffff:10.1.2.3 and fe80::1 ok"
    assert scrub(text) == "at 22:07:31 Django 5.2.19 from [addr] and [addr][addr] and [addr] ok"
